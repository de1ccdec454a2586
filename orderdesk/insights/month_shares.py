"""Each order's share of a month's BI-versus-finance gap, worked out from the cache: what it adds to BI
GMV and to finance, and the parts its difference is made of (the definitions are in
insights/reconciliation.py, which adds the shares up, and keeps them per month)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Connection

from orderdesk.insights import kept
from orderdesk.insights.consistency import DAY_MS, SETTLE_DAYS

PARTS: tuple[str, ...] = (
    "commission", "freight_insurance", "coupons", "refund_definition", "timing", "missing", "unexplained",
)  # fmt: skip
# Root-cause classes of a differing order (the seed: 系统缺陷 / 人工干预 / 第三方误差), and the two
# differences that are definitions, not faults.
CAUSES: dict[str, tuple[str, str]] = {
    "system_defect": ("系统缺陷", "System defect"),
    "manual_intervention": ("人工干预", "Manual intervention"),
    "third_party": ("第三方误差", "Third-party error"),
    "definition": ("口径差异", "Definition"),
    "timing": ("跨月时点", "Timing"),
}
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


def share_of(row: list[Any]) -> Share:
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


def row_of(s: Share) -> list[Any]:
    o = s.difference
    return [o.order_id, o.domain_id, o.channel_order_no, o.channel, o.bi, o.finance, [o.parts[p] for p in PARTS],
            o.cause, s.bills, s.paid, s.created_day, s.due, s.overdue_cause]  # fmt: skip


def work_out(
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
    paid: dict[int, Sequence[Any]] = {}  # the order's columns, as the settled query's rows hold them
    for hit in c.exec_driver_sql(paid_sql, args):
        paid[hit[0]] = hit[:9]
        paid_at[hit[0]] = hit[9]
    # Bills dated in the month: through the orders first settled in it (a bill dated in the month of an
    # order first settled in an earlier one — settled, reversed, settled again — is not looked for).
    settled_sql = (
        "SELECT DISTINCT o.id, o.domain_id, o.channel_order_no, o.channel, o.paid_amount_fen, o.refunded_fen, "
        "o.cancelled, o.anomaly_count, o.created_at_ms FROM events e JOIN orders o ON o.id = e.order_id "
        f"WHERE {plus}e.kind = 'settled' AND {plus}e.at_ms >= ? AND e.at_ms < ?{where}"
    )
    candidates: dict[int, Sequence[Any]] = {row[0]: row for row in c.exec_driver_sql(settled_sql, args)}
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
