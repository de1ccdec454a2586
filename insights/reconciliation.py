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
from dataclasses import dataclass, field
from datetime import date

import orjson
from sqlalchemy import Connection

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


@dataclass(slots=True)
class Reconciliation:
    month: str
    channel: str | None
    bi_gmv: int = 0
    finance: int = 0
    parts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PARTS, 0))
    orders: dict[str, list[OrderDifference]] = field(default_factory=lambda: {p: [] for p in PARTS})
    unexplained_abs: int = 0
    bills: int = 0
    bi_orders: int = 0

    @property
    def gap(self) -> int:
        return self.bi_gmv - self.finance

    @property
    def unexplained_rate(self) -> float | None:
        return self.unexplained_abs / self.bi_gmv if self.bi_gmv else None

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


def _bills(c: Connection, kind: str, start: int, end: int, channel: str | None) -> dict[int, list[Bill]]:
    """Every settlement bill of the orders with a ``kind`` event in [start, end), latest per bill number:
    one join, each order's observations found through its own index."""
    found: dict[str, Bill] = {}
    sql = (
        "SELECT b.order_id, b.key, b.observed_at_ms, b.fields_json FROM events e "
        "JOIN observations b ON b.order_id = e.order_id "
        + ("JOIN orders o ON o.id = e.order_id " if channel else "")
        + "WHERE e.kind = ? AND e.at_ms >= ? AND e.at_ms < ? AND b.source_system = 'finance' AND b.raw_status = 'SETTLED'"
        + (" AND o.channel = ?" if channel else "")
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
    """The month's reconciliation for one channel (or all): totals, parts and their orders."""
    start, end = month_bounds(month)
    now = now_ms if now_ms is not None else int(time.time() * 1000)
    result = Reconciliation(month, channel)
    where_channel = " AND o.channel = ?" if channel else ""
    args: tuple[object, ...] = (start, end, channel) if channel else (start, end)
    paid_sql = (
        "SELECT o.id, o.domain_id, o.channel_order_no, o.channel, o.paid_amount_fen, o.refunded_fen, o.cancelled, "
        "o.anomaly_count, e.at_ms FROM events e JOIN orders o ON o.id = e.order_id "
        f"WHERE e.kind = 'paid' AND e.at_ms >= ? AND e.at_ms < ?{where_channel}"
    )
    paid_at: dict[int, int] = {}
    paid = {}
    for row in c.exec_driver_sql(paid_sql, args):
        paid[row[0]] = row[:8]
        paid_at[row[0]] = row[8]
    # Bills dated in the month: through the orders first settled in it (a bill dated in the month of an
    # order first settled in an earlier one — settled, reversed, settled again — is not looked for).
    settled_sql = (
        "SELECT DISTINCT o.id, o.domain_id, o.channel_order_no, o.channel, o.paid_amount_fen, o.refunded_fen, "
        "o.cancelled, o.anomaly_count FROM events e JOIN orders o ON o.id = e.order_id "
        f"WHERE e.kind = 'settled' AND e.at_ms >= ? AND e.at_ms < ?{where_channel}"
    )
    candidates = {row[0]: row for row in c.exec_driver_sql(settled_sql, args)}
    rows = candidates | paid
    bills = _bills(c, "paid", start, end, channel)
    for order_id, found in _bills(c, "settled", start, end, channel).items():
        if order_id not in bills:
            bills[order_id] = found
    paid_ever = _paid_orders(c, [i for i in candidates if i not in paid])
    confirmed = _confirmed_at(c, [i for i in paid if i not in bills])
    for order_id, row in rows.items():
        _, domain_id, number, order_channel, amount, refunded, cancelled, anomalies = row
        in_month = [b for b in bills.get(order_id, ()) if start <= b.at_ms < end]
        other = [b for b in bills.get(order_id, ()) if not start <= b.at_ms < end]
        if order_id not in paid and not in_month:
            continue
        closed = bool(cancelled) or (refunded or 0) > 0
        bi = (0 if closed or amount is None else amount) if order_id in paid else 0
        net = sum(b.net for b in in_month)
        difference = OrderDifference(order_id, domain_id, number, order_channel, bi, net, dict.fromkeys(PARTS, 0))
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
        else:  # billed in this month, paid in another (or never, as far as this cache knows)
            parts["timing" if order_id in paid_ever else "missing"] = -net
        if not any(parts.values()) and not bi and not net:
            continue
        result.bi_gmv += bi
        result.finance += net
        result.bills += len(in_month)
        result.bi_orders += order_id in paid
        for part, value in parts.items():
            result.parts[part] += value
            if value:
                result.orders[part].append(difference)
        result.unexplained_abs += abs(parts["unexplained"])
        difference.cause = _cause(difference, in_month, amount, anomalies)
    return result


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


def channels_of_month(c: Connection, month: str) -> list[str]:
    start, end = month_bounds(month)
    sql = "SELECT DISTINCT o.channel FROM events e JOIN orders o ON o.id = e.order_id WHERE e.kind = 'paid' AND e.at_ms >= ? AND e.at_ms < ? ORDER BY 1"
    return [r[0] for r in c.exec_driver_sql(sql, (start, end))]


_MEMO: dict[tuple[object, ...], Reconciliation] = {}
_MEMO_SIZE = 16


def reconcile_memo(
    c: Connection, month: str, channel: str | None = None, *, now_ms: int | None = None
) -> Reconciliation:
    """:func:`reconcile`, kept in this process while the cache has not changed: the health score and the
    self-check ask for last month's gap every time, and a closed month of 100,000 orders takes seconds.
    The cache has changed when its audit log or its events have grown (every state change writes both);
    the day is part of the key too (a bill not due yesterday may be missing today)."""
    now = now_ms if now_ms is not None else int(time.time() * 1000)
    audit, events = c.exec_driver_sql("SELECT (SELECT MAX(seq) FROM audit_log), (SELECT MAX(id) FROM events)").one()
    key = (str(c.engine.url), month, channel, audit, events, now // DAY_MS)
    found = _MEMO.get(key)
    if found is None:
        found = reconcile(c, month, channel, now_ms=now)
        if len(_MEMO) >= _MEMO_SIZE:
            _MEMO.pop(next(iter(_MEMO)))
        _MEMO[key] = found
    return found
