"""The demo's customer-service tickets: about one for every eight orders of the last 30 days, an eighth
of them about the order (logistics, after-sale, a wrong item, an invoice), the rest questions."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from orderdesk.hub import tickets

WEIGHTS = {"logistics": 5, "after_sale": 4, "wrong_item": 1, "invoice": 1, "order_status": 1, "product": 40,
           "presale": 30, "account": 8, "other": 10}  # fmt: skip
CHANNELS = ("taobao", "douyin", "pdd", "wechat_channels", "youzan", "miniapp")


def records(count: int, now: datetime | None = None, seed: int = 3) -> list[dict[str, Any]]:
    rnd = random.Random(seed)
    until = now or datetime.now(UTC)
    kinds, weights = list(WEIGHTS), list(WEIGHTS.values())
    made = []
    for n in range(count):
        at = until - timedelta(seconds=rnd.uniform(0, 30 * 86400))
        made.append({"ticket_no": f"KF{n:07d}", "channel": rnd.choice(CHANNELS),
                     "category": rnd.choices(kinds, weights)[0], "created_at": at.isoformat()})  # fmt: skip
    return made


def seed(store: Any, orders: int, now: datetime | None = None) -> int:
    rows, _ = tickets.parse(records(max(1, orders // 8), now))
    with store.guarded() as c:
        return tickets.put(c, rows, "demo")
