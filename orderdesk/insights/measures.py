"""The figures the health score and the self-check are made of, each from one place in the cache (or
from the hub's facts, fetched by the caller), each None when there is nothing to measure."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection

from orderdesk.insights.consistency import DAY_MS, HOUR_MS, day_range
from orderdesk.sync.domain_id import is_domain_id

TWO_HOURS_MS = 2 * HOUR_MS


@dataclass(slots=True)
class HubFacts:
    """What only the hub knows, as its API served it (None: not fetched, or refused)."""

    inventory: dict[str, Any] | None = None  # GET /v1/inventory/figures
    ingest: dict[str, Any] | None = None  # GET /v1/ingest/stats
    drill: dict[str, Any] | None = None  # the last concurrency drill, when the hub keeps one
    tickets: dict[str, Any] | None = None  # GET /v1/tickets/figures: customer-service tickets
    reached: bool = True  # False: the hub was not reached (``error`` says why); nothing above is known
    error: str = ""


@dataclass(slots=True)
class Window:
    start: date
    end: date
    now_ms: int
    shop: str | None = None
    lo: int = field(init=False)
    hi: int = field(init=False)

    def __post_init__(self) -> None:
        self.lo, self.hi = day_range(self.start, self.end)

    def orders_sql(self, alias: str = "o") -> tuple[str, tuple[Any, ...]]:
        where = f"{alias}.created_at_ms >= ? AND {alias}.created_at_ms < ?"
        if self.shop:
            return where + f" AND {alias}.shop = ?", (self.lo, self.hi, self.shop)
        return where, (self.lo, self.hi)


def orders(c: Connection, w: Window) -> int:
    where, args = w.orders_sql()
    return int(c.exec_driver_sql(f"SELECT COUNT(*) FROM orders o WHERE {where}", args).scalar() or 0)


def anomalies_of_kinds(c: Connection, w: Window, kinds: tuple[str, ...], *, open_only: bool = False) -> int:
    where, args = w.orders_sql()
    marks = ",".join("?" * len(kinds))
    still = " AND a.resolved_at_ms IS NULL" if open_only else ""
    sql = f"SELECT COUNT(*) FROM anomalies a JOIN orders o ON o.id = a.order_id WHERE {where} AND a.kind IN ({marks}){still}"
    return int(c.exec_driver_sql(sql, (*args, *kinds)).scalar() or 0)


def open_anomalies(c: Connection, w: Window) -> int:
    where, args = w.orders_sql()
    sql = f"SELECT COUNT(*) FROM anomalies a JOIN orders o ON o.id = a.order_id WHERE {where} AND a.resolved_at_ms IS NULL"
    return int(c.exec_driver_sql(sql, args).scalar() or 0)


def repair_hours(c: Connection, w: Window) -> tuple[float | None, int]:
    """Mean hours from an anomaly's detection to its repair, over anomalies repaired in the window."""
    sql = "SELECT AVG(resolved_at_ms - detected_at_ms), COUNT(*) FROM anomalies a JOIN orders o ON o.id = a.order_id WHERE a.resolved_at_ms >= ? AND a.resolved_at_ms < ?"
    args: tuple[Any, ...] = (w.lo, w.hi)
    if w.shop:
        sql += " AND o.shop = ?"
        args += (w.shop,)
    mean, n = c.exec_driver_sql(sql, args).one()
    return (None if mean is None else mean / HOUR_MS), int(n)


def unmapped_observations(c: Connection, w: Window) -> int:
    where, args = w.orders_sql()
    sql = f"SELECT COUNT(*) FROM observations b JOIN orders o ON o.id = b.order_id WHERE b.unmapped = 1 AND {where}"
    return int(c.exec_driver_sql(sql, args).scalar() or 0)


def print_jobs(c: Connection, w: Window) -> tuple[int, int, int]:
    """(jobs, failed, labels that substituted a character) created in the window."""
    jobs, failed = c.exec_driver_sql(
        "SELECT COUNT(*), COUNT(CASE WHEN state = 'failed' THEN 1 END) FROM print_jobs WHERE created_at_ms >= ? AND created_at_ms < ?",
        (w.lo, w.hi),
    ).one()
    substituted = c.exec_driver_sql(
        "SELECT COUNT(DISTINCT job_id) FROM label_substitutions WHERE at_ms >= ? AND at_ms < ?", (w.lo, w.hi)
    ).scalar()
    return int(jobs), int(failed or 0), int(substituted or 0)


def quarantined_open(c: Connection) -> int:
    return int(c.exec_driver_sql("SELECT COUNT(*) FROM quarantine WHERE status = 'open'").scalar() or 0)


def sync_lag_s(c: Connection, now_ms: int) -> float | None:
    """Seconds since the cache last took a page of the hub's change feed, or the hub last answered."""
    taken = c.exec_driver_sql("SELECT MAX(updated_at_ms) FROM sync_state WHERE key LIKE '%|feed_cursor'").scalar()
    polled = c.exec_driver_sql("SELECT MAX(minute_ms) + 60000 FROM hub_calls WHERE ok > 0").scalar()
    latest = max((t for t in (taken, polled) if t is not None), default=None)  # an answered poll: caught up then
    return None if latest is None else max(0.0, (now_ms - min(latest, now_ms)) / 1000)


