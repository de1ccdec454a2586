"""/v1/tickets: customer-service tickets (a channel or a supervisor sends them; everyone reads the figures)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from orderdesk.hub import tickets
from orderdesk.hub.deps import Caller, Store, require_role
from orderdesk.hub.refusals import responses
from orderdesk.hub.store import now_ms

router = APIRouter(prefix="/v1/tickets", tags=["tickets"])
SENDERS = frozenset({"channel", "supervisor"})
READERS = frozenset({"packer", "clerk", "supervisor", "channel"})
MAX_MS = 4_102_444_800_000  # 2100-01-01


class TicketBatch(BaseModel):
    tickets: Annotated[list[Any], Field(max_length=tickets.MAX_TICKETS)]


@router.post("", responses=responses(400, 401, 403, 413, 422))
def send(who: Caller, store: Store, body: TicketBatch) -> dict[str, Any]:
    """Tickets `{ticket_no, channel, category, created_at, order?}`; categories order-related (logistics,
    after_sale, wrong_item, invoice, order_status) or not (product, presale, account, other). Bad ones come
    back in `refused` naming the field and the value; the rest is stored. A number already held is kept
    as it was."""
    require_role(who, SENDERS, doing_en="send tickets", doing_zh="上报客服工单")
    good, errors = tickets.parse(body.tickets)
    with store.guarded() as c:
        new = tickets.put(c, good, who.user)
    return {"stored": new, "repeated": len(good) - new, "refused": [e.shown() for e in errors[:20]],
            "refused_count": len(errors)}  # fmt: skip


@router.get("/figures", responses=responses(401, 403, 422))
def figures(
    who: Caller,
    store: Store,
    since_ms: Annotated[int, Query(ge=0, le=MAX_MS)] = 0,
    until_ms: Annotated[int | None, Query(ge=0, le=MAX_MS)] = None,
) -> dict[str, Any]:
    """How many tickets from `since_ms` to `until_ms` (default: now), how many order-related, their share."""
    require_role(who, READERS, doing_en="read ticket figures", doing_zh="查看工单统计")
    with store.read() as c:
        return tickets.figures(c, since_ms, now_ms() if until_ms is None else until_ms)
