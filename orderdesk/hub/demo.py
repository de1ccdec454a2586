"""Demo traffic: orders across Taobao, Douyin, Pinduoduo, WeChat Channels, Youzan and the own
mini-program, with Kuaidi100 tracking and finance settlements. Deterministic for a seed value, unified
ids included. It carries what a real day carries and what the dashboards must find: rare characters
in names, partial refunds, orders closed with a full refund, late and duplicated pushes, updates
before their order, a carrier saying "out for delivery" after it said signed, a carrier signature
stamped before the shipment, a parcel that left after a full refund, problem parcels, missing paid
amounts and a status nobody mapped. ``planted_records`` tells which anomalies each order must show."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鑫"
RARE = "龘堃喆昇赟犇淼焱𠀾𪚥"  # outside GB2312, some outside the BMP
PLACES = [("浙江省", "杭州市", "西湖区"), ("广东省", "深圳市", "南山区"), ("上海市", "上海市", "浦东新区"),
          ("四川省", "成都市", "武侯区"), ("北京市", "北京市", "朝阳区")]  # fmt: skip
CHANNELS: dict[str, list[str | int]] = {"taobao": ["WAIT_SELLER_SEND_GOODS", "WAIT_BUYER_CONFIRM_GOODS", "TRADE_FINISHED"],
            "douyin": [105, 3, 5], "pdd": [1, 2, 3], "wechat_channels": [20, 30, 100],
            "youzan": ["WAIT_SELLER_SEND_GOODS", "WAIT_BUYER_CONFIRM_GOODS", "TRADE_SUCCESS"],
            "miniapp": ["PAID", "SHIPPED", "RECEIVED"]}  # fmt: skip
START = datetime(2026, 1, 1, tzinfo=UTC)


def _iso(moment: datetime) -> str:
    return moment.isoformat()


_ID_ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def records(
    count: int,
    seed: int = 7,
    *,
    first: int = 0,
    start: datetime = START,
    spacing_s: float = 26.0,
    until: datetime | None = None,
) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """(order, its observations) pairs: about 4–6 observations and 2 lines per order. Orders are
    numbered from ``first`` (order and waybill numbers follow it) and created from ``start`` on, one
    every ``spacing_s`` seconds. With ``until``, what would happen after it has not happened yet:
    those observations are left out (a demo dated up to today has orders still on their way)."""
    for order, observations, _ in planted_records(count, seed, first=first, start=start, spacing_s=spacing_s,
                                                  until=until):  # fmt: skip
        yield order, observations


def planted_records(
    count: int,
    seed: int = 7,
    *,
    first: int = 0,
    start: datetime = START,
    spacing_s: float = 26.0,
    until: datetime | None = None,
) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]], list[str]]]:
    """:func:`records` with what each order was given to go wrong: the kinds of anomaly it must show
    open once every observation is in (``bench/anomalies.py`` measures precision and recall on them)."""
    rnd = random.Random(seed)
    invoices = random.Random(seed * 7919 + 1)  # its own sequence: the rest of the demo is as it was
    channels = list(CHANNELS)
    for n in range(first, first + count):
        channel = channels[n % len(channels)]
        created = start + timedelta(seconds=(n - first) * spacing_s)
        name = rnd.choice(SURNAMES) + "".join(
            rnd.choice(GIVEN + (RARE if rnd.random() < 0.02 else "")) for _ in range(rnd.randint(1, 2))
        )
        province, city, district = rnd.choice(PLACES)
        lines: list[dict[str, Any]] = [
            {"line_no": i + 1, "sku": f"SKU-{rnd.randint(1, 5000):05d}", "title": "商品", "quantity": rnd.randint(1, 3),
             "unit_price_fen": rnd.randint(500, 30000)}
            for i in range(rnd.randint(1, 3))
        ]  # fmt: skip
        total = sum(line["quantity"] * line["unit_price_fen"] for line in lines)
        day = (created + timedelta(hours=8)).strftime("%Y%m%d")
        order_no = f"{channel[:2].upper()}{day}{n:06d}"  # the platform's style: the day, then a number
        waybill = f"SF{1400000000000 + n}"
        order: dict[str, Any] = {
            "domain_id": "DB" + day + "".join(rnd.choice(_ID_ALPHABET) for _ in range(12)),
            "channel": channel, "shop": f"{channel}-flagship", "channel_order_no": order_no, "created_at": _iso(created),
            "receiver": {"name": name, "phone": f"1{rnd.randint(3, 9)}{rnd.randint(0, 999999999):09d}",
                         "province": province, "city": city, "district": district,
                         "address": f"{district}文三路{rnd.randint(1, 999)}号{rnd.randint(1, 30)}幢"},
            "lines": lines, "paid_amount_fen": total if rnd.random() > 0.01 else None, "waybill_no": waybill,
            "carrier": "SF",
        }  # fmt: skip
        request = _invoice_request(invoices, channel)
        if request is not None:
            order["invoice"] = request
            if request["buyer_type"] == "company":  # a company's goods go to the company: its orders merge
                place = random.Random(request["title"])
                province, city, district = place.choice(PLACES)
                order["receiver"] |= {"province": province, "city": city, "district": district,
                                      "address": f"{district}示例路{place.randint(1, 99)}号"}  # fmt: skip
        ref = {"channel": channel, "shop": order["shop"], "channel_order_no": order_no}
        paid, shipped, confirmed = CHANNELS[channel]
        at = created + timedelta(minutes=rnd.randint(1, 30))
        if rnd.random() < 0.015:  # never paid: the buyer, or the payment timeout, cancelled it
            yield order, _unpaid(channel, ref, created, at, until), []
            continue
        observations: list[dict[str, Any]] = [
            {"source": channel, "status": paid, "observed_at": _iso(at), "order": ref}
        ]
        plants: list[tuple[str, dict[str, Any]]] = []  # (anomaly kind, the observation it rests on)
        if order["paid_amount_fen"] is None:
            plants.append(("missing_paid_amount", observations[0]))
        stage = rnd.random()
        shipped_at = at
        if stage > 0.15:
            at += timedelta(hours=rnd.randint(2, 30))
            shipped_at = at
            observations.append({"source": channel, "status": shipped, "observed_at": _iso(at), "order": ref})
            observations.append({"source": "kuaidi100", "status": 0, "observed_at": _iso(at + timedelta(hours=3)),
                                 "order": {"waybill_no": waybill}})  # fmt: skip
        if stage > 0.35:
            at += timedelta(days=rnd.randint(1, 3))
            observations.append(
                {"source": "kuaidi100", "status": 3, "observed_at": _iso(at), "order": {"waybill_no": waybill}}
            )
            at += timedelta(hours=rnd.randint(1, 72))
            observations.append({"source": channel, "status": confirmed, "observed_at": _iso(at), "order": ref})
        settles = stage > 0.35  # finance settles a confirmed order a week later (T+7), with its bill
        if rnd.random() < 0.05 and channel == "douyin":
            observations.append({"source": "douyin", "status": 3, "status_field": "refund_status", "line_no": 1,
                                 "observed_at": _iso(at + timedelta(days=1)), "order": ref})  # fmt: skip
        if rnd.random() < 0.03:  # a late, stale push: a regression once the channel had said more
            stale = {"source": channel, "status": paid, "observed_at": _iso(at + timedelta(days=2)), "order": ref}
            observations.append(stale)
            if stage > 0.15:
                plants.append(("regression", stale))
        trouble, planted = _trouble(rnd, n, channel, stage, created, at, shipped_at, waybill, ref, lines)
        observations.extend(trouble)
        plants.extend(planted)
        if rnd.random() < 0.05:  # delivered twice
            observations.append(dict(rnd.choice(observations)))
        # Systems that disagree (the consistency dashboard's 伪闭环), chosen by the order's number so the
        # draws above stay as they were: finance never bills one confirmed order in 97, and the carrier
        # never reports one shipped order in 131 (its tracking was never subscribed).
        if settles and n % 97 != 13:  # after the draws above, so the rest of the demo is as it was before bills
            observations.append(_settlement(order, ref, at + timedelta(days=7), observations))
        if stage > 0.15 and not trouble and n % 131 == 29:
            observations = [o for o in observations if o["source"] != "kuaidi100"]
        if until is not None:
            observations = [o for o in observations if datetime.fromisoformat(o["observed_at"]) <= until]
        kept = {id(o) for o in observations}
        yield order, observations, [kind for kind, rests_on in plants if id(rests_on) in kept]


# What each channel keeps back at settlement (its technical service fee), per mille, and the shipping
# insurance (运费险) premium the seller pays per order, in fen.
COMMISSION_PER_MILLE = {"taobao": 25, "douyin": 20, "pdd": 6, "wechat_channels": 10, "youzan": 8, "miniapp": 0}
FREIGHT_INSURANCE_FEN = {"taobao": 90, "douyin": 120, "pdd": 60, "wechat_channels": 0, "youzan": 0, "miniapp": 0}


def _settlement(
    order: dict[str, Any], ref: dict[str, Any], at: datetime, observations: list[dict[str, Any]]
) -> dict[str, Any]:
    """Finance's settlement bill for an order (docs/orders.md, "Finance source"): gross, the channel's fee, the
    shipping insurance, the seller's share of coupons, and the refunds already booked. Derived from
    the order alone (no random draw), so adding bills left every other demo order as it was."""
    gross = order["paid_amount_fen"] or sum(line["quantity"] * line["unit_price_fen"] for line in order["lines"])
    channel = order["channel"]
    refunded = sum(o.get("refund_fen") or 0 for o in observations if o["status"] == "REFUND_SETTLED")
    number = order["channel_order_no"]
    bill = {"bill_no": "BILL" + number, "gross_fen": gross, "commission_fen": gross * COMMISSION_PER_MILLE[channel] // 1000,
            "freight_insurance_fen": FREIGHT_INSURANCE_FEN[channel],
            "coupon_fen": 500 if int(number[-2:]) % 9 == 0 else 0, "refund_fen": refunded}  # fmt: skip
    return {"source": "finance", "status": "SETTLED", "fields": bill, "observed_at": _iso(at), "order": ref}


# Cancellation as each channel says it (read with its mapping table).
CANCELS: dict[str, Any] = {"taobao": "TRADE_CLOSED_BY_TAOBAO", "douyin": 4, "pdd": 1, "wechat_channels": 250,
                           "youzan": "TRADE_CLOSED", "miniapp": "CANCELLED"}  # fmt: skip
CANCEL_FIELDS: dict[str, dict[str, Any]] = {"douyin": {"main_status": 4}, "pdd": {"confirm_status": 2}}


COMPANIES = ["杭州云帆科技有限公司", "深圳市南山智造有限公司", "上海浦江贸易有限公司", "成都天府软件有限公司",
             "北京朝阳文化传媒有限公司", "广州珠江电子有限公司", "苏州工业园精密机械有限公司", "武汉光谷生物科技有限公司"]  # fmt: skip


def _uscc(rnd: random.Random) -> str:
    """A taxpayer id in the real format (GB 32100-2015) with its check character."""
    from stdnum.cn import uscc

    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = (
        "91"
        + f"{rnd.choice([110000, 310000, 330100, 440300, 510100]):06d}"
        + "".join(rnd.choice(alphabet) for _ in range(9))
    )
    return body + uscc.calc_check_digit(body)


_COMPANY_IDS: dict[str, str] = {}


def _invoice_request(rnd: random.Random, channel: str) -> dict[str, Any] | None:
    """About one order in eight asks for an invoice: mostly companies (the own mini-program sells B2B,
    with complete 专票 requests), some people; a channel's request is now and then incomplete or wrong."""
    if rnd.random() > 0.125:
        return None
    if rnd.random() < 0.25 and channel != "miniapp":
        return {"kind": "pc", "buyer_type": "person", "title": rnd.choice(SURNAMES) + rnd.choice(GIVEN)}
    title = rnd.choice(COMPANIES)
    taxpayer_id = _COMPANY_IDS.setdefault(title, _uscc(random.Random(title)))
    special = channel == "miniapp" or rnd.random() < 0.3
    request: dict[str, Any] = {"kind": "bs" if special else "pc", "buyer_type": "company", "title": title,
                               "taxpayer_id": taxpayer_id}  # fmt: skip
    if special:
        request |= {"address": f"{title[:3]}市示例路{len(title)}号", "phone": "0571-8888" + f"{len(title):04d}",
                    "bank": "中国工商银行示例支行", "account": f"62220200{random.Random(title).randrange(10**11):011d}"}  # fmt: skip
    if channel != "miniapp":
        trouble = rnd.random()
        if trouble < 0.08:  # a digit mistyped in the taxpayer id: the check character gives it away
            request["taxpayer_id"] = taxpayer_id[:17] + ("0" if taxpayer_id[17] != "0" else "1")
        elif trouble < 0.16 and special:  # a 专票 without the bank account
            request["account"] = ""
    return request


