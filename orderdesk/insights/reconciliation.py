"""BI versus finance, per month and channel: the gap between what the channel's BI reports (生意参谋's
GMV, with the platform's refund definition) and what the finance ledger booked (settlement bills),
broken into parts that each name the orders that make them up.

Definitions (docs/supervision.md, "BI versus finance"); money is integer fen, months are China time:

- **BI GMV** of month M: every order with a ``paid`` event in M contributes ``bi(o)``: its paid amount,
  or 0 when the order is closed under the platform's definition: cancelled, or *any* money refunded
  (the platform closes an order when part of it is refunded).
- **Finance** of month M: every settlement bill (a finance ``SETTLED`` observation carrying
  ``gross_fen``) dated in M contributes ``net = gross − commission − freight insurance − coupon −
  refund``. A bill is known by its ``bill_no``; the same bill sent twice counts once (the latest).
- **gap** = BI − finance, and per order, for an order paid in M whose bill is in M too:
  ``commission``, ``freight_insurance`` and ``coupons`` are the bill's deductions;
  ``refund_definition`` = bill refund − paid amount when the order had a refund (BI dropped the whole
  order, finance only the refunded money); what remains is ``unexplained``.
  An order paid in M and billed in another month, or billed in M and paid in another month, is
  ``timing`` (its whole contribution on the one side), and so is an order paid in M whose bill is not
  due yet (signed for less than ``SETTLE_DAYS`` ago, or not signed for and paid less than
  ``UNSIGNED_DAYS`` + ``SETTLE_DAYS`` ago); an order due longer ago
  with no bill at all, or a bill in M for an order with no payment in the cache, is ``missing``.
- **unexplained rate** = Σ |unexplained of each order| / BI GMV (the seed's self-check: ≤ 0.5%).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Connection

from orderdesk.insights import kept
from orderdesk.insights.consistency import DAY_MS, SETTLE_DAYS
from orderdesk.insights.month_shares import CAUSES as CAUSES  # the root-cause classes, named with the definitions
from orderdesk.insights.month_shares import PARTS, UNSIGNED_DAYS, OrderDifference, Share, row_of, share_of, work_out
from orderdesk.sync.china_time import day_start_ms

log = logging.getLogger(__name__)
PART_LABELS: dict[str, tuple[str, str]] = {
    "commission": ("平台佣金", "Platform commission"),
    "freight_insurance": ("运费险", "Shipping insurance"),
    "coupons": ("优惠券分摊", "Coupon allocation"),
    "refund_definition": ("退款口径(部分退款即关单)", "Refund definition (a partial refund closes the order)"),
    "timing": ("跨月入账", "Timing across months"),
    "missing": ("一方缺失", "Missing on one side"),
    "unexplained": ("未解释", "Unexplained"),
}
UNEXPLAINED_BAR = 0.005


class Gap:
    """The gap and its unexplained rate, of anything with BI GMV, finance and the unexplained sum (fen)."""

    __slots__ = ()
    bi_gmv: int
    finance: int
    unexplained_abs: int

    @property
    def gap(self) -> int:
        return self.bi_gmv - self.finance

    @property
    def unexplained_rate(self) -> float | None:
        return self.unexplained_abs / self.bi_gmv if self.bi_gmv else None


@dataclass(slots=True)
class Reconciliation(Gap):
    month: str
    channel: str | None
    bi_gmv: int = 0
    finance: int = 0
    parts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PARTS, 0))
    orders: dict[str, list[OrderDifference]] = field(default_factory=lambda: {p: [] for p in PARTS})
    unexplained_abs: int = 0
    bills: int = 0
    bi_orders: int = 0

    def top(self, n: int = 10) -> list[OrderDifference]:
        """The orders that differ most beyond the fees, each once, largest first."""
        seen: dict[int, OrderDifference] = {}
        for part in ("unexplained", "missing", "timing", "refund_definition"):
            for o in self.orders[part]:
                seen.setdefault(o.order_id, o)
        ranked = sorted(seen.values(), key=lambda o: (-abs(o.difference), o.domain_id))
        return [o for o in ranked if o.difference][:n]

    def as_dict(self) -> dict[str, object]:
        return {
            "month": self.month, "channel": self.channel, "bi_gmv_fen": self.bi_gmv, "finance_fen": self.finance,
            "gap_fen": self.gap, "parts_fen": dict(self.parts), "unexplained_rate": self.unexplained_rate,
            "bills": self.bills, "bi_orders": self.bi_orders,
            "top": [{"domain_id": o.domain_id, "channel_order_no": o.channel_order_no, "channel": o.channel,
                     "bi_fen": o.bi, "finance_fen": o.finance, "difference_fen": o.difference, "cause": o.cause,
                     "parts_fen": {k: v for k, v in o.parts.items() if v}} for o in self.top()],
        }  # fmt: skip


def month_bounds(month: str) -> tuple[int, int]:
    """``2026-01`` → [start, end) in epoch ms, China time. ValueError names the value."""
    try:
        if not re.fullmatch(r"\d{4}-\d{2}", month):
            raise ValueError(month)
        year, number = (int(x) for x in month.split("-"))
        start = date(year, number, 1)
    except ValueError:
        raise ValueError(f"month: {month!r} is not YYYY-MM") from None
    following = date(year + number // 12, number % 12 + 1, 1)
    return day_start_ms(start), day_start_ms(following)


def reconcile(c: Connection, month: str, channel: str | None = None, *, now_ms: int | None = None) -> Reconciliation:
    """The month's reconciliation for one channel (or all): totals, parts and their orders.

    It is kept in the cache (insights/kept.py): asked again, only the orders of the days that changed
    since are worked out again (the sync brings today's orders and last month's bills; the rest of the
    month is read). An order waiting for its bill is judged again at ``now_ms``: not due yet is timing,
    overdue is missing."""
    start, end = month_bounds(month)
    now = now_ms if now_ms is not None else int(time.time() * 1000)
    if not kept.available(c):
        return _aggregate(month, channel, work_out(c, channel, start, end, now).values(), now)
    kind = f"{KEPT_KIND}/{channel or '*'}"
    month_days = kept.day_number_of_ms(start), kept.day_number_of_ms(end - 1)
    key = (kept.file_identity(c), kind, month)
    held = _MONTHS.get(key)
    if held is None or held.computed_at > now:
        held = _load(c, kind, month, now)
    if held is not None:
        held = _update(c, channel, start, end, now, held, month_days)
    if held is None:
        shares = work_out(c, channel, start, end, now)
        first = min((s.created_day for s in shares.values()), default=month_days[0])
        held = _Month(first, kept.month_counts(c, first, *month_days), shares, now)
        _save(c, kind, month, held)
    elif held.unsaved > _SAVE_AFTER:
        _save(c, kind, month, held)
    if len(_MONTHS) >= _MONTHS_HELD and key not in _MONTHS:
        _MONTHS.pop(next(iter(_MONTHS)))
    _MONTHS[key] = held
    return _aggregate(month, channel, held.shares.values(), now)


KEPT_KIND = f"reconciliation/{SETTLE_DAYS}d/{UNSIGNED_DAYS}d/2"
_UPDATE_AT_MOST = 20_000  # orders worked out again in a kept month; beyond, the month is worked out afresh


@dataclass(slots=True)
class _Month:
    """A month's shares as this process holds them, with the change counts they were worked out at."""

    first: int  # the earliest creation day of an order with a share
    counts: tuple[dict[int, int], dict[int, int]]  # kept.month_counts
    shares: dict[int, Share]
    computed_at: int
    unsaved: int = 0  # orders worked out again since the month was last kept


