"""/v1/inventory: pools per SKU and warehouse, reservations with a time limit, sales a channel made on
its own counter, quotas, the oversell breaker and its resume. Reading is for every role (a packer's
console shows it read-only); a channel's integration reserves, confirms, releases and reports sales;
a supervisor receives stock, moves it between pools, sets quotas and resumes a tripped breaker.

Every write names its Idempotency-Key: the same key again is the same answer (``Idempotent-Replayed``).
Refusals name the field and the value: 422 for bad input, 409 for stock that is not there, a paused
SKU, or a key used for something else."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Header, Path, Query, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy import Connection, select

from orderdesk.hub.deps import Caller, Store, require_role
from orderdesk.hub.refusals import Refusal, responses
from orderdesk.hub.store import HubStore, now_ms
from orderdesk.inventory import breaker, ledger, snapshot
from orderdesk.inventory import reservations as holds
from orderdesk.inventory.ledger import InventoryRefused
from orderdesk.inventory.pools import Pool
from orderdesk.inventory.schema import breaker_audit

router = APIRouter(prefix="/v1/inventory", tags=["inventory"])
log = logging.getLogger(__name__)

EVERYONE = frozenset({"packer", "clerk", "supervisor", "channel"})
SELLING = frozenset({"channel", "supervisor"})
SUPERVISOR = frozenset({"supervisor"})
KEY = Annotated[str, Header(min_length=8, max_length=128, alias="Idempotency-Key")]
SKU = Annotated[str, Path(min_length=1, max_length=64)]
STATUS = {"invalid": 422, "insufficient": 409, "paused": 409, "conflict": 409}
T = TypeVar("T")
MADE: dict[int | str, dict[str, Any]] = {201: {"description": "made now (a replay of the same key: 200)"}}


def made_or(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {**MADE, **responses(*codes)}


def _refusal(exc: InventoryRefused) -> Refusal:
    return Refusal(STATUS.get(exc.kind, 422), en=str(exc), zh=exc.zh, field=exc.field, value=exc.value,
                   extra={"reason": exc.kind})  # fmt: skip


@contextmanager
def _guarded(store: HubStore) -> Iterator[Connection]:
    try:
        with store.guarded() as c:
            yield c
    except InventoryRefused as exc:
        raise _refusal(exc) from None


def _keeper(request: Request) -> Any:
    return getattr(request.app.state, "inventory", None)


def _wake(request: Request) -> None:
    keeper = _keeper(request)
    if keeper is not None:
        keeper.wake()


def _replayed(response: Response, replayed: bool) -> None:
    if replayed:
        response.headers["Idempotent-Replayed"] = "true"
    else:
        response.status_code = 201


class ReservationRequest(BaseModel):
    sku: str = Field(min_length=1, max_length=64)
    warehouse: str = Field("MAIN", min_length=1, max_length=32)
    quantity: int = Field(description="units, 1 or more (checked by the ledger: the refusal names it)")
    channel: str = Field(min_length=1, max_length=64)
    campaign: str = Field("", max_length=64)
    ttl_s: int = Field(holds.DEFAULT_TTL_S, description="seconds until the hold expires: 1 to 86,400 (default 900)")


class SaleRequest(BaseModel):
    sku: str = Field(min_length=1, max_length=64)
    warehouse: str = Field("MAIN", min_length=1, max_length=32)
    quantity: int
    channel: str = Field(min_length=1, max_length=64)
    order_ref: str = Field(min_length=1, max_length=64, description="the channel's order number")


class MovementRequest(BaseModel):
    sku: str = Field(min_length=1, max_length=64)
    warehouse: str = Field("MAIN", min_length=1, max_length=32)
    from_pool: Pool
    to_pool: Pool
    quantity: int
    reason: Literal["receipt", "transfer", "quality_passed", "quality_failed", "count", "shipped", "returned"]
    ref: str = Field("", max_length=64, description="a receipt, transfer or count number")


class QuotaRequest(BaseModel):
    sku: str = Field(min_length=1, max_length=64)
    warehouse: str = Field("MAIN", min_length=1, max_length=32)
    channel: str = Field(min_length=1, max_length=64)
    campaign: str = Field("", max_length=64)
    quantity: int


class SkuRequest(BaseModel):
    sku: str = Field(min_length=1, max_length=64)
    title: str | None = Field(None, max_length=128, description="absent: the title stays as it is")
    fast_path: bool | None = None


class ResumeRequest(BaseModel):
    note: str = Field(min_length=1, max_length=500, description="why it is safe to sell again (required)")


def _hold(r: holds.Reservation) -> dict[str, Any]:
    return {"key": r.key, "sku": r.sku, "warehouse": r.warehouse, "quantity": r.quantity, "channel": r.channel,
            "campaign": r.campaign, "state": r.state, "expires_at_ms": r.expires_at_ms}  # fmt: skip


# -- reading -------------------------------------------------------------------------------------
@router.get("", responses=responses(401, 403, 422))
def list_skus(who: Caller, store: Store, request: Request, after: Annotated[str, Query(max_length=64)] = "",
              limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> dict[str, Any]:  # fmt: skip
    """A keyset page of SKU snapshots by name: {skus, next} (the console's first load)."""
    require_role(who, EVERYONE, doing_en="read inventory", doing_zh="查看库存")
    with store.read() as c:
        bodies = snapshot.page(c, after, limit, now_ms(), _rule(request))
    return {"skus": bodies, "next": bodies[-1]["sku"] if len(bodies) == limit else None}


@router.get("/status", responses=responses(401, 403))
def status(who: Caller, request: Request) -> dict[str, Any]:
    """Whether the Redis fast path is on (and why not), whether alerts reach a robot, the breaker's rule."""
    require_role(who, EVERYONE, doing_en="read inventory", doing_zh="查看库存")
    keeper = _keeper(request)
    rule = _rule(request)
    return {
        "keeper": keeper is not None,
        "fast_path": {"on": bool(keeper and keeper.fastpath), "reason": keeper.fastpath_off if keeper else "",
                      "reason_zh": keeper.fastpath_off_zh if keeper else "",
                      "skus": sorted(keeper.fast_skus) if keeper else []},
        "alerts": {"robot": bool(keeper and keeper.robot)},
        "breaker": {"threshold_units": rule.threshold_units, "window_s": rule.window_s},
    }  # fmt: skip


@router.get("/figures", responses=responses(401, 403, 422))
def figures(who: Caller, store: Store, hours: Annotated[int, Query(ge=1, le=24 * 90)] = 24) -> dict[str, Any]:
    """For the health score: how long stock stays reserved, oversold units, breaker trips."""
    require_role(who, EVERYONE, doing_en="read inventory", doing_zh="查看库存")
    at = now_ms()
    with store.read() as c:
        return snapshot.figures(c, at, at - hours * 3_600_000)


@router.get("/differences", responses=responses(401, 403))
def differences(who: Caller, store: Store) -> dict[str, Any]:
    """Every pool level that is not the ledger's sum (empty when all agree)."""
    require_role(who, SUPERVISOR, doing_en="check the inventory ledger", doing_zh="核对库存台账")
    with store.read() as c:
        found = ledger.differences(c)
    return {"differences": found, "count": len(found)}


@router.get("/listing-actions", responses=responses(401, 403, 422))
def listing_actions(
    who: Caller, store: Store, channel: Annotated[str | None, Query(max_length=64)] = None
) -> dict[str, Any]:
    """What channels are asked to do with listings (pause on a trip, resume after), still pending."""
    require_role(who, SELLING, doing_en="read listing actions", doing_zh="查看渠道上下架指令")
    with store.read() as c:
        return {"actions": breaker.pending_listing_actions(c, channel)}


@router.get("/skus/{sku}", responses=responses(401, 403, 404))
def one_sku(who: Caller, store: Store, request: Request, sku: SKU) -> dict[str, Any]:
    """One SKU's snapshot with its breaker history."""
    require_role(who, EVERYONE, doing_en="read inventory", doing_zh="查看库存")
    with store.read() as c:
        found = snapshot.snapshots(c, [sku], now_ms(), _rule(request))
        if not found:
            raise Refusal(404, en=f"no SKU {sku}", zh=f"没有 SKU {sku}", field="sku", value=sku)
        a = breaker_audit.c
        history = [dict(r._mapping) for r in c.execute(select(a.event, a.actor, a.at_ms, a.detail_json)
                                                       .where(a.sku == sku).order_by(a.id.desc()).limit(50))]  # fmt: skip
    return {**found[0], "breaker_history": history}


@router.get("/skus/{sku}/movements", responses=responses(401, 403, 422))
def movements(who: Caller, store: Store, sku: SKU, before: Annotated[int | None, Query(ge=1)] = None,
              limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> dict[str, Any]:  # fmt: skip
    """The SKU's movements, newest first: {movements, next} (``next``: pass as ``before``)."""
    require_role(who, EVERYONE, doing_en="read inventory", doing_zh="查看库存")
    with store.read() as c:
        rows = snapshot.movements_of(c, sku, before, limit)
    return {"movements": rows, "next": rows[-1]["id"] if len(rows) == limit else None}


# -- channels: reservations and sales ------------------------------------------------------------
@router.post("/reservations", responses=made_or(400, 401, 413, 403, 409, 422))
def reserve(who: Caller, store: Store, request: Request, response: Response, body: ReservationRequest,
            key: KEY) -> dict[str, Any]:  # fmt: skip
    """Hold units for ``ttl_s`` seconds (sellable → reserved). 201 made, 200 replayed, 409 not enough."""
    require_role(who, SELLING, doing_en="reserve stock", doing_zh="预占库存")
    keeper = _keeper(request)
    fast = keeper.fastpath if keeper is not None and body.sku in keeper.fast_skus else None
    took = None
    if fast is not None and isinstance(body.quantity, int) and body.quantity > 0:
        took = _fast_take(fast, body, key)
        if took is not None and took.left >= 0 and not took.granted:
            raise Refusal(409, en=f"{body.sku} @ {body.warehouse}: sellable holds {took.left}, fewer than {body.quantity}",
                          zh=f"{body.sku} @ {body.warehouse}:可售仅剩 {took.left},不足 {body.quantity}", field="quantity",
                          value=body.quantity, extra={"reason": "insufficient"})  # fmt: skip
    try:
        with _guarded(store) as c:
            made = holds.reserve(c, sku=body.sku, warehouse=body.warehouse, quantity=body.quantity, channel=body.channel,
                                 campaign=body.campaign, ttl_s=body.ttl_s, key=key, now_ms=now_ms(), actor=who.user)  # fmt: skip
    except Refusal:
        if fast is not None and took is not None and took.granted and not took.replayed:
            _fast_call(lambda: fast.give_back(body.sku, body.warehouse, body.quantity, key))
        raise
    response.headers["X-Fast-Path"] = "on" if took is not None and took.left >= 0 else "off"
    _replayed(response, made.replayed)
    _wake(request)
    return _hold(made)


def _fast_take(fast: Any, body: ReservationRequest, key: str) -> Any:
    return _fast_call(lambda: fast.take(body.sku, body.warehouse, body.quantity, key))


def _fast_call(work: Callable[[], T]) -> T | None:
    """The fast path, or None when Redis is not answering (the database alone decides, as it always can)."""
    from orderdesk.inventory.fastpath import FastPathUnavailable

    try:
        return work()
    except FastPathUnavailable as exc:
        log.warning("fast path unavailable, the database decides alone: %s", exc)
        return None


def _settle(store: HubStore, request: Request, response: Response, key: str, how: str, who: Any) -> dict[str, Any]:
    require_role(who, SELLING, doing_en=f"{how} a reservation", doing_zh="确认或释放预占")
    settle = holds.confirm if how == "confirm" else holds.release
    with _guarded(store) as c:
        done = settle(c, key, now_ms(), who.user)
    if how == "release" and not done.replayed:
        keeper = _keeper(request)
        if keeper is not None and keeper.fastpath is not None and done.sku in keeper.fast_skus:
            _fast_call(lambda: keeper.fastpath.give_back(done.sku, done.warehouse, done.quantity))
    if done.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    _wake(request)
    return _hold(done)


HOLD_KEY = Annotated[str, Path(min_length=1, max_length=128)]


@router.post("/reservations/{key}/confirm", responses=responses(400, 401, 413, 403, 409, 422))
def confirm(who: Caller, store: Store, request: Request, response: Response, key: HOLD_KEY) -> dict[str, Any]:
    """Paid: reserved → committed. Confirming twice is one confirmation; an expired hold: 409."""
    return _settle(store, request, response, key, "confirm", who)


@router.post("/reservations/{key}/release", responses=responses(400, 401, 413, 403, 409, 422))
def release(who: Caller, store: Store, request: Request, response: Response, key: HOLD_KEY) -> dict[str, Any]:
    """Cancelled: reserved → sellable, the quota given back."""
    return _settle(store, request, response, key, "release", who)


@router.post("/sales", responses=made_or(400, 401, 413, 403, 409, 422))
def sale(
    who: Caller, store: Store, request: Request, response: Response, body: SaleRequest, key: KEY
) -> dict[str, Any]:
    """A paid order the channel sold on its own counter (never reserved here): covered from sellable,
    the rest counted oversold; more than the breaker's threshold in its window trips the SKU."""
    require_role(who, SELLING, doing_en="report a sale", doing_zh="上报销售")
    with _guarded(store) as c:
        done = breaker.record_sale(c, sku=body.sku, warehouse=body.warehouse, quantity=body.quantity,
                                   channel=body.channel, order_ref=body.order_ref, key=key, now_ms=now_ms(),
                                   rule=_rule(request))  # fmt: skip
    _replayed(response, done.replayed)
    _wake(request)
    return {"key": done.key, "sku": done.sku, "quantity": done.quantity, "covered": done.covered,
            "oversold": done.oversold, "tripped": done.tripped}  # fmt: skip


@router.post("/listing-actions/{action_id}/done", responses=responses(400, 401, 413, 403, 404))
def listing_done(who: Caller, store: Store, request: Request, action_id: Annotated[int, Path(ge=1)]) -> dict[str, Any]:
    """The channel paused (or resumed) the listing as asked."""
    require_role(who, SELLING, doing_en="acknowledge a listing action", doing_zh="确认渠道上下架指令")
    with _guarded(store) as c:
        if breaker.listing_done(c, action_id, now_ms()) is None:
            raise Refusal(404, en=f"no listing action {action_id}", zh=f"没有上下架指令 {action_id}", field="action_id",
                          value=action_id)  # fmt: skip
    _wake(request)
    return {"id": action_id, "state": "done"}


# -- supervisors: stock, quotas, the breaker ----------------------------------------------------
@router.post("/skus", responses=responses(400, 401, 413, 403, 422))
def put_sku(who: Caller, store: Store, request: Request, body: SkuRequest) -> dict[str, Any]:
    """Name a SKU, and put it on (or off) the Redis fast path."""
    require_role(who, SUPERVISOR, doing_en="change a SKU", doing_zh="修改 SKU")
    with _guarded(store) as c:
        ledger.register_sku(c, body.sku, body.title, fast_path=body.fast_path)
    keeper = _keeper(request)
    if keeper is not None:
        keeper.reconcile()
    _wake(request)
    return {"sku": body.sku, "title": body.title, "fast_path": body.fast_path}  # None: left as it was


@router.post("/movements", responses=made_or(400, 401, 413, 403, 409, 422))
def move(
    who: Caller, store: Store, request: Request, response: Response, body: MovementRequest, key: KEY
) -> dict[str, Any]:
    """Receive stock (from ``outside``), move it between pools (quality check → sellable, in transit →
    sellable, …) or write it off (to ``outside``): one movement in the ledger."""
    require_role(who, SUPERVISOR, doing_en="move stock", doing_zh="调整库存")
    _check_move(body)
    with _guarded(store) as c:
        done = ledger.move(c, sku=body.sku, warehouse=body.warehouse, from_pool=body.from_pool, to_pool=body.to_pool,
                           quantity=body.quantity, reason=body.reason, actor=who.user, ref_kind=_ref_kind(body.reason),
                           ref_id=body.ref or key[:64], key=f"api:{key}", at_ms=now_ms())  # fmt: skip
    _replayed(response, done.replayed)
    keeper = _keeper(request)
    if keeper is not None and Pool.SELLABLE in (body.from_pool, body.to_pool) and body.sku in keeper.fast_skus:
        keeper.reconcile()
    _wake(request)
    return {"id": done.id, "sku": done.sku, "warehouse": done.warehouse, "from_pool": done.from_pool.value,
            "to_pool": done.to_pool.value, "quantity": done.quantity}  # fmt: skip


# Which pools a supervisor's movement may join, by its reason. Reserved belongs to the holds and committed
# to paid orders: only reservations and sales move stock in (and a shipment out of committed). A transfer
# out of reserved once left holds whose units were gone, and the sweeper could not expire them.
STOCK = {Pool.SELLABLE, Pool.QUALITY_CHECK, Pool.IN_TRANSIT}
MOVES: dict[str, tuple[set[Pool], set[Pool]]] = {
    "receipt": ({Pool.OUTSIDE}, STOCK),
    "transfer": (STOCK, STOCK),
    "quality_passed": ({Pool.QUALITY_CHECK}, {Pool.SELLABLE}),
    "quality_failed": ({Pool.QUALITY_CHECK}, {Pool.OUTSIDE}),
    "count": ({Pool.OUTSIDE} | STOCK, {Pool.OUTSIDE} | STOCK),
    "shipped": ({Pool.COMMITTED}, {Pool.OUTSIDE}),
    "returned": ({Pool.OUTSIDE}, {Pool.QUALITY_CHECK, Pool.SELLABLE}),
}


def _check_move(body: MovementRequest) -> None:
    sources, targets = MOVES[body.reason]
    for field, pool, allowed in (("from_pool", body.from_pool, sources), ("to_pool", body.to_pool, targets)):
        if pool not in allowed:
            names = ", ".join(sorted(p.value for p in allowed))
            raise Refusal(422, en=f"a {body.reason} movement cannot use {pool.value} as its {field} (only {names}): reserved "
                          "stock moves by reservations, committed by sales and shipments",
                          zh=f"{body.reason} 移动的 {field} 不能是 {pool.value}(只能是 {names}):预占库存只随预占变动,"
                          "已付待发只随销售和发货变动", field=field, value=pool.value)  # fmt: skip


def _ref_kind(reason: str) -> str:
    return {"receipt": "receipt", "transfer": "transfer", "count": "count"}.get(reason, "order" if reason in
                                                                                 ("shipped", "returned") else "check")  # fmt: skip


@router.post("/quotas", responses=responses(400, 401, 413, 403, 422))
def quota(who: Caller, store: Store, request: Request, body: QuotaRequest) -> dict[str, Any]:
    """A channel's (and campaign's) share of the sellable stock; never above what is sellable."""
    require_role(who, SUPERVISOR, doing_en="set a quota", doing_zh="设置配额")
    with _guarded(store) as c:
        done = holds.set_quota(c, sku=body.sku, warehouse=body.warehouse, channel=body.channel,
                               campaign=body.campaign, quantity=body.quantity)  # fmt: skip
    _wake(request)
    return done


@router.post("/skus/{sku}/resume", responses=responses(400, 401, 413, 403, 409, 422))
def resume(who: Caller, store: Store, request: Request, sku: SKU, body: ResumeRequest) -> dict[str, Any]:
    """A supervisor lets a tripped SKU sell again (audited); the paused listings are asked to resume."""
    require_role(who, SUPERVISOR, doing_en="resume a tripped SKU", doing_zh="恢复熔断的 SKU")
    with _guarded(store) as c:
        done = breaker.resume(c, sku, who.user, now_ms(), body.note)
    _wake(request)
    return done


def _rule(request: Request) -> breaker.BreakerRule:
    keeper = _keeper(request)
    return keeper.rule if keeper is not None else breaker.BreakerRule()
