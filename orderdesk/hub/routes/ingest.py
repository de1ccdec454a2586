"""/v1/ingest: records from the channels, the carrier and finance (supervisor only); /v1/ingest/stats: how
those calls went per source and hour (channel API health, hub/ingest_stats.py); /v1/refused: the records
it refused, kept for a person to see."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from orderdesk.hub import ingest_stats, refused
from orderdesk.hub.body import IngestLimits, parse_form, parse_json
from orderdesk.hub.deps import Caller, Store, require_role
from orderdesk.hub.ingest import REFUSALS_SHOWN, RefusedRecord, parse_ingest
from orderdesk.hub.refusals import Refusal, responses
from orderdesk.hub.rows import observation_rows, order_rows
from orderdesk.hub.store import HubStore, now_ms
from orderdesk.sync.mapping.registry import bundled_documents

router = APIRouter(prefix="/v1", tags=["ingest"])
INGEST_ROLES = frozenset({"supervisor"})
SOURCES = tuple(sorted(document["source"] for document in bundled_documents()))
FORM = "application/x-www-form-urlencoded"
DAY_MS = 86_400_000
MAX_MS = 253_402_300_799_999  # the last millisecond of the year 9999


class IngestResult(BaseModel):
    orders: list[str]
    observations_new: int
    observations_repeated: int
    refused: list[RefusedRecord]
    refused_count: int


class SourceHealth(BaseModel):
    source: str
    calls: int
    failed_calls: int
    records_accepted: int
    records_refused: int
    call_success_rate: float | None
    record_success_rate: float | None


class HourHealth(BaseModel):
    source: str
    hour_ms: int
    calls: int
    failed_calls: int
    records_accepted: int
    records_refused: int


class IngestStats(BaseModel):
    since_ms: int
    until_ms: int
    sources: list[SourceHealth]
    hours: list[HourHealth]


class KeptRefusal(BaseModel):
    id: int
    source: str
    kind: str
    actor: str
    first_at_ms: int
    last_at_ms: int
    times: int
    errors: list[dict[str, Any]]
    record: Any


class KeptRefusals(BaseModel):
    refused: list[KeptRefusal]
    next: int | None


def _document(raw: bytes, mime: str, source: str, limits: IngestLimits) -> tuple[Any, str]:
    """The body as a parsed document, and the name refusals give it (``$``, or ``param`` for a form)."""
    if mime != FORM:
        return parse_json(raw, "$", limits), "$"
    fields = parse_form(raw, limits)
    if source != "kuaidi100" or "param" not in fields:
        raise Refusal(422, en="param: a form body is Kuaidi100's push, in the field param",
                      zh="param:表单请求体只用于快递100 推送,内容放在字段 param 中", field="param")  # fmt: skip
    return parse_json(fields["param"].encode(), "param", limits), "param"


# Before POST /ingest/{source}: for another method on /ingest/stats the first route whose path matches
# answers 405, and its Allow header must say GET, not POST.
@router.get("/ingest/stats", response_model=IngestStats, responses=responses(401, 403, 422))
def stats(
    who: Caller,
    store: Store,
    since_ms: Annotated[
        int | None, Query(ge=0, le=MAX_MS, description="from this time on (its hour); absent: the last 24 hours")
    ] = None,
) -> IngestStats:
    """Channel API health: the calls of POST /v1/ingest/{source} per source, from the hour `since_ms`
    falls in, and per hour for the last 48 hours (`hours`, oldest first; hours without a call left out).

    A call is **failed** when it was refused or failed as a whole (not JSON, too large, multipart, the
    wrong shape, a server error: nothing of it stored); a call that was read counts its records as
    **accepted** (stored, or already held) or **refused** (GET /v1/refused). `call_success_rate` =
    (calls − failed_calls) / calls; `record_success_rate` = records_accepted / (records_accepted +
    records_refused); null when there is nothing to divide by. Not counted: calls refused before the
    source is known to be one (token, role, a source without a mapping table) and bodies whose
    Content-Length is already too large. Every source with a mapping table is listed, with zeros when
    it made no call."""
    require_role(who, INGEST_ROLES, doing_en="read the ingest's call statistics", doing_zh="查看导入接口的调用统计")
    now = now_ms()
    with store.read() as c:
        found = ingest_stats.summary(c, now - DAY_MS if since_ms is None else since_ms, now, SOURCES)
    return IngestStats.model_validate(found)


@router.post(
    "/ingest/{source}",
    response_model=IngestResult,
    responses=responses(400, 401, 403, 404, 413, 415, 422),
    openapi_extra={"requestBody": {"$ref": "#/components/requestBodies/IngestBody"}},
)
async def ingest(
    who: Caller,
    store: Store,
    source: Annotated[str, Path(max_length=32, json_schema_extra={"enum": list(SOURCES)})],
    request: Request,
) -> IngestResult:
    """Orders and observations in the wire contract (docs/orders.md), or Kuaidi100's own push (JSON, or the
    form field `param`). Bad records come back in `refused` (the first 20 of `refused_count`, each
    naming field and value) and are kept at the hub (GET /v1/refused); the rest is stored. Every call
    is counted for the source's API health (GET /v1/ingest/stats)."""
    require_role(who, INGEST_ROLES, doing_en="ingest", doing_zh="导入数据")
    if source not in SOURCES:
        raise Refusal(404, en=f"no mapping table for the source {source}: known sources are {', '.join(SOURCES)}",
                      zh=f"来源 {source} 没有映射表,已知来源:{'、'.join(SOURCES)}", field="source",
                      value=source)  # fmt: skip
    try:
        return await _take(who.user, store, source, request)
    except Exception:  # refused or failed as a whole: nothing of it was stored
        await run_in_threadpool(ingest_stats.count_failed_call, store, source)
        raise