_MONTHS: dict[tuple[tuple[str, int], str, str], _Month] = {}
_MONTHS_HELD = 4  # a month of 100,000 orders is some 60 MB of objects
_SAVE_AFTER = 10_000  # keep the month again once this many orders were worked out again since


def _load(c: Connection, kind: str, month: str, now: int) -> _Month | None:
    found = kept.load_month(c, kind, month)
    if found is None or found[1] > now:
        return None
    _, computed_at, body = found
    try:
        counts = ({int(k): v for k, v in body["counts"][0].items()}, {int(k): v for k, v in body["counts"][1].items()})
        shares = {s.difference.order_id: s for s in map(share_of, body["shares"])}
        return _Month(int(body["first"]), counts, shares, computed_at)
    except (KeyError, TypeError, ValueError, IndexError):
        return None  # kept by another version, or damaged: worked out afresh


def _save(c: Connection, kind: str, month: str, held: _Month) -> None:
    """Keep the month's shares, and its totals beside them (:func:`month_totals` reads those alone)."""
    basis = kept.basis_of(held.first, *held.counts)
    body = {"first": held.first, "counts": held.counts, "shares": [row_of(s) for s in held.shares.values()]}
    kept.save_month(c, kind, month, basis, held.computed_at, body)
    differences = [s.difference for s in held.shares.values()]
    totals = {"bi_gmv": sum(o.bi for o in differences), "finance": sum(o.finance for o in differences),
              "unexplained_abs": sum(abs(o.parts["unexplained"]) for o in differences)}  # fmt: skip
    kept.save_month(c, f"{kind}/totals", month, basis, held.computed_at, totals)
    held.unsaved = 0


