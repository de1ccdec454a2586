"""Business time is China time (Asia/Shanghai, UTC+8, no daylight saving), whatever the machine's
own clock is set to: what the table shows, what a date filter means, what a label and a unified id
say. One place converts."""

from __future__ import annotations

from datetime import UTC, date, datetime

from orderdesk.sync.domain_id import CHINA_TZ

__all__ = ["CHINA_TZ", "clock", "day_start_ms", "now_in_china", "shown", "shown_iso"]


def now_in_china() -> datetime:
    return datetime.now(UTC).astimezone(CHINA_TZ)


def shown(ms: int | None, *, seconds: bool = False) -> str:
    """``2026-11-27 14:22`` (or with seconds) in China time; empty for None."""
    if ms is None:
        return ""
    moment = datetime.fromtimestamp(ms / 1000, UTC).astimezone(CHINA_TZ)
    return moment.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def shown_iso(text: str | None, *, seconds: bool = True) -> str:
    """An ISO time from the cache (``2026-11-27T14:22:07+08:00``) as the console shows times."""
    if not text:
        return ""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=CHINA_TZ)
    return moment.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def day_start_ms(day: date) -> int:
    """Midnight at the start of ``day`` in China, as milliseconds since the epoch."""
    return int(datetime(day.year, day.month, day.day, tzinfo=CHINA_TZ).timestamp() * 1000)


def clock(seconds: float) -> str:
    """``14:22:07``: the China time of a ``time.time()`` value (the status bar's "last synced")."""
    return datetime.fromtimestamp(seconds, CHINA_TZ).strftime("%H:%M:%S")
