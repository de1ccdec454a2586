"""Customer-service tickets as a source (the seed's self-check: 客户投诉中订单相关占比 ≤ 15%): each ticket
with its category, order-related or not, kept at the hub so every console counts the same ones.
Tables on the hub's metadata; a ticket is known by its number (sending it again changes nothing)."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Column, Connection, String, Table, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from orderdesk.hub.schema import Id, metadata
from orderdesk.sync.domain_id import CHINA_TZ
from orderdesk.sync.text_rules import first_refused

# category → (order-related?, zh, en)
CATEGORIES: dict[str, tuple[bool, str, str]] = {
    "logistics": (True, "物流(未收到、慢、丢件)", "logistics (not received, late, lost)"),
    "after_sale": (True, "退款与售后", "refunds and after-sale"),
    "wrong_item": (True, "错发漏发", "wrong or missing item"),
    "invoice": (True, "发票", "invoice"),
    "order_status": (True, "订单状态不符", "order status wrong"),
    "product": (False, "商品咨询", "product question"),
    "presale": (False, "售前咨询", "pre-sale question"),
    "account": (False, "账号与会员", "account and membership"),
    "other": (False, "其他", "other"),
}
MAX_TICKETS = 1000  # a batch well under the body limit (256 KiB): larger ones come in several

tickets = Table(
    "hub_tickets",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("ticket_no", String(64), nullable=False, unique=True),
    Column("channel", String(64), nullable=False),
    Column("category", String(16), nullable=False),
    Column("order_ref", String(64)),
    Column("created_at_ms", BigInteger, nullable=False, index=True),
    Column("sent_by", String(64), nullable=False),
)


@dataclass(frozen=True, slots=True)
class TicketError:
    index: int
    field: str
    value: Any
    message: str
    message_zh: str

    def shown(self) -> dict[str, Any]:
        return {"index": self.index, "field": self.field, "value": str(self.value)[:80], "message": self.message,
                "message_zh": self.message_zh}  # fmt: skip


def _text(raw: Mapping[str, Any], name: str, index: int, errors: list[TicketError], *, optional: bool = False) -> str:
    value = raw.get(name)
    if value is None and optional:
        return ""
    if not isinstance(value, str) or not value.strip() or len(value) > 64:
        errors.append(TicketError(index, f"tickets[{index}].{name}", value, "a text of 1 to 64 characters",
                                  "应为 1 到 64 个字符的文本"))  # fmt: skip
        return ""
    refused = first_refused(value, code=True)
    if refused is not None:
        at, char = refused
        errors.append(TicketError(index, f"tickets[{index}].{name}", value, f"U+{ord(char):04X} at {at} may not be "
                                  "in a number or a code", f"第 {at} 位的 U+{ord(char):04X} 不能出现在编号中"))  # fmt: skip
        return ""
    return value.strip()


def parse(items: Iterable[Any], now_ms: int | None = None) -> tuple[list[dict[str, Any]], list[TicketError]]:
    """Good tickets as rows, and each bad one's first error naming the field and the value."""
    now_ms = now_ms if now_ms is not None else int(time.time() * 1000)
    good, errors = [], []
    for index, raw in enumerate(items):
        if not isinstance(raw, dict):
            errors.append(TicketError(index, f"tickets[{index}]", raw, "a ticket is an object", "工单应为对象"))
            continue
        mine: list[TicketError] = []
        number = _text(raw, "ticket_no", index, mine)
        channel = _text(raw, "channel", index, mine)
        order = _text(raw, "order", index, mine, optional=True)
        category = raw.get("category")
        if category not in CATEGORIES:
            mine.append(TicketError(index, f"tickets[{index}].category", category, "one of " + ", ".join(CATEGORIES),
                                    "应为以下之一:" + "、".join(CATEGORIES)))  # fmt: skip
        at = raw.get("created_at")
        at_ms = 0
        try:
            moment = datetime.fromisoformat(at) if isinstance(at, str) else None
            if moment is None:
                raise ValueError
            if moment.tzinfo is None:  # Beijing time, as an order's times may be given
                moment = moment.replace(tzinfo=CHINA_TZ)
            at_ms = int(moment.timestamp() * 1000)
            if not 946_684_800_000 <= at_ms <= now_ms + 86_400_000:  # 2000 to tomorrow
                raise ValueError
        except (ValueError, OverflowError):
            mine.append(TicketError(index, f"tickets[{index}].created_at", at, "an ISO time from 2000 to now, e.g. "
                                    "2026-01-24T14:22:07+08:00 (no offset: Beijing time)",
                                    "应为 2000 年至今的 ISO 时间,如 2026-01-24T14:22:07+08:00(不带时区即北京时间)"))  # fmt: skip
        if mine:
            errors.append(mine[0])
            continue
        good.append({"ticket_no": number, "channel": channel, "category": category, "order_ref": order or None,
                     "created_at_ms": at_ms})  # fmt: skip
    return good, errors


def put(c: Connection, rows: list[dict[str, Any]], sent_by: str) -> int:
    """Store new tickets (a number already held is left as it was). Returns how many were new."""
    if not rows:
        return 0
    insert = pg_insert if c.dialect.name == "postgresql" else sqlite_insert
    before = c.execute(select(func.count()).select_from(tickets)).scalar_one()
    c.execute(insert(tickets).on_conflict_do_nothing(index_elements=["ticket_no"]),
              [r | {"sent_by": sent_by} for r in rows])  # fmt: skip
    return int(c.execute(select(func.count()).select_from(tickets)).scalar_one() - before)


def figures(c: Connection, since_ms: int, until_ms: int) -> dict[str, Any]:
    """Tickets created in [since, until): how many, how many order-related, the share, per category."""
    t = tickets.c
    rows = c.execute(select(t.category, func.count()).where(t.created_at_ms >= since_ms, t.created_at_ms < until_ms)
                     .group_by(t.category)).all()  # fmt: skip
    by = {category: int(n) for category, n in rows}
    total = sum(by.values())
    related = sum(n for category, n in by.items() if CATEGORIES.get(category, (False,))[0])
    return {"since_ms": since_ms, "until_ms": until_ms, "tickets": total, "order_related": related,
            "order_related_share": related / total if total else None, "by_category": by}  # fmt: skip