def _update(
    c: Connection, channel: str | None, start: int, end: int, now: int, held: _Month, month_days: tuple[int, int]
) -> _Month | None:
    """The month with the orders of the days changed since worked out again (None: too many changed)."""
    orders, events = counts = kept.month_counts(c, held.first, *month_days)
    if counts == held.counts:
        return held
    was_orders, was_events = held.counts
    changed = [d for d in orders.keys() | was_orders.keys() if orders.get(d) != was_orders.get(d)]
    changed_events = [d for d in events.keys() | was_events.keys() if events.get(d) != was_events.get(d)]
    ids: set[int] = set()
    for lo, hi in kept.runs(changed):
        ids.update(r[0] for r in c.exec_driver_sql(
            "SELECT id FROM orders WHERE created_at_ms >= ? AND created_at_ms < ?", kept.ms_range(lo, hi)))  # fmt: skip
    for lo, hi in kept.runs(changed_events):
        ids.update(r[0] for r in c.exec_driver_sql(
            "SELECT order_id FROM events WHERE kind IN ('paid', 'settled') AND at_ms >= ? AND at_ms < ?",
            kept.ms_range(lo, hi)))  # fmt: skip
    if len(ids) > _UPDATE_AT_MOST:
        return None
    fresh = work_out(c, channel, start, end, now, sorted(ids))
    shares = {i: s for i, s in held.shares.items() if i not in ids} | fresh
    first = min((s.created_day for s in fresh.values()), default=held.first)
    if first < held.first:  # an order created before any other joined: read its days' counts too
        counts = kept.month_counts(c, first, *month_days)
    return _Month(min(first, held.first), counts, shares, max(now, held.computed_at), held.unsaved + len(ids))


def _aggregate(month: str, channel: str | None, shares: Iterable[Share], now: int) -> Reconciliation:
    result = Reconciliation(month, channel)
    for share in sorted(shares, key=lambda s: s.difference.order_id):
        o = share.difference
        if share.due is not None and now - share.due > SETTLE_DAYS * DAY_MS:  # not due when worked out; now overdue
            parts = o.parts | {"missing": o.parts["timing"], "timing": 0}
            o = OrderDifference(o.order_id, o.domain_id, o.channel_order_no, o.channel, o.bi, o.finance, parts,
                                share.overdue_cause)  # fmt: skip
        parts = o.parts
        result.bi_gmv += o.bi
        result.finance += o.finance
        result.bills += share.bills
        result.bi_orders += share.paid
        for part, value in parts.items():
            result.parts[part] += value
            if value:
                result.orders[part].append(o)
        result.unexplained_abs += abs(parts["unexplained"])
    return result


def channels_of_month(c: Connection, month: str) -> list[str]:
    start, end = month_bounds(month)
    sql = "SELECT DISTINCT o.channel FROM events e JOIN orders o ON o.id = e.order_id WHERE e.kind = 'paid' AND e.at_ms >= ? AND e.at_ms < ? ORDER BY 1"
    return [r[0] for r in c.exec_driver_sql(sql, (start, end))]


@dataclass(frozen=True, slots=True)
class MonthTotals(Gap):
    """A month's totals over every channel: what the health score and the self-check read."""

    month: str
    bi_gmv: int
    finance: int
    unexplained_abs: int


def month_totals(c: Connection, month: str, *, now_ms: int | None = None) -> MonthTotals:
    """The month's totals (none of them changes with time alone): kept beside the month's orders, so a
    new console reads four numbers, not the month's 100,000 orders, while nothing of the month changed."""
    start, end = month_bounds(month)
    kind = f"{KEPT_KIND}/*"
    if kept.available(c) and (kept.file_identity(c), kind, month) not in _MONTHS:
        found = kept.load_month(c, f"{kind}/totals", month)
        if found is not None:
            basis, _, body = found
            month_days = kept.day_number_of_ms(start), kept.day_number_of_ms(end - 1)
            try:
                if kept.month_basis(c, int(basis.split("/", 1)[0]), *month_days) == basis:
                    return MonthTotals(month, int(body["bi_gmv"]), int(body["finance"]), int(body["unexplained_abs"]))
            except (KeyError, TypeError, ValueError):  # of another shape: worked out below, and kept again
                log.warning("kept totals of %s are not totals; working the month out again", month)
    result = reconcile(c, month, now_ms=now_ms)
    return MonthTotals(month, result.bi_gmv, result.finance, result.unexplained_abs)
