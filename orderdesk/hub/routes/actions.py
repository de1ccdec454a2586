"""/v1/actions: what consoles ask the hub to do, once per Idempotency-Key, checked for the role."""

from __future__ import annotations

import hashlib
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Request, Response
from pydantic import BaseModel, Field

from orderdesk.hub import invoice_actions
from orderdesk.hub.deps import Caller, Store, require_role
from orderdesk.hub.invoice_actions import INVOICE_KINDS
from orderdesk.hub.refusals import Refusal, responses
from orderdesk.hub.store import now_ms
from orderdesk.sync.contract import canonical_json

router = APIRouter(prefix="/v1", tags=["actions"])

FINANCE = frozenset({"clerk", "supervisor"})
ACTION_ROLES: dict[str, frozenset[str]] = {
    **{kind: FINANCE for kind in INVOICE_KINDS},
    "print_result": frozenset({"packer", "supervisor"}),
    "rare_char_substitution": frozenset({"packer", "supervisor"}),
    "stock_move": frozenset({"packer", "supervisor"}),
}


ActionKind = Literal["invoice_request", "invoice_fix", "invoice_confirm", "invoice_split", "invoice_merge", "invoice_retry", "invoice_red",
                     "red_invoice_request", "month_lock", "print_result", "rare_char_substitution", "stock_move"]  # fmt: skip
ORDER_FREE = frozenset({"invoice_fix", "invoice_confirm", "invoice_split", "invoice_merge", "invoice_retry",
                        "invoice_red", "month_lock"})  # fmt: skip


class ActionRequest(BaseModel):
    kind: ActionKind
    order: str | None = Field(
        None,
        pattern=r"^DB[0-9]{8}[0-9A-HJ-NP-Z]{12}$",
        description="the order's unified id (an invoice's actions name the invoice in the payload)",
    )
    payload: dict[str, Any] = Field(default_factory=dict)


class ActionResult(BaseModel):
    key: str
    kind: str
    order: str | None
    status: Literal["accepted"]
    actor: str
    recorded_at_ms: int
    result: dict[str, Any] = Field(default_factory=dict, description="what an invoicing action did")


@router.post("/actions", response_model=ActionResult, responses=responses(400, 401, 403, 404, 409, 413, 422))
def act(
    who: Caller,
    store: Store,
    http: Request,
    request: ActionRequest,
    response: Response,
    idempotency_key: Annotated[str, Header(min_length=8, max_length=128)],
) -> ActionResult:
    """An action on an order. The first result for a key is stored and replayed
    (`Idempotent-Replayed: true`); the key with another body or user: 422."""
    require_role(who, ACTION_ROLES[request.kind], doing_en=f"make a {request.kind}", doing_zh=f"提交 {request.kind}")
    text = canonical_json(request.model_dump(mode="json"))
    sha = hashlib.sha256(text.encode()).hexdigest()
    with store.write() as c:
        earlier = store.find_action(c, idempotency_key)
        if earlier is not None:
            if earlier.request_sha != sha or earlier.actor != who.user:
                raise Refusal(422, en="this Idempotency-Key was used for another request",
                              zh="此 Idempotency-Key 已用于另一个请求", field="Idempotency-Key",
                              value=idempotency_key)  # fmt: skip
            response.headers["Idempotent-Replayed"] = "true"
            return ActionResult.model_validate_json(earlier.response_json)
        invoicer = getattr(http.app.state, "invoicer", None)
        if request.order is None and request.kind not in ORDER_FREE:
            raise Refusal(422, en=f"a {request.kind} names its order", zh=f"{request.kind} 需指明订单", field="order")
        if request.order is not None and not store.order_exists(c, request.order):
            raise Refusal(404, en=f"no order {request.order}", zh=f"没有订单 {request.order}", field="order",
                          value=request.order)  # fmt: skip
        done: dict[str, Any] = {}
        if request.kind in INVOICE_KINDS:
            done = invoice_actions.apply(c, invoicer, request.kind, request.order, request.payload, who.user)
        result = ActionResult(key=idempotency_key, kind=request.kind, order=request.order, status="accepted",
                              actor=who.user, recorded_at_ms=now_ms(), result=done)  # fmt: skip
        store.record_action(c, key=idempotency_key, actor=who.user, role=who.role, kind=request.kind,
                            domain_id=request.order or "", request_sha=sha, request_json=text,
                            response=result.model_dump(mode="json"))  # fmt: skip
    if request.kind in INVOICE_KINDS and invoicer is not None:
        invoicer.wake()
    return result
