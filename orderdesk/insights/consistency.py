"""Whether the channel, the carrier and finance agree about each order (the seed's 伪闭环), counted per
channel and day.

Each kind of disagreement, precisely (``now`` is when it is asked; a day is the order's creation day
in China time; "the channel says X" means some channel observation of the order maps to X or beyond):

- ``signed_not_delivered`` 渠道已签收、物流未签收: the channel says customer confirmed, and the carrier
  never said delivered, or its latest word after saying delivered is an earlier state (派件中).
- ``signed_not_settled`` 已签收、财务未结算: the channel said customer confirmed more than
  ``SETTLE_DAYS`` days ago and finance has not said settled.
- ``settled_refund_open`` 财务已结算、退款未完结: finance says settled while a refund is open.
- ``shipped_no_tracking`` 已发货超 48 小时无物流轨迹: the channel said shipped more than 48 hours ago
  and the carrier has said nothing at all about the parcel.
- ``delivered_not_confirmed`` 物流已签收、渠道超期未确认: the carrier said delivered more than
  ``CONFIRM_DAYS`` days ago (past every channel's automatic confirmation) and the channel still says
  less than customer confirmed (and the order is neither cancelled, refunded in full nor settled:
  Pinduoduo settles without a confirmation).
- ``settled_not_delivered`` 财务已结算、未见签收: finance settled an order that neither the carrier nor
  the channel has said was delivered.

rate = orders with at least one disagreement / orders created that day on that channel; above
``RATE_BAR`` (0.3%, the seed's daily report) a channel-day is highlighted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from orderdesk.insights import kept
from orderdesk.sync.china_time import CHINA_TZ, day_start_ms

HOUR_MS = 3_600_000
DAY_MS = 24 * HOUR_MS
SETTLE_DAYS = 10  # T+7 settlement, and three days' grace
CONFIRM_DAYS = 15  # the longest automatic confirmation after delivery (Douyin 15 days, Taobao 10)
NO_TRACKING_HOURS = 48
RATE_BAR = 0.003

KINDS: dict[str, tuple[str, str]] = {
    "signed_not_delivered": ("渠道已签收,物流未签收", "Channel says signed, carrier does not"),
    "signed_not_settled": ("已签收,财务仍未结算", "Signed, finance not settled"),
    "settled_refund_open": ("已结算,退款未完结", "Settled while a refund is open"),
    "shipped_no_tracking": ("发货超 48 小时无物流轨迹", "Shipped 48 h ago, no tracking"),
    "delivered_not_confirmed": ("物流已签收,渠道超期未确认", "Carrier delivered, channel overdue"),
    "settled_not_delivered": ("已结算,未见签收", "Settled, never delivered"),
}

# One row per order: what each source system has said, in a form the kinds above read.
_CLAIMS = """
SELECT o.id, o.channel, o.shop, o.created_at_ms, o.refund, o.cancelled,
  MIN(CASE WHEN b.source_system = 'channel' AND b.fulfilment IN ('SHIPPED', 'CARRIER_DELIVERED',
      'CUSTOMER_CONFIRMED', 'SETTLED') THEN b.observed_at_ms END),
  MIN(CASE WHEN b.source_system = 'channel' AND b.fulfilment IN ('CUSTOMER_CONFIRMED', 'SETTLED')
      THEN b.observed_at_ms END),
  COUNT(CASE WHEN b.source_system = 'logistics' THEN 1 END),
  MAX(CASE WHEN b.source_system = 'logistics' AND b.fulfilment = 'CARRIER_DELIVERED' THEN b.observed_at_ms END),
  MIN(CASE WHEN b.source_system = 'logistics' AND b.fulfilment = 'CARRIER_DELIVERED' THEN b.observed_at_ms END),
  MAX(CASE WHEN b.source_system = 'logistics' AND b.fulfilment IN ('PAID', 'SHIPPED') THEN b.observed_at_ms END),
  MAX(CASE WHEN b.source_system = 'finance' AND b.fulfilment = 'SETTLED' THEN b.observed_at_ms END)
