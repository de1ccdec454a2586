"""BI versus finance, per month and channel: the gap between what the channel's BI reports (生意参谋's
GMV, with the platform's refund definition) and what the finance ledger booked (settlement bills),
broken into parts that each name the orders that make them up.

Definitions (README, "BI versus finance"); money is integer fen, months are China time:

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

import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import orjson
from sqlalchemy import Connection

from insights import kept
from insights.consistency import DAY_MS, SETTLE_DAYS
from sync.china_time import day_start_ms

PARTS: tuple[str, ...] = (
    "commission", "freight_insurance", "coupons", "refund_definition", "timing", "missing", "unexplained",
)  # fmt: skip
PART_LABELS: dict[str, tuple[str, str]] = {
    "commission": ("平台佣金", "Platform commission"),
    "freight_insurance": ("运费险", "Shipping insurance"),
    "coupons": ("优惠券分摊", "Coupon allocation"),
    "refund_definition": ("退款口径(部分退款即关单)", "Refund definition (a partial refund closes the order)"),
    "timing": ("跨月入账", "Timing across months"),
    "missing": ("一方缺失", "Missing on one side"),
    "unexplained": ("未解释", "Unexplained"),
}
# Root-cause classes of a differing order (the seed: 系统缺陷 / 人工干预 / 第三方误差), and the two
# differences that are definitions, not faults.
CAUSES: dict[str, tuple[str, str]] = {
    "system_defect": ("系统缺陷", "System defect"),
    "manual_intervention": ("人工干预", "Manual intervention"),
    "third_party": ("第三方误差", "Third-party error"),
    "definition": ("口径差异", "Definition"),
    "timing": ("跨月时点", "Timing"),
}
UNEXPLAINED_BAR = 0.005
UNSIGNED_DAYS = 30  # an order not signed for this long after payment is due all the same


@dataclass(frozen=True, slots=True)
class Bill:
    bill_no: str
    order_id: int
    at_ms: int
    gross: int
    commission: int
    freight_insurance: int
    coupon: int
    refund: int
    adjusted_by: str | None

    @property
    def net(self) -> int:
        return self.gross - self.commission - self.freight_insurance - self.coupon - self.refund


@dataclass(slots=True)
class OrderDifference:
    """One order's share of the gap: its parts (fen), and why it differs beyond the fees."""

    order_id: int
    domain_id: str
    channel_order_no: str
    channel: str
    bi: int
    finance: int
    parts: dict[str, int]
    cause: str | None = None

    @property
    def difference(self) -> int:
        """What the fees do not explain: everything but commission, insurance and coupons."""
        return sum(v for k, v in self.parts.items() if k not in ("commission", "freight_insurance", "coupons"))


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


def _bills(
    c: Connection, kind: str, start: int, end: int, channel: str | None, among: str = ""
) -> dict[int, list[Bill]]:
    """Every settlement bill of the orders with a ``kind`` event in [start, end), latest per bill number:
    one join, each order's observations found through its own index."""
    found: dict[str, Bill] = {}
    sql = (
        "SELECT b.order_id, b.key, b.observed_at_ms, b.fields_json FROM events e "
        "JOIN observations b ON b.order_id = e.order_id "
        + ("JOIN orders o ON o.id = e.order_id " if channel else "")
        + ("WHERE +e.kind = ? AND +e.at_ms >= ? " if among else "WHERE e.kind = ? AND e.at_ms >= ? ")
        + "AND e.at_ms < ? AND b.source_system = 'finance' AND b.raw_status = 'SETTLED'"
        + (" AND o.channel = ?" if channel else "")
        + among
    )
    for order_id, key, at_ms, fields_json in c.exec_driver_sql(
        sql, (kind, start, end, *([channel] if channel else []))
    ):
        bill = _bill(order_id, key, at_ms, fields_json)
        if bill is not None and (bill.bill_no not in found or found[bill.bill_no].at_ms <= at_ms):
            found[bill.bill_no] = bill
    by_order: dict[int, list[Bill]] = {}
    for bill in found.values():
        by_order.setdefault(bill.order_id, []).append(bill)
    return by_order


def _bill(order_id: int, key: str, at_ms: int, fields_json: str) -> Bill | None:
    try:
        fields = orjson.loads(fields_json or "{}")
    except orjson.JSONDecodeError:
        return None
    if not isinstance(fields, dict) or not isinstance(fields.get("gross_fen"), int):
        return None  # a settlement without its bill's figures: finance booked nothing we can count

    def fen(name: str) -> int:
        value = fields.get(name, 0)
        return value if isinstance(value, int) and not isinstance(value, bool) else 0

    adjusted = fields.get("adjusted_by")
    return Bill(str(fields.get("bill_no") or key), order_id, at_ms, fen("gross_fen"), fen("commission_fen"),
                fen("freight_insurance_fen"), fen("coupon_fen"), fen("refund_fen"),
                str(adjusted) if adjusted else None)  # fmt: skip


