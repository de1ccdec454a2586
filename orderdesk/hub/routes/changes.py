"""/v1/changes: the change feed, read with an opaque, strictly advancing cursor."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel

from orderdesk.hub.deps import Caller, Store
from orderdesk.hub.feed import BadCursor, feed_cursor, read_feed_cursor
from orderdesk.hub.feed_cache import FeedCache, Page, render
from orderdesk.hub.refusals import Refusal, responses

router = APIRouter(prefix="/v1", tags=["feed"])
FINANCE = frozenset({"clerk", "supervisor"})
INVOICE_CHANGE = b'{"kind":"invoice"'
MAX_PAGE = 5000


class Change(BaseModel):
    kind: Literal["order", "observation", "action", "invoice", "stock"]
    body: dict[str, Any]


class ChangePage(BaseModel):
    changes: list[Change]
    cursor: str
    has_more: bool


def _gone() -> Refusal:
    return Refusal(410, en="the changes after this cursor are no longer kept: relist",
                   zh="此游标之后的变更已不再保留:请重新拉取全量列表", field="cursor")  # fmt: skip


@router.get("/changes", response_model=ChangePage, responses=responses(400, 401, 410, 422))
def read_changes(
    who: Caller,
    store: Store,
    request: Request,
    cursor: Annotated[str | None, Query(max_length=200, description="empty or absent: from the start")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1000,
) -> Response:
    with store.read() as c:
        low, high = store.feed_bounds(c)
        if not cursor:
            after = 0
        else:
            try:
                epoch, after = read_feed_cursor(cursor)
            except BadCursor:
                raise Refusal(400, en="not a cursor this hub handed out", zh="不是本订单中心给出的游标", field="cursor",
                              value=cursor) from None  # fmt: skip
            if epoch != store.epoch:
                raise Refusal(410, en="this cursor is from another hub database: relist",
                              zh="此游标来自另一个订单中心数据库:请重新拉取全量列表", field="cursor")  # fmt: skip
            if after > high:
                raise Refusal(400, en="this cursor is ahead of the feed", zh="此游标超出了变更流", field="cursor")
        if low > after + 1 or (high == 0 and after > 0):
            raise _gone()
        cache: FeedCache = request.app.state.feed_cache
        page = cache.page(after, limit, high, lambda since, n: store.read_changes(c, since, n))
        if page is None:  # further back than the cache reaches: from the database
            rows = store.read_changes(c, after, limit)
            page = Page(rows[-1].seq if rows else after, [render(row.kind, row.body_json) for row in rows])
    bodies = page.changes
    if who.role not in FINANCE:  # invoices are for clerks and supervisors: a packer's feed goes without them
        bodies = [b for b in bodies if not b.startswith(INVOICE_CHANGE)]
    # The bodies are stored as JSON already: spliced in rather than parsed and serialised again.
    tail = json.dumps({"cursor": feed_cursor(store.epoch, page.last), "has_more": page.last < high})[1:].encode()
    return Response(b'{"changes":[' + b",".join(bodies) + b"]," + tail, media_type="application/json")