FROM orders o LEFT JOIN observations b ON b.order_id = o.id
WHERE o.created_at_ms >= ? AND o.created_at_ms < ? {where}
GROUP BY o.id
"""


@dataclass(slots=True)
class ChannelDay:
    channel: str
    day: str
    orders: int = 0
    disagreeing: int = 0
    kinds: dict[str, int] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.disagreeing / self.orders if self.orders else 0.0

    @property
    def highlighted(self) -> bool:
        return self.rate > RATE_BAR


@dataclass(slots=True)
class Consistency:
    start: str
    end: str
    cells: dict[tuple[str, str], ChannelDay] = field(default_factory=dict)  # (channel, day)
    orders_by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind → order ids
    order_kinds: dict[int, list[str]] = field(default_factory=dict)
    order_cell: dict[int, tuple[str, str]] = field(default_factory=dict)

    def per_channel(self) -> list[ChannelDay]:
        totals: dict[str, ChannelDay] = {}
        for cell in self.cells.values():
            t = totals.setdefault(cell.channel, ChannelDay(cell.channel, f"{self.start}…{self.end}"))
            t.orders += cell.orders
            t.disagreeing += cell.disagreeing
            for kind, n in cell.kinds.items():
                t.kinds[kind] = t.kinds.get(kind, 0) + n
        return sorted(totals.values(), key=lambda t: (-t.rate, t.channel))

    def total(self) -> ChannelDay:
        t = ChannelDay("*", f"{self.start}…{self.end}")
        for cell in self.per_channel():
            t.orders += cell.orders
            t.disagreeing += cell.disagreeing
            for kind, n in cell.kinds.items():
                t.kinds[kind] = t.kinds.get(kind, 0) + n
        return t

    def days(self) -> list[str]:
        return sorted({day for _, day in self.cells})

    def drill(self, *, kind: str | None = None, channel: str | None = None, day: str | None = None) -> list[int]:
        """The disagreeing orders of a kind, channel and/or day, in id order."""
        found = []
        for order_id, kinds in self.order_kinds.items():
            order_channel, order_day = self.order_cell[order_id]
            if (kind is None or kind in kinds) and channel in (None, order_channel) and day in (None, order_day):
                found.append(order_id)
        return sorted(found)


def china_day(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).astimezone(CHINA_TZ).strftime("%Y-%m-%d")


def day_range(start: date, end: date) -> tuple[int, int]:
    """[start, end] as epoch ms [from, to), China time."""
    return day_start_ms(start), day_start_ms(end + timedelta(days=1))


def order_kinds(row: Sequence[Any], now_ms: int) -> list[str]:
    """The disagreements of one order's claims row (``_CLAIMS``)."""
    (_, _, _, _, refund, cancelled, shipped_at, confirmed_at, carrier_says, delivered_last, delivered_first,
     lower_last, settled_at) = row  # fmt: skip
    kinds = []
    if confirmed_at is not None and (delivered_last is None or (lower_last or 0) > delivered_last):
        kinds.append("signed_not_delivered")
    if confirmed_at is not None and settled_at is None and now_ms - confirmed_at > SETTLE_DAYS * DAY_MS:
        kinds.append("signed_not_settled")
    if settled_at is not None and refund == "refunding":
        kinds.append("settled_refund_open")
    if shipped_at is not None and not carrier_says and now_ms - shipped_at > NO_TRACKING_HOURS * HOUR_MS:
        kinds.append("shipped_no_tracking")
    if (delivered_first is not None and confirmed_at is None and settled_at is None and not cancelled
            and refund != "refunded" and now_ms - delivered_first > CONFIRM_DAYS * DAY_MS):  # fmt: skip
        kinds.append("delivered_not_confirmed")
    if settled_at is not None and delivered_first is None and confirmed_at is None:
        kinds.append("settled_not_delivered")
    return kinds


def consistency(
    c: Connection, start: date, end: date, *, now: datetime | None = None, channels: Iterable[str] = (),
    shop: str | None = None,
) -> Consistency:  # fmt: skip
    """Per channel and day (orders created from ``start`` to ``end`` inclusive). Each day's figures are
    kept in the cache (insights/kept.py) and read again while nothing of that day has changed."""
    now_ms = int((now or datetime.now(UTC)).timestamp() * 1000)
    result = Consistency(start.isoformat(), end.isoformat())
    wanted = set(channels)
    if start >= kept.FIRST_KEPT_DAY and kept.available(c):
        bodies = _kept_bodies(c, start, end, now_ms)
    else:
        lo, hi = day_range(start, end)
        bodies = _bodies(c, lo, hi, now_ms, sorted(wanted), shop)
    for day, body in sorted(bodies.items()):
        _add_day(result, day, body, now_ms, wanted, shop)
    for ids in result.orders_by_kind.values():
        ids.sort()
    return result


# A kept day's figures are good for these definitions only.
KEPT_KIND = f"consistency/{SETTLE_DAYS}d/{CONFIRM_DAYS}d/{NO_TRACKING_HOURS}h/1"
_END_OF_TIME = 2**62


