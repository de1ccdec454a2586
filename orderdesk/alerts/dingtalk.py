"""A DingTalk group robot with 加签 security: each message is posted to ``{webhook}&timestamp=T&sign=S``,
T in epoch milliseconds, S = urlencode(base64(HMAC-SHA256(secret, f"{T}\\n{secret}"))).

A robot takes 20 messages a minute and then refuses everything for 10 minutes (errcode 130101), so alerts
are never sent one by one: ``queue`` folds alerts with the same key (the latest wins, counted) and
``flush`` posts everything waiting as ONE markdown digest, Chinese first, cut to DingTalk's ~20,000-byte
limit. Whatever was not sent (window full, post failed, digest cut) stays queued for the next flush.
A flush never raises, and no error text or log line carries the access token or the secret."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, quote_plus, urlsplit

import httpx

from orderdesk.sync.china_time import shown

log = logging.getLogger(__name__)

WEBHOOK_VARIABLE = "ORDERDESK_DINGTALK_WEBHOOK"
SECRET_VARIABLE = "ORDERDESK_DINGTALK_SECRET"
TEXT_LIMIT_BYTES = 20_000  # DingTalk's limit on a markdown text, in UTF-8 bytes
SECTION_LIMIT_BYTES = 3_000  # one alert's most, so that a huge one cannot crowd the others out
MAX_LINES, MAX_CHARS = 12, 300  # per alert: lines shown, characters of a title or a line
WINDOW_S, THROTTLE_S = 60.0, 600.0  # the rate window; how long a robot stays quiet after errcode 130101
TOO_FAST = 130101
SEVERITY = {"critical": (0, "🔴 严重"), "error": (1, "🟠 错误"), "warning": (2, "🟡 警告"), "info": (3, "🔵 提示")}
_TOKEN = re.compile(r"(access_token=|sign=)([^&#\s'\"]*)")
_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def sign(secret: str, timestamp_ms: int) -> str:
    """The ``sign`` query parameter, already URL-encoded (base64 has ``+``, ``/`` and ``=``)."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest).decode())


def signed_url(webhook: str, secret: str, timestamp_ms: int) -> str:
    joiner = "&" if urlsplit(webhook).query else "?"
    return f"{webhook}{joiner}timestamp={timestamp_ms}&sign={sign(secret, timestamp_ms)}"


@dataclass(frozen=True)
class Alert:
    """Something worth a look. Alerts with the same ``key`` ("breaker:SKU123") are one thing firing again."""

    key: str
    title_zh: str
    title_en: str
    lines_zh: Sequence[str]
    at_ms: int
    severity: str = "warning"  # critical, error, warning or info: the most severe go first in a digest

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines_zh", tuple(self.lines_zh))


@dataclass(frozen=True)
class FlushResult:
    sent: int  # messages DingTalk took: 0 or 1
    alerts: int  # alerts in that message
    held: int  # alerts still queued (window full, post failed, or cut from the digest)
    error: str | None = None  # safe to show and log: never the token or the secret


@dataclass
class _Fired:
    alert: Alert  # the latest
    count: int
    first_ms: int


class DingTalkRobot:
    """Alerts to one DingTalk group robot: ``queue`` from any thread, ``flush`` from one place (a timer)."""

    def __init__(self, webhook: str, secret: str, *, per_minute: int = 20, clock: Callable[[], float] = time.time,
                 client: httpx.Client | None = None, timeout_s: float = 5.0) -> None:  # fmt: skip
        _check(webhook, secret)
        if per_minute < 1:
            raise ValueError(f"per_minute {per_minute}: at least 1")
        self._webhook, self._secret, self._per_minute, self._clock = webhook, secret, per_minute, clock
        self._timeout = httpx.Timeout(timeout_s)
        self._own_client = client is None
        self._client = client if client is not None else httpx.Client(timeout=self._timeout)
        self._pending: dict[str, _Fired] = {}
        self._lock = threading.Lock()  # guards _pending only, so queue() never waits for the network
        self._flushing = threading.Lock()  # one flush at a time: an alert is never in two messages
        self._posted: deque[float] = deque()  # when each post of the last minute went out
        self._quiet_until = 0.0

    @classmethod
    def from_env(cls, **options: Any) -> DingTalkRobot | None:
        """The robot ORDERDESK_DINGTALK_WEBHOOK and ORDERDESK_DINGTALK_SECRET name; None when both are unset."""
        webhook, secret = os.environ.get(WEBHOOK_VARIABLE, "").strip(), os.environ.get(SECRET_VARIABLE, "").strip()
        if not webhook and not secret:
            return None
        return cls(webhook, secret, **options)

    def queue(self, alert: Alert) -> None:
        with self._lock:
            fired = self._pending.get(alert.key)
            if fired is None:
                self._pending[alert.key] = _Fired(alert, 1, alert.at_ms)
            else:
                fired.alert, fired.count = alert, fired.count + 1

    def flush(self) -> FlushResult:
        """Everything queued as one digest, if the rate window allows; what is not sent stays queued."""
        with self._flushing:
            now = self._clock()
            with self._lock:
                if not self._pending:
                    return FlushResult(0, 0, 0)
                if not self._may_post(now):
                    return FlushResult(0, 0, len(self._pending))
                taken = sorted(self._pending.values(), key=lambda f: SEVERITY.get(f.alert.severity, (2,))[0])
                self._pending = {}
            title, text, count = _digest(taken)
            error = self._post(title, text, now)
            with self._lock:
                self._put_back(taken[count:] if error is None else taken)
                held = len(self._pending)
            if error is not None:
                log.warning("DingTalk digest not sent, %d alerts kept queued: %s", held, error)
                return FlushResult(0, 0, held, error)
            return FlushResult(1, count, held)

    def close(self) -> None:
        if self._own_client:
            self._client.close()

    def __enter__(self) -> DingTalkRobot:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _may_post(self, now: float) -> bool:
        while self._posted and now - self._posted[0] >= WINDOW_S:
            self._posted.popleft()
        return now >= self._quiet_until and len(self._posted) < self._per_minute

    def _put_back(self, kept: list[_Fired]) -> None:
        """``kept`` ahead of what was queued meanwhile; an alert that fired again meanwhile keeps its count."""
        merged = {f.alert.key: f for f in kept}
        for key, later in self._pending.items():
            if key in merged:
                merged[key] = _Fired(later.alert, merged[key].count + later.count, merged[key].first_ms)
            else:
                merged[key] = later
        self._pending = merged

    def _post(self, title: str, text: str, now: float) -> str | None:
        """None when DingTalk took the message; otherwise what went wrong, in words safe to log."""
        self._posted.append(now)  # DingTalk counts every message that reaches it, taken or not
        body = {"msgtype": "markdown", "markdown": {"title": title, "text": text}}
        try:
            response = self._client.post(signed_url(self._webhook, self._secret, int(now * 1000)), json=body,
                                         timeout=self._timeout)  # fmt: skip
            answer = response.json() if response.status_code == 200 else None
        except Exception as exc:  # an alert must never take down what it reports on; the kind is in the text
            return self._scrub(f"{type(exc).__name__}: {exc}")
        if not isinstance(answer, dict):
            return f"HTTP {response.status_code}: no DingTalk answer"
        if answer.get("errcode") == 0:
            return None
        if answer.get("errcode") == TOO_FAST:
            self._quiet_until = now + THROTTLE_S
        return self._scrub(f"errcode {answer.get('errcode')}: {answer.get('errmsg')}")

    def _scrub(self, text: str) -> str:
        return _TOKEN.sub(r"\1***", text.replace(self._secret, "***"))