# An order never paid, then cancelled, as each channel says it (Pinduoduo lists only paid orders:
# its cancel comes as confirm_status 2).
UNPAID: dict[str, tuple[tuple[Any, dict[str, Any]] | None, tuple[Any, dict[str, Any]]]] = {
    "taobao": (("WAIT_BUYER_PAY", {}), ("TRADE_CLOSED_BY_TAOBAO", {})),
    "douyin": ((1, {"main_status": 1}), (4, {"main_status": 4})),
    "pdd": (None, (1, {"confirm_status": 2})),
    "wechat_channels": ((10, {}), (250, {})),
    "youzan": (("WAIT_BUYER_PAY", {}), ("TRADE_CLOSED", {})),
    "miniapp": (("CREATED", {}), ("CANCELLED", {})),
}  # fmt: skip


def _unpaid(
    channel: str, ref: dict[str, Any], created: datetime, at: datetime, until: datetime | None
) -> list[dict[str, Any]]:
    pending, cancel = UNPAID[channel]
    observations = [] if pending is None else [
        {"source": channel, "status": pending[0], "fields": pending[1], "observed_at": _iso(created), "order": ref}]  # fmt: skip
    observations.append({"source": channel, "status": cancel[0], "fields": cancel[1],
                         "observed_at": _iso(at + timedelta(minutes=30)), "order": ref})  # fmt: skip
    return [o for o in observations if until is None or datetime.fromisoformat(o["observed_at"]) <= until]


