"""/v1/inventory/drills: the concurrency drill's verdict, counted by the hub from its own ledger."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from orderdesk.hub import drills
from orderdesk.hub.deps import Caller, Store, require_role
from orderdesk.hub.refusals import responses
from orderdesk.hub.store import now_ms

router = APIRouter(prefix="/v1/inventory/drills", tags=["inventory"])
SUPERVISOR = frozenset({"supervisor"})
EVERYONE = frozenset({"packer", "clerk", "supervisor", "channel"})


class DrillDone(BaseModel):
    sku: Annotated[str, Field(min_length=1, max_length=64)]
    requests: Annotated[int, Field(strict=True, ge=1, le=1_000_000)]
    stock: Annotated[int, Field(strict=True, ge=0, le=1_000_000_000)]
    started_ms: Annotated[int, Field(strict=True, ge=0, le=4_102_444_800_000)]
    p99_ms: Annotated[float, Field(strict=True, ge=0, le=3_600_000)] = 0.0
    seconds: Annotated[float, Field(strict=True, ge=0, le=86_400)] = 0.0


@router.post("", responses=responses(400, 401, 403, 413, 422))
def done(who: Caller, store: Store, body: DrillDone) -> dict[str, Any]:
    """A drill has ended: the hub counts the holds it granted on `sku` since `started_ms`, the units held
    beyond `stock` (oversold) and any level that is not the ledger's sum, and keeps the verdict."""
    require_role(who, SUPERVISOR, doing_en="record a drill", doing_zh="记录并发演练")
    with store.guarded() as c:
        return drills.record(c, sku=body.sku, requests=body.requests, stock=body.stock, started_ms=body.started_ms,
                             p99_ms=body.p99_ms, seconds=body.seconds, actor=who.user, now=now_ms())  # fmt: skip


@router.get("/latest", responses=responses(401, 403))
def latest(who: Caller, store: Store) -> dict[str, Any]:
    """The latest drill's verdict (`drill` null when none was run)."""
    require_role(who, EVERYONE, doing_en="read drills", doing_zh="查看并发演练")
    with store.read() as c:
        return {"drill": drills.latest(c)}