def _kept_bodies(c: Connection, start: date, end: date, now_ms: int) -> dict[str, dict[str, Any]]:
    first, last = kept.day_number(start), kept.day_number(end)
    found = kept.load_days(c, KEPT_KIND, first, last, now_ms, _well_formed)
    bodies = {kept.day_of_number(day).isoformat(): body for day, body in found.bodies.items()}
    fresh = []
    for run_first, run_last in found.missing(first, last):
        lo, hi = day_range(kept.day_of_number(run_first), kept.day_of_number(run_last))
        computed = _bodies(c, lo, hi, now_ms, [], None)
        for day in range(run_first, run_last + 1):
            name = kept.day_of_number(day).isoformat()
            body = bodies[name] = computed.get(name, _empty_body())
            fresh.append((day, found.bases.get(day, 0), now_ms, body))
    kept.save_days(c, KEPT_KIND, fresh)
    return bodies


def _well_formed(body: Any) -> bool:
    def final(row: Any) -> bool:
        return (isinstance(row, list) and len(row) == 4 and kept.is_int(row[0]) and isinstance(row[1], str)
                and isinstance(row[2], str) and kept.is_list_of(row[3], lambda k: k in KINDS))  # fmt: skip

    def open_row(row: Any) -> bool:
        return (isinstance(row, list) and len(row) == 13 and kept.is_int(row[0]) and isinstance(row[1], str)
                and isinstance(row[2], str) and isinstance(row[4], str)
                and all(v is None or kept.is_int(v) for v in (row[3], row[5], *row[6:])))  # fmt: skip

    return (isinstance(body, dict) and isinstance(orders := body.get("orders"), dict)
            and all(isinstance(k, str) and "\t" in k and kept.is_int(v) for k, v in orders.items())
            and kept.is_list_of(body.get("final"), final) and kept.is_list_of(body.get("open"), open_row))  # fmt: skip


def _empty_body() -> dict[str, Any]:
    return {"orders": {}, "final": [], "open": []}


def _bodies(
    c: Connection, lo: int, hi: int, now_ms: int, channels: list[str], shop: str | None
) -> dict[str, dict[str, Any]]:
    """Each day's body: orders per channel and shop; the disagreements that time cannot change any more
    ("final": id, channel, shop, kinds); and the whole claims row of every order a disagreement may
    still come to with time alone ("open", judged again whenever asked)."""
    where = ""
    args: list[int | str] = [lo, hi]
    if channels:
        where += f" AND o.channel IN ({','.join('?' * len(channels))})"
        args += channels
    if shop:
        where += " AND o.shop = ?"
        args.append(shop)
    bodies: dict[str, dict[str, Any]] = {}
    for row in c.exec_driver_sql(_CLAIMS.format(where=where), tuple(args)):
        order_id, channel, order_shop, created = row[0], row[1], row[2], row[3]
        body = bodies.get(day := china_day(created))
        if body is None:
            body = bodies[day] = _empty_body()
        key = f"{channel}\t{order_shop}"
        body["orders"][key] = body["orders"].get(key, 0) + 1
        kinds = order_kinds(tuple(row), now_ms)
        if kinds != order_kinds(tuple(row), _END_OF_TIME):
            body["open"].append(list(row))
        elif kinds:
            body["final"].append([order_id, channel, order_shop, kinds])
    return bodies


def _add_day(
    result: Consistency, day: str, body: dict[str, Any], now_ms: int, wanted: set[str], shop: str | None
) -> None:
    def chosen(channel: str, order_shop: str) -> bool:
        return (not wanted or channel in wanted) and (shop is None or order_shop == shop)

    for key, n in body["orders"].items():
        channel, order_shop = key.split("\t", 1)
        if chosen(channel, order_shop):
            cell = result.cells.get((channel, day))
            if cell is None:
                cell = result.cells[(channel, day)] = ChannelDay(channel, day)
            cell.orders += n
    disagreements = [(o, ch, sh, k) for o, ch, sh, k in body["final"] if chosen(ch, sh)]
    disagreements += [(row[0], row[1], row[2], order_kinds(tuple(row), now_ms)) for row in body["open"]
                      if chosen(row[1], row[2])]  # fmt: skip
    for order_id, channel, _, kinds in disagreements:
        if not kinds:
            continue
        cell = result.cells[(channel, day)]
        cell.disagreeing += 1
        result.order_kinds[order_id] = kinds
        result.order_cell[order_id] = (channel, day)
        for kind in kinds:
            cell.kinds[kind] = cell.kinds.get(kind, 0) + 1
            result.orders_by_kind.setdefault(kind, []).append(order_id)
