"""Deterministic order and observation records for benchmarks (the hub's demo generator comes later)."""

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
CHANNELS = {"taobao": ["WAIT_SELLER_SEND_GOODS", "WAIT_BUYER_CONFIRM_GOODS", "TRADE_FINISHED"],
            "douyin": [105, 3, 5], "pdd": [1, 2, 3], "wechat_channels": [20, 30, 100],
            "youzan": ["WAIT_SELLER_SEND_GOODS", "WAIT_BUYER_CONFIRM_GOODS", "TRADE_SUCCESS"],
            "miniapp": ["PAID", "SHIPPED", "RECEIVED"]}  # fmt: skip
START = datetime(2026, 1, 1, tzinfo=UTC)


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def records(count: int, seed: int = 7) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """(order, its observations) pairs: about 4–6 observations and 2 lines per order."""
    rnd = random.Random(seed)
    channels = list(CHANNELS)
    for n in range(count):
        channel = channels[n % len(channels)]
        created = START + timedelta(seconds=n * 26)
        name = rnd.choice(SURNAMES) + "".join(
            rnd.choice(GIVEN + (RARE if rnd.random() < 0.02 else "")) for _ in range(rnd.randint(1, 2))
        )
        province, city, district = rnd.choice(PLACES)
        lines = [
            {"line_no": i + 1, "sku": f"SKU-{rnd.randint(1, 5000):05d}", "title": "商品", "quantity": rnd.randint(1, 3),
             "unit_price_fen": rnd.randint(500, 30000)}
            for i in range(rnd.randint(1, 3))
        ]  # fmt: skip
        total = sum(line["quantity"] * line["unit_price_fen"] for line in lines)
        order_no = f"{channel[:2].upper()}{20260101000000 + n}"
        waybill = f"SF{1400000000000 + n}"
        order = {
            "channel": channel, "shop": f"{channel}-flagship", "channel_order_no": order_no, "created_at": _iso(created),
            "receiver": {"name": name, "phone": f"1{rnd.randint(3, 9)}{rnd.randint(0, 999999999):09d}",
                         "province": province, "city": city, "district": district,
                         "address": f"{district}文三路{rnd.randint(1, 999)}号{rnd.randint(1, 30)}幢"},
            "lines": lines, "paid_amount_fen": total if rnd.random() > 0.01 else None, "waybill_no": waybill,
            "carrier": "SF",
        }  # fmt: skip
        ref = {"channel": channel, "shop": order["shop"], "channel_order_no": order_no}
        paid, shipped, confirmed = CHANNELS[channel]
        at = created + timedelta(minutes=rnd.randint(1, 30))
        observations = [{"source": channel, "status": paid, "observed_at": _iso(at), "order": ref}]
        stage = rnd.random()
        if stage > 0.15:
            at += timedelta(hours=rnd.randint(2, 30))
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
        if stage > 0.6:
            observations.append(
                {"source": "finance", "status": "SETTLED", "observed_at": _iso(at + timedelta(days=7)), "order": ref}
            )
        if rnd.random() < 0.05 and channel == "douyin":
            observations.append({"source": "douyin", "status": 3, "status_field": "refund_status", "line_no": 1,
                                 "observed_at": _iso(at + timedelta(days=1)), "order": ref})  # fmt: skip
        if rnd.random() < 0.03:  # a late, stale push: an anomaly to find
            observations.append(
                {"source": channel, "status": paid, "observed_at": _iso(at + timedelta(days=2)), "order": ref}
            )
        yield order, observations