def reconcile(c: Connection, month: str, channel: str | None = None, *, now_ms: int | None = None) -> Reconciliation:
    """The month's reconciliation for one channel (or all): totals, parts and their orders.

    It is kept in the cache (insights/kept.py): asked again, only the orders of the days that changed
    since are worked out again (the sync brings today's orders and last month's bills; the rest of the
    month is read). An order waiting for its bill is judged again at ``now_ms``: not due yet is timing,
    overdue is missing."""
    start, end = month_bounds(month)
    now = now_ms if now_ms is not None else int(time.time() * 1000)
    if not kept.available(c):
        return _aggregate(month, channel, _shares(c, channel, start, end, now).values(), now)
    kind = f"{KEPT_KIND}/{channel or '*'}"
    month_days = kept.day_number_of_ms(start), kept.day_number_of_ms(end - 1)
    key = (kept.file_identity(c), kind, month)
    held = _MONTHS.get(key)
    if held is None or held.computed_at > now:
        held = _load(c, kind, month, now)
    if held is not None:
        held = _update(c, channel, start, end, now, held, month_days)
    if held is None:
        shares = _shares(c, channel, start, end, now)
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
class Share:
    """One order's share of a month, as it is kept: its difference, how many of its bills are dated in
    the month, whether it was paid in the month, the day it was created, and — when it is timing only
    because its bill is not due yet — when the bill is due and the cause once it is overdue."""

    difference: OrderDifference
    bills: int
    paid: bool
    created_day: int
    due: int | None = None
    overdue_cause: str | None = None


def _share_of(row: list[Any]) -> Share:
    """A kept share; ValueError when it is not one (a damaged or foreign body)."""
    order_id, domain_id, number, channel, bi, finance, parts, cause, bills, paid, created_day, due, overdue = row
    if not (all(map(kept.is_int, (order_id, bi, finance, bills, created_day))) and kept.is_list_of(parts, kept.is_int, len(PARTS))
            and all(isinstance(v, str) for v in (domain_id, number, channel)) and isinstance(paid, bool)
            and cause in (None, *CAUSES) and overdue in (None, *CAUSES) and (due is None or kept.is_int(due))):  # fmt: skip
        raise ValueError(f"not a kept share: {row!r:.200}")
    difference = OrderDifference(
        order_id, domain_id, number, channel, bi, finance, dict(zip(PARTS, parts, strict=True)), cause
    )
    return Share(difference, bills, paid, created_day, due, overdue)


def _row_of(s: Share) -> list[Any]:
    o = s.difference
    return [o.order_id, o.domain_id, o.channel_order_no, o.channel, o.bi, o.finance, [o.parts[p] for p in PARTS],
            o.cause, s.bills, s.paid, s.created_day, s.due, s.overdue_cause]  # fmt: skip


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
        shares = {s.difference.order_id: s for s in map(_share_of, body["shares"])}
        return _Month(int(body["first"]), counts, shares, computed_at)
    except (KeyError, TypeError, ValueError, IndexError):
        return None  # kept by another version, or damaged: worked out afresh


def _save(c: Connection, kind: str, month: str, held: _Month) -> None:
    """Keep the month's shares, and its totals beside them (:func:`month_totals` reads those alone)."""
    basis = kept.basis_of(held.first, *held.counts)
    body = {"first": held.first, "counts": held.counts, "shares": [_row_of(s) for s in held.shares.values()]}
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
    fresh = _shares(c, channel, start, end, now, sorted(ids))
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


def _shares(
    c: Connection, channel: str | None, start: int, end: int, now: int, only: list[int] | None = None
) -> dict[int, Share]:
    """Each order's share of the month (of the orders ``only``, when given): every order paid in the
    month or billed in it, but those that add nothing to either side."""
    if only is None:
        return _shares_of(c, channel, start, end, now, "")
    found: dict[int, Share] = {}
    for chunk in kept.chunks(only):  # (through each order's own events: "+" keeps the month's index out)
        found |= _shares_of(c, channel, start, end, now, f" AND e.order_id IN ({','.join(map(str, chunk))})")
    return found