def _invoice_bodies(c: Connection) -> list[dict[str, Any]]:
    return [json.loads(t) for (t,) in c.exec_driver_sql("SELECT body_json FROM invoices")]


def invoice_timeliness(c: Connection, w: Window) -> tuple[float | None, int, list[str]]:
    """Share of blue invoices issued within 2 hours of the signing reaching the hub (``due_at_ms``, else
    ``signed_at_ms``), over invoices due in the window; and the late ones' numbers."""
    total, late = 0, []
    for body in _invoice_bodies(c):
        start = body.get("due_at_ms") or body.get("signed_at_ms")
        if body.get("red_of") or not body.get("issued_at_ms") or not start or not w.lo <= start < w.hi:
            continue
        total += 1
        if body["issued_at_ms"] - start > TWO_HOURS_MS:
            late.append(body["order_no"])
    return ((total - len(late)) / total if total else None), total, late


def red_letter(c: Connection, w: Window) -> tuple[float | None, float | None, int, list[str]]:
    """Over orders refunded in the window that had an issued blue invoice: the share whose red-letter
    invoice was started, the mean hours from refund to the red-letter request, how many, and the
    blue invoices still without one."""
    bodies = _invoice_bodies(c)
    reds = {b["red_of"]: b for b in bodies if b.get("red_of")}
    blue = {d: b for b in bodies if not b.get("red_of") and b.get("issued_at_ms") for d in b.get("orders", [])}
    if not blue:
        return None, None, 0, []
    refunded = c.exec_driver_sql(
        "SELECT o.domain_id, MIN(e.at_ms) FROM events e JOIN orders o ON o.id = e.order_id "
        "WHERE e.kind = 'refunded' AND e.at_ms >= ? AND e.at_ms < ? GROUP BY o.domain_id",
        (w.lo, w.hi),
    ).all()
    total, started, hours, missing = 0, 0, [], []
    for domain_id, at_ms in refunded:
        invoice = blue.get(domain_id)
        if invoice is None:
            continue
        total += 1
        red = reds.get(invoice["order_no"])
        if red is None:
            missing.append(invoice["order_no"])
            continue
        started += 1
        requested = red.get("requested_at_ms") or red.get("updated_at_ms")
        if requested:
            hours.append(max(0, requested - at_ms) / HOUR_MS)
    share = started / total if total else None
    return share, (sum(hours) / len(hours) if hours else None), total, missing


def unified_ids(c: Connection, w: Window) -> tuple[float | None, int, list[str]]:
    """Share of orders whose unified id is well formed (``DB`` + a real day + 12) and their own."""
    where, args = w.orders_sql()
    rows = c.exec_driver_sql(f"SELECT domain_id FROM orders o WHERE {where}", args).scalars().all()
    bad = [d for d in rows if not is_domain_id(d)]
    return ((len(rows) - len(bad)) / len(rows) if rows else None), len(rows), bad[:10]


def availability(c: Connection, w: Window) -> tuple[float | None, int, int]:
    """Share of the minutes this console called the hub in which at least one call was answered."""
    minutes, down = c.exec_driver_sql(
        "SELECT COUNT(*), COUNT(CASE WHEN ok = 0 THEN 1 END) FROM hub_calls WHERE minute_ms >= ? AND minute_ms < ?",
        (w.lo, w.hi),
    ).one()
    return ((minutes - down) / minutes if minutes else None), int(minutes), int(down or 0)


def month_lock(c: Connection, month: str) -> tuple[int | None, int]:
    """When ``month`` was locked (epoch ms, None: not yet) and its close: the 5th of the next month."""
    from orderdesk.insights.reconciliation import month_bounds

    _, end = month_bounds(month)
    close = end + 4 * DAY_MS
    row = c.exec_driver_sql("SELECT at_ms FROM month_locks WHERE month = ?", (month,)).scalar()
    return row, close


AUDIT_SAMPLE = 200_000


def audit_completeness(c: Connection) -> tuple[float | None, int, int]:
    """Share of the audit log's latest ``AUDIT_SAMPLE`` entries that name who, when, which source system,
    and keep the raw payload (an empty payload or operator fails). The latest, not all: at 1,000,000
    orders the log holds millions, and reading them all took most of the self-check's time."""
    total, complete = c.exec_driver_sql(
        "SELECT COUNT(*), COUNT(CASE WHEN operator != '' AND source_system != '' AND payload_json NOT IN ('', 'null', '{}') "
        "THEN 1 END) FROM (SELECT operator, source_system, payload_json FROM audit_log ORDER BY seq DESC LIMIT ?)",
        (AUDIT_SAMPLE,),
    ).one()
    return ((complete / total) if total else None), int(total), int(complete)


def previous_month(day: date) -> str:
    first = day.replace(day=1) - timedelta(days=1)
    return first.strftime("%Y-%m")