# A paid order closed with a full refund before shipping, as each channel says it.
REFUND_CLOSINGS: dict[str, tuple[Any, dict[str, Any]]] = {
    "taobao": ("TRADE_CLOSED", {}), "douyin": (4, {"main_status": 21}), "pdd": (1, {"refund_status": 4}),
    "wechat_channels": (200, {}), "youzan": ("TRADE_CLOSED", {"pay_time": "paid"}), "miniapp": ("CLOSED_REFUNDED", {}),
}  # fmt: skip
# Carrier states a person must look at (Kuaidi100 疑难 and its detailed states).
PROBLEMS = (2, 201, 202, 204, 205, 206, 207, 208, 209)


def _trouble(
    rnd: random.Random, n: int, channel: str, stage: float, created: datetime, at: datetime, shipped_at: datetime,
    waybill: str, ref: dict[str, Any], lines: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], list[tuple[str, dict[str, Any]]]]:  # fmt: skip
    """At most one of the things that go wrong, for about one order in fifteen: its observations and
    the anomalies it plants (each with the observation it rests on)."""
    roll = rnd.random()
    carrier = {"waybill_no": waybill}
    if roll < 0.01 and stage > 0.35:  # the carrier says out for delivery after it said signed (伪闭环)
        late = {"source": "kuaidi100", "status": 5, "observed_at": _iso(at + timedelta(hours=2)), "order": carrier}
        return [late], [("regression", late)]
    if roll < 0.02 and stage > 0.15:  # the carrier's signature stamped before the shipment; then "in transit"
        early = {"source": "kuaidi100", "status": 3, "observed_at": _iso(created + timedelta(minutes=40)),
                 "order": carrier}  # fmt: skip
        return [early], [("regression", early)]
    if roll < 0.025:  # a status nobody mapped
        status = {"source": channel, "status": 999, "observed_at": _iso(at + timedelta(hours=1)), "order": ref}
        return [status], [("unmapped_status", status)]
    if roll < 0.04 and len(lines) > 1:  # a partial refund of one line, half its price
        line = lines[-1]
        return [{"source": "finance", "status": "REFUND_SETTLED", "line_no": line["line_no"], "refund_id": f"RF{n}",
                 "refund_fen": line["unit_price_fen"] // 2, "observed_at": _iso(at + timedelta(days=3)), "order": ref}], []  # fmt: skip
    if roll < 0.05 and stage <= 0.15:  # refunded in full before shipping: closed
        status, fields = REFUND_CLOSINGS[channel]
        return [{"source": channel, "status": status, "fields": fields, "observed_at": _iso(at + timedelta(hours=3)),
                 "order": ref}], []  # fmt: skip
    if roll < 0.055 and stage <= 0.15:  # refunded in full, and the parcel left all the same (拦截失败)
        status, fields = REFUND_CLOSINGS[channel]
        pickup = {"source": "kuaidi100", "status": 1, "observed_at": _iso(at + timedelta(hours=6)), "order": carrier}
        closing = {"source": channel, "status": status, "fields": fields, "observed_at": _iso(at + timedelta(hours=3)),
                   "order": ref}  # fmt: skip
        return [closing, pickup], [("shipped_after_refund", pickup)]
    if roll < 0.065 and 0.15 < stage <= 0.35:  # a problem parcel, nothing from the carrier since
        problem = {"source": "kuaidi100", "status": rnd.choice(PROBLEMS), "observed_at": _iso(at + timedelta(days=1)),
                   "order": carrier}  # fmt: skip
        return [problem], [("source_exception", problem)]
    if roll < 0.075 and stage > 0.35:  # a problem parcel that was delivered after all: nothing to chase
        problem = {"source": "kuaidi100", "status": rnd.choice(PROBLEMS), "observed_at": _iso(shipped_at + timedelta(hours=5)),
                   "order": carrier}  # fmt: skip
        return [problem], []
    return [], []


def shuffled_batches(
    count: int, seed: int = 7, batch: int = 2000, **dated: Any
) -> Iterator[tuple[list[Any], list[Any]]]:
    """Batches as pushes really arrive: observations out of order, a few only in the next batch.
    ``dated``: :func:`records`' start, spacing_s and until."""
    rnd = random.Random(seed + 1)
    orders: list[Any] = []
    observations: list[Any] = []
    for order, its_observations in records(count, seed, **dated):
        orders.append(order)
        observations.extend(its_observations)
        if len(orders) == batch:
            rnd.shuffle(observations)
            held = observations[: len(observations) // 50]
            yield orders, observations[len(held) :]
            orders, observations = [], held
    rnd.shuffle(observations)
    yield orders, observations


def seed(
    store: Any, count: int, seed_value: int = 7, on_batch: Any = None, *, batch: int = 2000, **dated: Any
) -> tuple[int, int]:
    """Fill a hub with ``count`` demo orders (and their observations) through its normal write path,
    so the change feed carries them. Returns (orders, observations) written. ``on_batch(orders so
    far)`` after each batch; ``dated``: :func:`records`' start, spacing_s and until."""
    from orderdesk.hub.rows import observation_rows, order_rows
    from orderdesk.sync.contract import ObservationRecord, OrderRecord

    written = [0, 0]
    for orders, observations in shuffled_batches(count, seed_value, batch, **dated):
        order_batch = order_rows([OrderRecord.model_validate(o) for o in orders])  # before the lock
        observation_batch = observation_rows([ObservationRecord.model_validate(o) for o in observations])
        with store.write() as c:
            store.put_order_rows(c, order_batch)
            new = store.put_observation_rows(c, observation_batch)
        written[0] += len(orders)
        written[1] += new
        if on_batch is not None:
            on_batch(written[0])
    return written[0], written[1]


def recent(count: int, days: float = 30.0, now: datetime | None = None) -> dict[str, Any]:
    """:func:`seed`'s dating for a demo of ``count`` orders over the last ``days`` days up to now."""
    until = now or datetime.now(UTC)
    return {"start": until - timedelta(days=days), "spacing_s": days * 86400 / max(count, 1), "until": until}
