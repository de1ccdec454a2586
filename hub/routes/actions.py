"""/v1/actions: what consoles ask the hub to do, once per Idempotency-Key, checked for the role."""

from __future__ import annotations

import hashlib
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Response
from pydantic import BaseModel, Field

from hub.deps import Caller, Store, require_role
from hub.refusals import Refusal, responses
from hub.store import now_ms
from sync.contract import canonical_json

router = APIRouter(prefix="/v1", tags=["actions"])

ACTION_ROLES: dict[str, frozenset[str]] = {
    "invoice_request": frozenset({"clerk", "supervisor"}),
    "red_invoice_request": frozenset({"clerk", "supervisor"}),
    "print_result": frozenset({"packer", "supervisor"}),
    "rare_char_substitution": frozenset({"packer", "supervisor"}),
    "stock_move": frozenset({"packer", "supervisor"}),
}


class ActionRequest(BaseModel):
    kind: Literal["invoice_request", "red_invoice_request", "print_result", "rare_char_substitution", "stock_move"]
    order: str = Field(pattern=r"^DB[0-9]{8}[0-9A-HJ-NP-Z]{12}$", description="the order's unified id")
    payload: dict[str, Any] = Field(default_factory=dict)


class ActionResult(BaseModel):
    key: str
    kind: str
    order: str
    status: Literal["accepted"]
    actor: str
    recorded_at_ms: int


@router.post("/actions", response_model=ActionResult, responses=responses(400, 401, 403, 404, 413, 422))
def act(
    who: Caller,
    store: Store,
    request: ActionRequest,
    response: Response,
    idempotency_key: Annotated[str, Header(min_length=8, max_length=128)],
) -> ActionResult:
    """An action on an order. The first result for a key is stored and replayed
    (`Idempotent-Replayed: true`); the key with another body or user: 422."""
    require_role(who, ACTION_ROLES[request.kind], f"make a {request.kind}", f"提交 {request.kind}")
    text = canonical_json(request.model_dump(mode="json"))
    sha = hashlib.sha256(text.encode()).hexdigest()
    with store.write() as c:
        earlier = store.find_action(c, idempotency_key)
        if earlier is not None:
            if earlier.request_sha != sha or earlier.actor != who.user:
                raise Refusal(422, "this Idempotency-Key was used for another request",
                              "此 Idempotency-Key 已用于另一个请求", field="Idempotency-Key",
                              value=idempotency_key)  # fmt: skip
            response.headers["Idempotent-Replayed"] = "true"
            return ActionResult.model_validate_json(earlier.response_json)
        if not store.order_exists(c, request.order):
            raise Refusal(404, f"no order {request.order}", f"没有订单 {request.order}", field="order",
                          value=request.order)  # fmt: skip
        result = ActionResult(key=idempotency_key, kind=request.kind, order=request.order, status="accepted",
                              actor=who.user, recorded_at_ms=now_ms())  # fmt: skip
        store.record_action(c, key=idempotency_key, actor=who.user, role=who.role, kind=request.kind,
                            domain_id=request.order, request_sha=sha, request_json=text,
                            response=result.model_dump(mode="json"))  # fmt: skip
    return result
