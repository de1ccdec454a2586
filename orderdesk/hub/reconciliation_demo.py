"""The demo's planted reconciliation month: Taobao, January 2026, the seed's story scaled down by a
hundred — BI (生意参谋) GMV 84,200.00 元 against 79,300.00 元 in the finance ledger. The gap is built
from known parts (commission, shipping insurance, coupons, the refund definition, timing across
months, bills missing, and three orders nobody can explain), and :func:`planted_makeup` says what each
part is, from how the orders were made, not from the reconciliation's own arithmetic."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from orderdesk.sync.domain_id import CHINA_TZ

MONTH = "2026-01"
CHANNEL = "taobao"
SHOP = "taobao-flagship"
BI_GMV_FEN = 8_420_000
FINANCE_FEN = 7_930_000
_ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"


@dataclass(slots=True)
class Planted:
    """One order of the month and what it was made to be."""

    category: str  # normal, timing_out, timing_in, partial_refund, missing, third_party, manual, system_defect
    order: dict[str, Any]
    paid_at: datetime
    paid: int | None
    settled_at: datetime | None = None
    bill: dict[str, Any] = field(default_factory=dict)
    refund: int = 0

    @property
    def known_paid(self) -> int:
        """``paid`` of an order made with its amount (every category but system_defect)."""
        if self.paid is None:
            raise ValueError(f"a {self.category} order was made without its paid amount")
        return self.paid

    @property
    def net(self) -> int:
        b = self.bill
        if not b:
            return 0
        return b["gross_fen"] - b["commission_fen"] - b["freight_insurance_fen"] - b["coupon_fen"] - b["refund_fen"]


def _at(day: int, month: int = 1, year: int = 2026, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=CHINA_TZ)


def plant(seed: int = 2026) -> list[Planted]:
    """The month's orders, with BI GMV and the finance ledger forced to the story's totals."""
    rnd = random.Random(seed)
    made: list[Planted] = []

    def order(category: str, paid_at: datetime, settle_after: int | None, *, amount: bool = True) -> Planted:
        n = len(made)
        lines: list[dict[str, Any]] = [{"line_no": i + 1, "sku": f"SKU-{rnd.randint(1, 400):05d}", "title": "母婴用品", "quantity": 1,
                  "unit_price_fen": rnd.randint(40, 240) * 100} for i in range(rnd.randint(1, 2))]  # fmt: skip
        total = sum(line["unit_price_fen"] for line in lines)
        day = paid_at.strftime("%Y%m%d")
        record = {
            "domain_id": "DB" + day + "".join(rnd.choice(_ALPHABET) for _ in range(12)),
            "channel": CHANNEL, "shop": SHOP, "channel_order_no": f"TB{day}9{n:05d}",
            "created_at": (paid_at - timedelta(minutes=3)).isoformat(),
            "receiver": {"name": "对账示例", "phone": f"139{n:08d}", "province": "浙江省", "city": "杭州市",
                         "district": "西湖区", "address": f"西湖区对账路{n + 1}号"},
            "lines": lines, "paid_amount_fen": total if amount else None, "waybill_no": f"YT{7800000000 + n}",
            "carrier": "YTO",
        }  # fmt: skip
        planted = Planted(category, record, paid_at, total if amount else None)
        if settle_after is not None:
            planted.settled_at = paid_at + timedelta(days=settle_after)
            planted.bill = {"bill_no": f"ZFB{day}{n:05d}", "gross_fen": total,
                            "commission_fen": total * 25 // 1000,  # 2.5% technical service fee
                            "freight_insurance_fen": rnd.choice((0, 0, 45, 90, 150)),  # 运费险, paid by the seller
                            "coupon_fen": rnd.choice((0, 0, 0, 500, 1000, 2000)),  # the seller's share of coupons
                            "refund_fen": 0}  # fmt: skip
        made.append(planted)
        return planted

    for i in range(300):
        order("normal", _at(1 + i % 19, hour=9 + i % 10), 8 + i % 4)
    for i in range(20):  # paid at the month's end, settled in February
        order("timing_out", _at(27 + i % 5, hour=9 + i % 8), 7 + i % 3)
    for i in range(15):  # paid in December, settled in January
        order("timing_in", _at(22 + i % 8, month=12, year=2025), 11 + i % 3)
    for i in range(12):  # one line refunded: the platform closes the order, finance books the refund only
        p = order("partial_refund", _at(3 + i, hour=15), 10)
        p.refund = p.order["lines"][-1]["unit_price_fen"] // 2 if len(p.order["lines"]) > 1 else p.known_paid // 3
        p.bill["refund_fen"] = p.refund
    for i in range(6):  # delivered, confirmed, and never billed
        order("missing", _at(5 + 2 * i, hour=11), None)
    third = order("third_party", _at(12, hour=14), 9)
    third.bill["gross_fen"] -= 1_200  # the platform settled 12.00 元 short
    manual = order("manual", _at(14, hour=16), 9)
    manual.bill["gross_fen"] += 500  # a clerk added 5.00 元 by hand
    manual.bill["adjusted_by"] = "财务-李娜"
    defect = order("system_defect", _at(16, hour=10), 9, amount=False)  # our copy lost the paid amount
    defect.bill["gross_fen"] = sum(line["unit_price_fen"] for line in defect.order["lines"])

    _force_totals(made)
    return made


def _force_totals(made: list[Planted]) -> None:
    """Adjust the normal orders' prices so BI is the story's figure, then their coupons so finance is too."""
    normal = [p for p in made if p.category == "normal"]
    delta = BI_GMV_FEN - sum(_bi(p) for p in made)
    for index, p in enumerate(normal):  # spread over every normal order, the remainder on the last
        share = delta // len(normal) + (delta % len(normal) if index == len(normal) - 1 else 0)
        p.order["lines"][0]["unit_price_fen"] += share
        p.order["paid_amount_fen"] += share
        p.paid = p.order["paid_amount_fen"]
        p.bill["gross_fen"] += share
        p.bill["commission_fen"] = p.bill["gross_fen"] * 25 // 1000
    surplus = sum(p.net for p in made if _bill_in_month(p)) - FINANCE_FEN  # > 0: more coupons; < 0: fewer
    for p in reversed(normal):
        if surplus == 0:
            break
        change = surplus if surplus > 0 else -min(-surplus, p.bill["coupon_fen"])
        p.bill["coupon_fen"] += change
        surplus -= change
    if surplus:
        raise AssertionError(f"cannot force the finance total: {surplus} fen left")


def _bi(p: Planted) -> int:
    in_month = p.paid_at.strftime("%Y-%m") == MONTH
    return p.paid if in_month and p.paid is not None and not p.refund else 0


def _bill_in_month(p: Planted) -> bool:
    return p.settled_at is not None and p.settled_at.strftime("%Y-%m") == MONTH


def planted_makeup(made: list[Planted] | None = None) -> dict[str, int]:
    """Each part of the gap, by how the orders were made."""
    made = plant() if made is None else made
    parts = dict.fromkeys(("commission", "freight_insurance", "coupons", "refund_definition", "timing", "missing",
                           "unexplained"), 0)  # fmt: skip
    for p in made:
        both = _bill_in_month(p) and p.paid_at.strftime("%Y-%m") == MONTH
        if both:
            parts["commission"] += p.bill["commission_fen"]
            parts["freight_insurance"] += p.bill["freight_insurance_fen"]
            parts["coupons"] += p.bill["coupon_fen"]
        if p.category == "partial_refund":
            parts["refund_definition"] += p.refund - p.known_paid
        elif p.category == "timing_out":
            parts["timing"] += p.known_paid
        elif p.category == "timing_in":
            parts["timing"] -= p.net
        elif p.category == "missing":
            parts["missing"] += p.known_paid
        elif p.category == "third_party":
            parts["unexplained"] += 1_200
        elif p.category == "manual":
            parts["unexplained"] -= 500
        elif p.category == "system_defect":
            parts["unexplained"] -= p.bill["gross_fen"]
    parts["bi_gmv"] = sum(_bi(p) for p in made)
    parts["finance"] = sum(p.net for p in made if _bill_in_month(p))
    return parts


def records(made: list[Planted] | None = None) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """The month as the hub receives it: each order and its observations (Taobao, the carrier, finance)."""
    for p in plant() if made is None else made:
        o = p.order
        ref = {"channel": CHANNEL, "shop": SHOP, "channel_order_no": o["channel_order_no"]}
        carrier = {"waybill_no": o["waybill_no"]}
        at = p.paid_at
        observations: list[dict[str, Any]] = [
            {"source": CHANNEL, "status": "WAIT_SELLER_SEND_GOODS", "observed_at": at.isoformat(), "order": ref},
            {"source": CHANNEL, "status": "WAIT_BUYER_CONFIRM_GOODS", "observed_at": (at + timedelta(hours=20)).isoformat(), "order": ref},
            {"source": "kuaidi100", "status": 3, "observed_at": (at + timedelta(days=2)).isoformat(), "order": carrier},
            {"source": CHANNEL, "status": "TRADE_FINISHED", "observed_at": (at + timedelta(days=3)).isoformat(), "order": ref},
        ]  # fmt: skip
        if p.refund:
            line = o["lines"][-1]["line_no"]
            observations.append({"source": "finance", "status": "REFUND_SETTLED", "line_no": line,
                                 "refund_id": f"RF{o['channel_order_no']}", "refund_fen": p.refund,
                                 "observed_at": (at + timedelta(days=4)).isoformat(), "order": ref})  # fmt: skip
        if p.settled_at is not None:
            observations.append({"source": "finance", "status": "SETTLED", "fields": dict(p.bill),
                                 "observed_at": p.settled_at.isoformat(), "order": ref,
                                 "operator": p.bill.get("adjusted_by", "system")})  # fmt: skip
        yield o, observations


def seed(store: Any) -> int:
    """Put the month into a hub through its normal write path. Returns the orders written."""
    from orderdesk.hub.rows import observation_rows, order_rows
    from orderdesk.sync.contract import ObservationRecord, OrderRecord

    pairs = list(records())
    orders = order_rows([OrderRecord.model_validate(o) for o, _ in pairs])
    observations = observation_rows([ObservationRecord.model_validate(x) for _, its in pairs for x in its])
    with store.write() as c:
        store.put_order_rows(c, orders)
        store.put_observation_rows(c, observations)
    return len(pairs)
