"""/v1/reports: claims that make each report's push to each group robot happen exactly once."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from orderdesk.hub import report_claims
from orderdesk.hub.deps import Caller, Store, require_role
from orderdesk.hub.refusals import Refusal, responses
from orderdesk.hub.store import now_ms

router = APIRouter(prefix="/v1/reports", tags=["reports"])
SUPERVISOR = frozenset({"supervisor"})


class DayClaim(BaseModel):
    kind: Literal["daily", "health"]
    period: Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$", description="the day, YYYY-MM-DD")]
    robot: Literal["wecom", "dingtalk"]


class MonthClaim(BaseModel):
    kind: Literal["monthly"]
    period: Annotated[str, Field(pattern=r"^\d{4}-\d{2}$", description="the month, YYYY-MM")]
    robot: Literal["wecom", "dingtalk"]


ClaimRequest = Annotated[DayClaim | MonthClaim, Field(discriminator="kind")]


class ClaimAnswer(BaseModel):
    id: int
    granted: bool
    state: str
    claimed_by: str
    sent_at_ms: int | None


class Outcome(BaseModel):
    sent: bool


@router.post("/claims", response_model=ClaimAnswer, responses=responses(400, 401, 403, 413, 422))
def claim(who: Caller, store: Store, body: ClaimRequest) -> ClaimAnswer:
    """Claim a report's push to one robot. ``granted`` false: another console has it, or it was sent
    (``state``). A claim not marked within 10 minutes may be taken over."""
    require_role(who, SUPERVISOR, doing_en="push reports", doing_zh="推送报告")
    with store.guarded() as c:
        got = report_claims.claim(c, body.kind, body.period, body.robot, who.user, now_ms())
    return ClaimAnswer(id=got.id, granted=got.granted, state=got.state, claimed_by=got.claimed_by,
                       sent_at_ms=got.sent_at_ms)  # fmt: skip


@router.post("/claims/{claim_id}", response_model=Outcome, responses=responses(400, 401, 403, 404, 413, 422))
def settle(who: Caller, store: Store, claim_id: Annotated[int, Path(ge=1)], body: Outcome) -> Outcome:
    """Mark a granted claim sent (for good) or not sent (given back for another try)."""
    require_role(who, SUPERVISOR, doing_en="push reports", doing_zh="推送报告")
    with store.guarded() as c:
        done = report_claims.mark(c, claim_id, who.user, body.sent, now_ms())
    if not done:
        raise Refusal(404, en=f"claim {claim_id}: not held by {who.user}", zh=f"认领 {claim_id} 不属于 {who.user}",
                      field="claim_id", value=str(claim_id))  # fmt: skip
    return body