async def _take(user: str, store: HubStore, source: str, request: Request) -> IngestResult:
    limits: IngestLimits = request.app.state.ingest_limits
    mime = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if mime.startswith("multipart/"):
        raise Refusal(415, en="send JSON, or (Kuaidi100) an URL-encoded form with the field param",
                      zh="请发送 JSON,或(快递100)URL 编码的表单字段 param", field="Content-Type", value=mime)  # fmt: skip
    raw = await request.body()  # capped by the router's max_body_size before and while reading

    def write() -> IngestResult:  # in the thread pool: the event loop keeps serving others
        document, where = _document(raw, mime, source, limits)
        parsed = parse_ingest(source, document, limits, where)
        orders, observations = order_rows(parsed.orders), observation_rows(parsed.observations)  # before the lock
        with store.write() as c:
            ids = store.put_order_rows(c, orders)
            new = store.put_observation_rows(c, observations)
            refused.keep(c, source, user, parsed.refused)
            ingest_stats.count(c, source, now_ms(), accepted=len(parsed.orders) + len(parsed.observations),
                               refused=len(parsed.refused))  # fmt: skip
        repeated = len(parsed.observations) - new
        return IngestResult(orders=ids, observations_new=new, observations_repeated=repeated,
                            refused=[r.shown() for r in parsed.refused[:REFUSALS_SHOWN]],
                            refused_count=len(parsed.refused))  # fmt: skip

    return await run_in_threadpool(write)


@router.get("/refused", response_model=KeptRefusals, responses=responses(401, 403, 422))
def kept_refusals(
    who: Caller,
    store: Store,
    after: Annotated[int, Query(ge=0, description="the last id seen; 0: from the start")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    source: Annotated[str | None, Query(max_length=32)] = None,
) -> Response:
    """Records the ingest refused, oldest first: as sent, with their errors, who sent them, when first
    and last, and how often."""
    require_role(who, INGEST_ROLES, doing_en="read refused records", doing_zh="查看被拒记录")
    with store.read() as c:
        rows = refused.page(c, after, limit, source or None)
    items = ",".join(
        f'{{"id":{r.id},"source":{_json(r.source)},"kind":{_json(r.kind)},"actor":{_json(r.actor)},'
        f'"first_at_ms":{r.first_at_ms},"last_at_ms":{r.last_at_ms},"times":{r.times},'
        f'"errors":{r.errors_json},"record":{r.record_json}}}'
        for r in rows
    )
    following = rows[-1].id if len(rows) == limit else None
    return Response(f'{{"refused":[{items}],"next":{_json(following)}}}', media_type="application/json")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
