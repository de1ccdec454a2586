"""Data quality of the cache: null rates of the key fields, event-order errors (签收 before 发货),
duplicate waybills, unmapped statuses and quarantined records, each against warn and fail thresholds
from ``resources/insights/quality.json`` (dbt's warn_if/error_if, SodaCL's warn/fail), per day.

Definitions (the percentage is of the orders the check applies to, created that day, China time):
- ``missing_paid_amount``: paid orders (a ``paid`` event) whose paid amount is unknown.
- ``missing_waybill``: shipped orders (a ``shipped`` event) with no waybill number.
- ``missing_receiver_phone`` / ``missing_receiver_address``: orders with the field empty.
- ``missing_created_at``: orders whose creation time is not a real time (0 or before 2000).
- ``event_order_errors``: orders with an event before the one it needs: carrier delivered, customer
  confirmed or settled before shipped; shipped or settled before paid.
- ``duplicate_waybills``: shipped orders whose waybill number another order also carries.
- ``unmapped_statuses``: orders with an observation no mapping rule knew.
- ``quarantined_records``: records refused at the door and still open (a count, not per day).
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match
from sqlalchemy import Connection

from orderdesk.insights import kept
from orderdesk.insights.consistency import china_day, day_range
from orderdesk.sync.resources import RESOURCES

THRESHOLDS = RESOURCES / "insights" / "quality.json"
CHECK_LABELS: dict[str, tuple[str, str]] = {
    "missing_paid_amount": ("实收金额空值率", "Paid amount missing"),
    "missing_waybill": ("运单号空值率(已发货)", "Waybill missing (shipped)"),
    "missing_receiver_phone": ("收件人电话空值率", "Receiver phone missing"),
    "missing_receiver_address": ("收件地址空值率", "Receiver address missing"),
    "missing_created_at": ("下单时间无效率", "Created time invalid"),
    "event_order_errors": ("事件时序错乱率", "Events out of order"),
    "duplicate_waybills": ("运单号重复率", "Duplicate waybills"),
    "unmapped_statuses": ("未映射状态", "Unmapped statuses"),
    "quarantined_records": ("隔离中的记录", "Quarantined records"),
}
_REAL_TIME_MS = 946_684_800_000  # 2000-01-01


class ThresholdsError(ValueError):
    """A thresholds file was refused; ``json_path`` points at the first offending place."""

    def __init__(self, json_path: str, message: str) -> None:
        super().__init__(f"{json_path}: {message}")
        self.json_path = json_path


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


@dataclass(frozen=True, slots=True)
class Threshold:
    id: str
    warn: float
    fail: float


def load_thresholds(path: Path | None = None) -> dict[str, Threshold]:
    """The thresholds (bundled, or ``path``), validated against quality.schema.json."""
    path = path or THRESHOLDS
    try:
        document = json.loads(path.read_text(encoding="utf-8"), parse_constant=_no_constant)
    except OSError as exc:
        raise ThresholdsError("$", f"cannot read {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise ThresholdsError("$", f"{path} is not JSON: {exc}") from None
    schema = json.loads((RESOURCES / "insights" / "quality.schema.json").read_text(encoding="utf-8"))
    error = best_match(Draft202012Validator(schema).iter_errors(document))
    if error is not None:
        raise ThresholdsError(error.json_path, error.message)
    found: dict[str, Threshold] = {}
    for index, check in enumerate(document["checks"]):
        where = f"$.checks[{index}]"
        for name in ("warn", "fail"):
            value = check[name]
            if not (isinstance(value, int | float) and math.isfinite(value) and value <= 1e9):
                raise ThresholdsError(f"{where}.{name}", f"{value!r} is not a finite number up to 1e9")
        if check["warn"] > check["fail"]:
            raise ThresholdsError(f"{where}.warn", f"warn {check['warn']} is above fail {check['fail']}")
        if check["id"] in found:
            raise ThresholdsError(f"{where}.id", f"{check['id']!r} is given twice")
        found[check["id"]] = Threshold(check["id"], float(check["warn"]), float(check["fail"]))
    return found


@dataclass(slots=True)
class CheckResult:
    """Great Expectations' shape: evaluated, unexpected, and the verdict against the thresholds."""

    id: str
    evaluated: int = 0
    unexpected: int = 0
    samples: list[int] = field(default_factory=list)  # order ids (quarantine: record ids)
    warn: float = 0.0
    fail: float = 0.0
    per_day: dict[str, tuple[int, int]] = field(default_factory=dict)  # day → (evaluated, unexpected)

    @property
    def is_count(self) -> bool:
        return self.id == "quarantined_records"

    @property
    def value(self) -> float | None:
        """Percent (a count for quarantined records); None when nothing was evaluated."""
        if self.is_count:
            return float(self.unexpected)
        return 100.0 * self.unexpected / self.evaluated if self.evaluated else None

    @property
    def status(self) -> str:
        value = self.value
        if value is None:
            return "no_data"
        if value > self.fail:
            return "fail"
        return "warn" if value > self.warn else "pass"

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "evaluated": self.evaluated, "unexpected": self.unexpected, "value": self.value,
                "warn": self.warn, "fail": self.fail, "status": self.status, "samples": self.samples[:10],
                "per_day": {d: list(v) for d, v in sorted(self.per_day.items())}}  # fmt: skip