def _shares_of(c: Connection, channel: str | None, start: int, end: int, now: int, among: str) -> dict[int, Share]:
    where = (" AND o.channel = ?" if channel else "") + among
    plus = "+" if among else ""
    args: tuple[object, ...] = (start, end, channel) if channel else (start, end)
    paid_sql = (
        "SELECT o.id, o.domain_id, o.channel_order_no, o.channel, o.paid_amount_fen, o.refunded_fen, o.cancelled, "
        "o.anomaly_count, o.created_at_ms, e.at_ms FROM events e JOIN orders o ON o.id = e.order_id "
        f"WHERE {plus}e.kind = 'paid' AND {plus}e.at_ms >= ? AND e.at_ms < ?{where}"
    )
    paid_at: dict[int, int] = {}
    paid = {}
    for row in c.exec_driver_sql(paid_sql, args):
        paid[row[0]] = row[:9]
        paid_at[row[0]] = row[9]
    # Bills dated in the month: through the orders first settled in it (a bill dated in the month of an
    # order first settled in an earlier one — settled, reversed, settled again — is not looked for).
    settled_sql = (
        "SELECT DISTINCT o.id, o.domain_id, o.channel_order_no, o.channel, o.paid_amount_fen, o.refunded_fen, "
        "o.cancelled, o.anomaly_count, o.created_at_ms FROM events e JOIN orders o ON o.id = e.order_id "
        f"WHERE {plus}e.kind = 'settled' AND {plus}e.at_ms >= ? AND e.at_ms < ?{where}"
    )
    candidates = {row[0]: row for row in c.exec_driver_sql(settled_sql, args)}
    rows = candidates | paid
    bills = _bills(c, "paid", start, end, channel, among)
    for order_id, found in _bills(c, "settled", start, end, channel, among).items():
        if order_id not in bills:
            bills[order_id] = found
    paid_ever = _paid_orders(c, [i for i in candidates if i not in paid])
    confirmed = _confirmed_at(c, [i for i in paid if i not in bills])
    shares: dict[int, Share] = {}
    for order_id, row in rows.items():
        _, domain_id, number, order_channel, amount, refunded, cancelled, anomalies, created = row
        in_month = [b for b in bills.get(order_id, ()) if start <= b.at_ms < end]
        other = [b for b in bills.get(order_id, ()) if not start <= b.at_ms < end]
        if order_id not in paid and not in_month:
            continue
        closed = bool(cancelled) or (refunded or 0) > 0
        bi = (0 if closed or amount is None else amount) if order_id in paid else 0
        net = sum(b.net for b in in_month)
        difference = OrderDifference(order_id, domain_id, number, order_channel, bi, net, dict.fromkeys(PARTS, 0))
        share = Share(difference, len(in_month), order_id in paid, kept.day_number_of_ms(created))
        parts = difference.parts
        if order_id in paid and in_month:
            parts["commission"] = sum(b.commission for b in in_month)
            parts["freight_insurance"] = sum(b.freight_insurance for b in in_month)
            parts["coupons"] = sum(b.coupon for b in in_month)
            if closed and not cancelled and amount is not None:
                parts["refund_definition"] = sum(b.refund for b in in_month) - amount
            parts["unexplained"] = bi - net - sum(parts.values())
        elif order_id in paid:  # billed in another month, not billed yet, or never
            # due once signed for, and at the latest a month after payment (an order paid and never signed
            # for is not "not due yet" for ever)
            due = confirmed.get(order_id, paid_at[order_id] + UNSIGNED_DAYS * DAY_MS)
            overdue = now - due > SETTLE_DAYS * DAY_MS
            parts["missing" if not other and overdue else "timing"] = bi
            if not other and not overdue and bi:
                share.due, share.overdue_cause = due, _cause_unbilled(amount, anomalies)
        else:  # billed in this month, paid in another (or never, as far as this cache knows)
            parts["timing" if order_id in paid_ever else "missing"] = -net
        if not any(parts.values()) and not bi and not net:
            continue
        difference.cause = _cause(difference, in_month, amount, anomalies)
        shares[order_id] = share
    return shares


def _confirmed_at(c: Connection, order_ids: list[int]) -> dict[int, int]:
    """When each order was signed for (customer confirmed, else carrier delivered): its bill is due after."""
    found: dict[int, int] = {}
    for at in range(0, len(order_ids), 900):
        chunk = order_ids[at : at + 900]
        sql = ("SELECT order_id, MIN(at_ms) FROM events WHERE +kind IN ('customer_confirmed', 'carrier_delivered') "
               f"AND order_id IN ({','.join('?' * len(chunk))}) GROUP BY order_id")  # fmt: skip
        found.update({r[0]: r[1] for r in c.exec_driver_sql(sql, tuple(chunk))})
    return found


def _paid_orders(c: Connection, order_ids: list[int]) -> set[int]:
    found: set[int] = set()
    for at in range(0, len(order_ids), 900):
        chunk = order_ids[at : at + 900]
        sql = (
            f"SELECT DISTINCT order_id FROM events WHERE +kind = 'paid' AND order_id IN ({','.join('?' * len(chunk))})"
        )
        found.update(r[0] for r in c.exec_driver_sql(sql, tuple(chunk)))
    return found


def _cause(o: OrderDifference, bills: list[Bill], amount: int | None, anomalies: int) -> str | None:
    """Why an order differs beyond the fees: a person's adjustment on the bill is manual intervention; our
    own data being wrong (no paid amount, an open anomaly, a payment we never saw) is a system defect; the
    platform's bill disagreeing with the order, or never coming, is a third-party error."""
    parts = o.parts
    if parts["unexplained"] or parts["missing"]:
        if any(b.adjusted_by for b in bills):
            return "manual_intervention"
        if amount is None or anomalies or parts["missing"] < 0:
            return "system_defect"
        return "third_party"
    if parts["timing"]:
        return "timing"
    if parts["refund_definition"]:
        return "definition"
    return None


def _cause_unbilled(amount: int | None, anomalies: int) -> str:
    return "system_defect" if amount is None or anomalies else "third_party"


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
            except (KeyError, TypeError, ValueError):
                pass  # damaged: worked out below
    result = reconcile(c, month, now_ms=now_ms)
    return MonthTotals(month, result.bi_gmv, result.finance, result.unexplained_abs)
