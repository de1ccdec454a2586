"""Supervision figures kept in the cache file, so a month's dashboard asks SQL only about what changed.

A figure is kept per day (``insight_days``: the consistency or the quality of the orders created that
day, China time) or per month (``insight_months``: a reconciliation). Triggers (migration 0013) count
every change to what the figures read in ``insight_changes``: per day of creation for an order, its
observations and its events (scope ``o``), and per day an event is dated (scope ``e``). A kept figure
carries the count it was computed at, its *basis*; it is good while the count is still that, so no
writer — sync, a mapping refold, a salvage, a hand repair in sqlite3 — has to remember to say so.

Kept figures are written through a connection of their own, after the figure was read, in a short
transaction that gives up at once when the sync holds the file: a figure not kept is computed again
next time, never wrong. The basis is read in the same snapshot as the data, so a change that lands
while a figure is computed leaves the kept figure stale, not wrong.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import orjson
from sqlalchemy import Connection
from sqlalchemy.exc import OperationalError

log = logging.getLogger(__name__)

DAY_MS = 86_400_000
CHINA_MS = 8 * 3_600_000
EPOCH = date(1970, 1, 1)
FIRST_KEPT_DAY = date(2000, 1, 1)  # an order "created" before this has no real time: never kept


def day_number(day: date) -> int:
    """The day as the triggers count it: China days since 1970-01-01."""
    return (day - EPOCH).days


def day_of_number(number: int) -> date:
    return EPOCH + timedelta(days=number)


def day_number_of_ms(ms: int) -> int:
    return (ms + CHINA_MS) // DAY_MS


@dataclass(frozen=True, slots=True)
class KeptDays:
    """What the cache holds for a range of days: the good bodies, and every day's basis (0: never changed)."""

    bodies: dict[int, Any]
    bases: dict[int, int]

    def missing(self, first: int, last: int) -> list[tuple[int, int]]:
        """The days in [first, last] without a good body, as runs of consecutive days (first, last)."""
        return runs(day for day in range(first, last + 1) if day not in self.bodies)


def available(c: Connection) -> bool:
    """Whether this cache file keeps figures (migration 0013), and is a file another connection can reach."""
    if c.engine.dialect.name != "sqlite" or not c.engine.url.database or c.engine.url.database == ":memory:":
        return False
    found = c.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'insight_days'").first()
    return found is not None


def file_identity(c: Connection) -> tuple[str, int]:
    """The cache file as this process may hold figures of it: its path and inode (a rebuilt cache put
    in the old one's place is another file, whatever its change counts say)."""
    path = str(c.engine.url.database)
    try:
        return path, os.stat(path).st_ino
    except OSError:
        return path, 0


def load_days(
    c: Connection, kind: str, first: int, last: int, now_ms: int, well_formed: Callable[[Any], bool]
) -> KeptDays:
    """The kept ``kind`` bodies of days first..last that are still good for a question asked at ``now_ms``
    (a body computed later than ``now_ms`` is not: time only adds disagreements). A body that is not
    JSON, or not ``well_formed``, is damaged: the day is computed again."""
    bases = {
        day: n
        for day, n in c.exec_driver_sql(
            "SELECT day, n FROM insight_changes WHERE scope = 'o' AND day BETWEEN ? AND ?", (first, last)
        )
    }
    bodies: dict[int, Any] = {}
    rows = c.exec_driver_sql(
        "SELECT day, basis, computed_at_ms, body FROM insight_days WHERE kind = ? AND day BETWEEN ? AND ?",
        (kind, first, last),
    )
    for day, basis, computed_at, body in rows:
        if basis != bases.get(day, 0) or computed_at > now_ms:
            continue
        found = unpack(body)
        if found is not None and well_formed(found):
            bodies[day] = found
        else:
            log.warning("kept %s of day %s is damaged; computing it again", kind, day)
    return KeptDays(bodies, bases)


def save_days(c: Connection, kind: str, entries: Iterable[tuple[int, int, int, Any]]) -> None:
    """Keep (day, basis, computed_at_ms, body) figures of ``kind``; best effort (see the module's note)."""
    rows = [(kind, day, basis, at, pack(body)) for day, basis, at, body in entries]
    if rows:
        _write(c, "INSERT OR REPLACE INTO insight_days (kind, day, basis, computed_at_ms, body) VALUES (?, ?, ?, ?, ?)",
               rows)  # fmt: skip