_PER_ORDER = """
SELECT o.id, o.shop, o.created_at_ms, o.paid_amount_fen IS NULL, o.waybill_no = '', o.receiver_phone = '',
  o.receiver_address = '',
  MIN(CASE WHEN e.kind = 'paid' THEN e.at_ms END), MIN(CASE WHEN e.kind = 'shipped' THEN e.at_ms END),
  MIN(CASE WHEN e.kind IN ('carrier_delivered', 'customer_confirmed', 'settled') THEN e.at_ms END),
  MIN(CASE WHEN e.kind = 'settled' THEN e.at_ms END)
FROM orders o LEFT JOIN events e ON e.order_id = o.id
WHERE o.created_at_ms >= ? AND o.created_at_ms < ? {where}
GROUP BY o.id
"""
KEPT_KIND = "quality/1"  # a kept day's figures are good for these definitions only
SAMPLES = 50

# One day's figures: shop → check → [evaluated, unexpected, the first SAMPLES unexpected order ids].
DayBody = dict[str, dict[str, list[Any]]]


def quality(
    c: Connection, start: date, end: date, thresholds: dict[str, Threshold] | None = None, shop: str | None = None
) -> dict[str, CheckResult]:
    """Every check over the orders created from ``start`` to ``end`` (inclusive). Each day's figures are
    kept in the cache (insights/kept.py) and read again while nothing of that day has changed."""
    limits = thresholds or load_thresholds()
    results = {i: CheckResult(i, warn=t.warn, fail=t.fail) for i, t in limits.items()}
    for name in CHECK_LABELS:
        results.setdefault(name, CheckResult(name, warn=0.0, fail=0.0))
    if start >= kept.FIRST_KEPT_DAY and kept.available(c):
        bodies = _kept_bodies(c, start, end)
    else:
        lo, hi = day_range(start, end)
        bodies = _bodies(c, lo, hi, shop)
    for day, body in sorted(bodies.items()):
        for body_shop, checks in body.items():
            if shop is not None and body_shop != shop:
                continue
            for name, (evaluated, unexpected, samples) in checks.items():
                r = results[name]
                r.evaluated += evaluated
                r.unexpected += unexpected
                seen = r.per_day.get(day, (0, 0))
                r.per_day[day] = (seen[0] + evaluated, seen[1] + unexpected)
                r.samples.extend(samples)
    for r in results.values():
        r.samples = sorted(r.samples)[:SAMPLES]
    quarantined = results["quarantined_records"]
    for (record_id,) in c.exec_driver_sql("SELECT id FROM quarantine WHERE status = 'open' ORDER BY id"):
        quarantined.evaluated += 1
        quarantined.unexpected += 1
        if len(quarantined.samples) < SAMPLES:
            quarantined.samples.append(record_id)
    return results


