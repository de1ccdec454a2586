"""/v1/orders: the order listing in keyset pages, cut into pages ahead, and one order."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, Field

from orderdesk.hub.deps import Caller, Store
from orderdesk.hub.feed import BadCursor, feed_cursor, page_token, read_page_token
from orderdesk.hub.refusals import Refusal, responses

router = APIRouter(prefix="/v1/orders", tags=["orders"])
MAX_PAGE = 5000
MAX_PLANNED_PAGES = 10_000  # a plan's answer stays small (~700 KB); the last page reads on


class OrderEntry(BaseModel):
    order: dict[str, Any]
    observations: list[dict[str, Any]]


class OrderPage(BaseModel):
    orders: list[OrderEntry]
    next: str | None
    feed_cursor: str


class PagePlan(BaseModel):
    orders: int = Field(description="orders in the listing when it was cut into pages")
    pages: list[str] = Field(description="page tokens, each the `after` of one `GET /v1/orders` page, in order")
    feed_cursor: str


@router.get("", response_model=OrderPage, responses=responses(400, 401, 422))
def list_orders(
    _: Caller,
    store: Store,
    after: Annotated[str | None, Query(max_length=300, description="empty or absent: from the start")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1000,
) -> Response:
    with store.read() as c:
        until_id: int | None = None
        if not after:
            after_id, as_of = 0, feed_cursor(store.epoch, store.feed_bounds(c)[1])
        else:
            try:
                after_id, as_of, until_id = read_page_token(after)
            except BadCursor:
                raise Refusal(400, en="not a page token this hub handed out", zh="不是本订单中心给出的分页标记",
                              field="after", value=after) from None  # fmt: skip
        page = store.list_orders(c, after_id, limit, until_id)
    # Orders and observations are stored as JSON already: splice them in (see /v1/changes).
    entries = ",".join(f'{{"order":{record},"observations":[{",".join(obs)}]}}' for _, record, obs in page)
    more = len(page) == limit and page[-1][0] != until_id  # a planned page that reached its end is done
    tail = json.dumps({"next": page_token(page[-1][0], as_of, until_id) if more else None, "feed_cursor": as_of})
    return Response(f'{{"orders":[{entries}],{tail[1:]}', media_type="application/json")


@router.get("/pages", response_model=PagePlan, responses=responses(401, 422))
def plan_pages(_: Caller, store: Store, limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1000) -> PagePlan:
    """The whole listing cut into pages of ``limit`` orders, as page tokens for `GET /v1/orders`, so
    that a client can read several pages at once. Every page but the last ends at a fixed order;
    the last is open, and its `next` leads on to orders added since (and to the rest of a listing
    longer than 10,000 pages). All share one `feed_cursor`: the feed from there covers every change
    made while the pages were read."""
    with store.read() as c:
        as_of = feed_cursor(store.epoch, store.feed_bounds(c)[1])
        total, ends = store.page_ends(c, limit, MAX_PLANNED_PAGES - 1)
    starts = [0, *ends]
    tokens = [page_token(start, as_of, end) for start, end in zip(starts, [*ends, None], strict=True)]
    return PagePlan(orders=total, pages=tokens, feed_cursor=as_of)


@router.get("/{domain_id}", response_model=OrderEntry, responses=responses(401, 404, 422))
def get_order(_: Caller, store: Store, domain_id: Annotated[str, Path(max_length=22)]) -> Response:
    with store.read() as c:
        found = store.get_order(c, domain_id)
    if found is None:
        raise Refusal(404, en=f"no order {domain_id}", zh=f"没有订单 {domain_id}", field="domain_id", value=domain_id)
    return Response(f'{{"order":{found[0]},"observations":[{",".join(found[1])}]}}', media_type="application/json")