def _digest(fired: Sequence[_Fired]) -> tuple[str, str, int]:
    """The message's title and markdown text, and how many of ``fired`` (in order) fit in the text."""
    sections = [_section(f) for f in fired]
    everything = len(fired)
    budget = TEXT_LIMIT_BYTES - len((_head(everything) + _cut_note(everything)).encode())
    count = used = 0
    for size in (len(section.encode()) for section in sections):
        if used + size > budget:
            break
        count, used = count + 1, used + size
    left = everything - count
    text = _head(count) + "".join(sections[:count]) + (_cut_note(left) if left else "")
    return f"OrderDesk 告警 · {count} 条", text, count


def _head(count: int) -> str:
    return f"### OrderDesk 告警 · {count} 条\n\n###### OrderDesk alerts · {count}\n\n"


def _cut_note(left: int) -> str:
    return f"---\n\n**…以及另外 {left} 条**，下一条消息发送\n\n###### …and {left} more, in the next message\n"


def _section(fired: _Fired) -> str:
    alert = fired.alert
    label = SEVERITY.get(alert.severity, (2, f"⚪ {_flat(alert.severity, 20)}"))[1]
    times = (_when(fired.first_ms) + " — " if fired.count > 1 else "") + _when(alert.at_ms)
    lines = [f"- {_flat(line, MAX_CHARS)}" for line in alert.lines_zh[:MAX_LINES]]
    if len(alert.lines_zh) > MAX_LINES:
        lines.append(f"- …另外 {len(alert.lines_zh) - MAX_LINES} 行")
    repeat = f" ×{fired.count}" if fired.count > 1 else ""
    text = (f"---\n\n#### {label} · {_flat(alert.title_zh, MAX_CHARS)}{repeat}\n\n"
            f"###### {_flat(alert.title_en, MAX_CHARS)}\n\n" + "".join(line + "\n" for line in lines)
            + f"\n###### {times}\n\n")  # fmt: skip
    return _clip(text, SECTION_LIMIT_BYTES)


def _flat(text: str, limit: int) -> str:
    """One line of plain text: a newline in a title or line would break the markdown's structure."""
    text = _BREAKS.sub(" ", text).strip().encode("utf-8", "replace").decode()  # a lone surrogate has no UTF-8
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _when(ms: int) -> str:
    try:
        return shown(ms, seconds=True)
    except (OverflowError, ValueError, OSError):
        return str(ms)


def _clip(text: str, limit: int) -> str:
    data = text.encode()
    return text if len(data) <= limit else data[: limit - 5].decode("utf-8", "ignore") + "…\n\n"


def _mask(value: str) -> str:
    return f"{value[:4]}…"


def _check(webhook: str, secret: str) -> None:
    shown_webhook = _TOKEN.sub(lambda m: m[1] + _mask(m[2]), webhook)
    parts = urlsplit(webhook)
    if parts.scheme not in ("http", "https") or not parts.hostname or not parse_qs(parts.query).get("access_token"):
        raise ValueError(f"webhook {shown_webhook!r}: expected an http(s) URL with an access_token, like "
                         "https://oapi.dingtalk.com/robot/send?access_token=…")  # fmt: skip
    if not secret.startswith("SEC"):
        raise ValueError(f"secret {_mask(secret)!r}: a DingTalk robot's signing secret starts with SEC")