def _kept_bodies(c: Connection, start: date, end: date) -> dict[str, DayBody]:
    first, last = kept.day_number(start), kept.day_number(end)
    now_ms = int(time.time() * 1000)
    found = kept.load_days(c, KEPT_KIND, first, last, 2**62, _well_formed)  # quality does not change with time
    bodies = {kept.day_of_number(day).isoformat(): body for day, body in found.bodies.items()}
    fresh = []
    for run_first, run_last in found.missing(first, last):
        lo, hi = day_range(kept.day_of_number(run_first), kept.day_of_number(run_last))
        computed = _bodies(c, lo, hi, None)
        for day in range(run_first, run_last + 1):
            name = kept.day_of_number(day).isoformat()
            body = bodies[name] = computed.get(name, {})
            fresh.append((day, found.bases.get(day, 0), now_ms, body))
    kept.save_days(c, KEPT_KIND, fresh)
    return bodies


def _well_formed(body: Any) -> bool:
    def figures(value: Any) -> bool:
        return (isinstance(value, list) and len(value) == 3 and kept.is_int(value[0]) and kept.is_int(value[1])
                and kept.is_list_of(value[2], kept.is_int))  # fmt: skip

    return isinstance(body, dict) and all(
        isinstance(shop, str) and isinstance(checks, dict)
        and all(name in CHECK_LABELS and figures(v) for name, v in checks.items())
        for shop, checks in body.items()
    )  # fmt: skip


def _bodies(c: Connection, lo: int, hi: int, shop: str | None) -> dict[str, DayBody]:
    """Each day's figures (a day is ``—`` for an order without a real creation time)."""
    where, args = ("AND o.shop = ?", (lo, hi, shop)) if shop else ("", (lo, hi))
    bodies: dict[str, DayBody] = {}

    def count(checks: dict[str, list[Any]], name: str, order_id: int, bad: bool) -> None:
        figures = checks.get(name)
        if figures is None:
            figures = checks[name] = [0, 0, []]
        figures[0] += 1
        if bad:
            figures[1] += 1
            if len(figures[2]) < SAMPLES:
                figures[2].append(order_id)

    rows = c.exec_driver_sql(_PER_ORDER.format(where=where), args).all()
    duplicates = _duplicate_waybill_orders(c, lo, hi, shop)
    unmapped = _unmapped_orders(c, lo, hi, shop)
    for (
        order_id,
        order_shop,
        created,
        no_paid,
        no_waybill,
        no_phone,
        no_address,
        paid,
        shipped,
        after_ship,
        settled,
    ) in rows:
        day = china_day(created) if created >= _REAL_TIME_MS else "—"
        checks = bodies.setdefault(day, {}).setdefault(order_shop, {})
        count(checks, "missing_created_at", order_id, created < _REAL_TIME_MS)
        count(checks, "missing_receiver_phone", order_id, bool(no_phone))
        count(checks, "missing_receiver_address", order_id, bool(no_address))
        if paid is not None:
            count(checks, "missing_paid_amount", order_id, bool(no_paid))
        if shipped is not None:
            count(checks, "missing_waybill", order_id, bool(no_waybill))
            count(checks, "duplicate_waybills", order_id, order_id in duplicates)
        out_of_order = (shipped is not None and after_ship is not None and after_ship < shipped) or (
            paid is not None and ((shipped is not None and shipped < paid) or (settled is not None and settled < paid))
        )
        count(checks, "event_order_errors", order_id, out_of_order)
        count(checks, "unmapped_statuses", order_id, order_id in unmapped)
    return bodies


def _duplicate_waybill_orders(c: Connection, lo: int, hi: int, shop: str | None) -> set[int]:
    sql = (
        "SELECT o.id FROM orders o WHERE o.created_at_ms >= ? AND o.created_at_ms < ? AND o.waybill_no != '' "
        + ("AND o.shop = ? " if shop else "")
        + "AND EXISTS (SELECT 1 FROM orders d WHERE d.waybill_no = o.waybill_no AND d.id != o.id)"
    )
    return {r[0] for r in c.exec_driver_sql(sql, (lo, hi, shop) if shop else (lo, hi))}


def _unmapped_orders(c: Connection, lo: int, hi: int, shop: str | None) -> set[int]:
    sql = (
        "SELECT DISTINCT b.order_id FROM observations b JOIN orders o ON o.id = b.order_id WHERE b.unmapped = 1 "
        "AND o.created_at_ms >= ? AND o.created_at_ms < ?" + (" AND o.shop = ?" if shop else "")
    )
    return {r[0] for r in c.exec_driver_sql(sql, (lo, hi, shop) if shop else (lo, hi))}