def month_counts(
    c: Connection, first_order_day: int, month_first: int, month_last: int
) -> tuple[dict[int, int], dict[int, int]]:
    """What a month's reconciliation read, as change counts per day: the orders' creation days from the
    earliest one it read to the month's end (an order created later cannot be paid in the month), and
    the days of the month for events — an order joins the month through an event dated in it."""
    found: tuple[dict[int, int], dict[int, int]] = ({}, {})
    sql = ("SELECT scope, day, n FROM insight_changes WHERE (scope = 'o' AND day BETWEEN ? AND ?) "
           "OR (scope = 'e' AND day BETWEEN ? AND ?)")  # fmt: skip
    for scope, day, n in c.exec_driver_sql(sql, (first_order_day, month_last, month_first, month_last)):
        found[scope == "e"][day] = n
    return found


def basis_of(first_order_day: int, orders: dict[int, int], events: dict[int, int]) -> str:
    return f"{first_order_day}/{sum(orders.values())}:{len(orders)}/{sum(events.values())}:{len(events)}"


def month_basis(c: Connection, first_order_day: int, month_first: int, month_last: int) -> str:
    return basis_of(first_order_day, *month_counts(c, first_order_day, month_first, month_last))


def runs(days: Iterable[int]) -> list[tuple[int, int]]:
    """Days as runs of consecutive days (first, last)."""
    found: list[tuple[int, int]] = []
    for day in sorted(days):
        if found and found[-1][1] == day - 1:
            found[-1] = (found[-1][0], day)
        else:
            found.append((day, day))
    return found


def ms_range(first: int, last: int) -> tuple[int, int]:
    """Days first..last as epoch ms [from, to)."""
    return first * DAY_MS - CHINA_MS, (last + 1) * DAY_MS - CHINA_MS


def load_month(c: Connection, kind: str, month: str) -> tuple[str, int, Any] | None:
    """(basis, computed_at_ms, body) kept for the month, if any."""
    row = c.exec_driver_sql(
        "SELECT basis, computed_at_ms, body FROM insight_months WHERE kind = ? AND month = ?", (kind, month)
    ).first()
    if row is None:
        return None
    body = unpack(row[2])
    if body is None:
        log.warning("kept %s of %s is damaged; computing it again", kind, month)
        return None
    return str(row[0]), int(row[1]), body


def save_month(c: Connection, kind: str, month: str, basis: str, computed_at_ms: int, body: Any) -> None:
    _write(c, "INSERT OR REPLACE INTO insight_months (kind, month, basis, computed_at_ms, body) VALUES (?, ?, ?, ?, ?)",
           [(kind, month, basis, computed_at_ms, pack(body))])  # fmt: skip


def pack(body: Any) -> bytes:
    """A body as kept: its CRC-32 (8 hex digits), then its JSON — a damaged page is told from a figure."""
    data = orjson.dumps(body, option=orjson.OPT_NON_STR_KEYS)
    return b"%08x" % zlib.crc32(data) + data


def unpack(blob: object) -> Any | None:
    """The body, or None when the blob is not one :func:`pack` made (damaged, or written by hand)."""
    if not isinstance(blob, bytes) or len(blob) < 8 or blob[:8] != b"%08x" % zlib.crc32(blob[8:]):
        return None
    try:
        return orjson.loads(blob[8:])
    except orjson.JSONDecodeError:
        return None


def _write(c: Connection, sql: str, rows: list[tuple[Any, ...]]) -> None:
    path = c.engine.url.database
    assert path
    try:
        with _connection(path) as w:
            w.execute("BEGIN IMMEDIATE")
            w.executemany(sql, rows)
            w.execute("COMMIT")
    except (sqlite3.Error, OperationalError) as exc:  # busy, read-only file, full disk: not kept this time
        log.info("supervision figures not kept this time: %s", exc)


class _connection:
    def __init__(self, path: str) -> None:
        self.path = path

    def __enter__(self) -> sqlite3.Connection:
        self.c = sqlite3.connect(self.path, timeout=0.5, isolation_level=None)
        return self.c

    def __exit__(self, *exc: object) -> None:
        if self.c.in_transaction:
            self.c.execute("ROLLBACK")
        self.c.close()


def chunks(values: list[int], size: int = 900) -> Iterator[list[int]]:
    for at in range(0, len(values), size):
        yield values[at : at + size]


def is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_list_of(value: object, check: Callable[[Any], bool], length: int | None = None) -> bool:
    return isinstance(value, list) and (length is None or len(value) == length) and all(map(check, value))
