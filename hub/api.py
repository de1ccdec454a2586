"""The reference central order API (FastAPI). OpenAPI at /openapi.json; the README documents it."""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Header, HTTPException, Path, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from hub import auth
from hub.feed import BadCursor, feed_cursor, page_token, read_feed_cursor, read_page_token
from hub.ingest import parse_ingest
from hub.store import HubStore, now_ms
from sync.contract import canonical_json
from sync.json_input import MAX_DEPTH, Unreadable, read_json

ACTION_ROLES: dict[str, frozenset[str]] = {
    "invoice_request": frozenset({"clerk", "supervisor"}),
    "red_invoice_request": frozenset({"clerk", "supervisor"}),
    "print_result": frozenset({"packer", "supervisor"}),
    "rare_char_substitution": frozenset({"packer", "supervisor"}),
    "stock_move": frozenset({"packer", "supervisor"}),
}
INGEST_ROLES = frozenset({"supervisor"})
MAX_PAGE = 5000
MAX_PLANNED_PAGES = 10_000  # a plan's answer stays small (~700 KB); the last page reads on


class TokenRequest(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class TokenResponse(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_at: int
    user: str
    role: str


class WhoAmI(BaseModel):
    user: str
    role: str
    expires_at: int


class Change(BaseModel):
    kind: Literal["order", "observation", "action"]
    body: dict[str, Any]


class ChangePage(BaseModel):
    changes: list[Change]
    cursor: str
    has_more: bool


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


class IngestResult(BaseModel):
    orders: list[str]
    observations_new: int
    observations_repeated: int
    refused: list[dict[str, Any]]


_bearer = HTTPBearer(auto_error=False)


def _caller(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> auth.Caller:
    store: HubStore = request.app.state.store
    found = auth.verify(store.secret, credentials.credentials) if credentials else None
    if found is None:
        raise HTTPException(401, "a valid bearer token is needed: POST /v1/auth/token", {"WWW-Authenticate": "Bearer"})
    return found


Caller = Annotated[auth.Caller, Depends(_caller)]


def create_app(store: HubStore) -> FastAPI:
    app = FastAPI(
        title="OrderDesk reference order hub",
        version="1",
        description="The central order API the OrderDesk console syncs with. Demo users are for demos only.",
    )
    app.state.store = store

    @app.post("/v1/auth/token", response_model=TokenResponse)
    def token(request: TokenRequest) -> TokenResponse:
        role = store.check_password(request.username, request.password)
        if role is None:
            raise HTTPException(401, "wrong user name or password")
        text, expires = auth.issue(store.secret, request.username, role)
        return TokenResponse(access_token=text, expires_at=expires, user=request.username, role=role)

    @app.get("/v1/auth/me", response_model=WhoAmI, responses={401: {"description": "no valid token"}})
    def who_am_i(who: Caller) -> WhoAmI:
        """Who the bearer token names: a console that starts with a stored token learns its role here."""
        return WhoAmI(user=who.user, role=who.role, expires_at=who.expires_at)

    @app.get("/v1/changes", response_model=ChangePage, responses={410: {"description": "cursor too old: relist"}})
    def read_changes(
        _: Caller,
        cursor: Annotated[str | None, Query(max_length=200)] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1000,
    ) -> Response:
        with store.read() as c:
            low, high = store.feed_bounds(c)
            if cursor is None:
                after = 0
            else:
                try:
                    epoch, after = read_feed_cursor(cursor)
                except BadCursor:
                    raise HTTPException(400, "not a cursor this hub handed out") from None
                if epoch != store.epoch:
                    raise HTTPException(410, "this cursor is from another hub database: relist")
                if after > high:
                    raise HTTPException(400, "this cursor is ahead of the feed")
            if low > after + 1 or (high == 0 and after > 0):
                raise HTTPException(410, "the changes after this cursor are no longer kept: relist")
            rows = store.read_changes(c, after, limit)
        last = rows[-1].seq if rows else after
        # The bodies are stored as JSON already: splice them in rather than parse and serialise again.
        changes = ",".join(f'{{"kind":"{row.kind}","body":{row.body_json}}}' for row in rows)
        tail = json.dumps({"cursor": feed_cursor(store.epoch, last), "has_more": last < high})[1:]
        return Response(f'{{"changes":[{changes}],{tail}', media_type="application/json")

    @app.get("/v1/orders", response_model=OrderPage)
    def list_orders(
        _: Caller,
        after: Annotated[str | None, Query(max_length=300)] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1000,
    ) -> Response:
        with store.read() as c:
            until_id: int | None = None
            if after is None:
                after_id, as_of = 0, feed_cursor(store.epoch, store.feed_bounds(c)[1])
            else:
                try:
                    after_id, as_of, until_id = read_page_token(after)
                except BadCursor:
                    raise HTTPException(400, "not a page token this hub handed out") from None
            page = store.list_orders(c, after_id, limit, until_id)
        # Orders and observations are stored as JSON already: splice them in (see /v1/changes).
        entries = ",".join(f'{{"order":{record},"observations":[{",".join(obs)}]}}' for _, record, obs in page)
        more = len(page) == limit and page[-1][0] != until_id  # a planned page that reached its end is done
        tail = json.dumps({"next": page_token(page[-1][0], as_of, until_id) if more else None, "feed_cursor": as_of})
        return Response(f'{{"orders":[{entries}],{tail[1:]}', media_type="application/json")

    @app.get("/v1/orders/pages", response_model=PagePlan)
    def plan_pages(_: Caller, limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1000) -> PagePlan:
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

    @app.get("/v1/orders/{domain_id}", response_model=OrderEntry, responses={404: {"description": "no such order"}})
    def get_order(_: Caller, domain_id: Annotated[str, Path(max_length=22)]) -> Response:
        with store.read() as c:
            found = store.get_order(c, domain_id)
        if found is None:
            raise HTTPException(404, f"no order {domain_id}")
        return Response(f'{{"order":{found[0]},"observations":[{",".join(found[1])}]}}', media_type="application/json")

    @app.post("/v1/ingest/{source}", response_model=IngestResult)
    async def ingest(who: Caller, source: Annotated[str, Path(max_length=32)], request: Request) -> IngestResult:
        if who.role not in INGEST_ROLES:
            raise HTTPException(403, f"a {who.role} may not ingest")
        if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            body: Any = dict(await request.form())  # Kuaidi100 pushes its JSON as the form field `param`
        else:
            body = read_json(await request.body(), MAX_DEPTH + 2)  # the body nests a record two levels down
            if isinstance(body, Unreadable):
                raise HTTPException(400, f"the body {body.en} / 请求体{body.zh}")

        def write() -> IngestResult:  # in the thread pool: the event loop keeps serving others
            parsed = parse_ingest(source, body)
            with store.write() as c:
                ids = store.put_orders(c, parsed.orders)
                new, repeated = store.put_observations(c, parsed.observations)
            return IngestResult(
                orders=ids, observations_new=new, observations_repeated=repeated, refused=parsed.refused
            )

        return await run_in_threadpool(write)

    @app.post(
        "/v1/actions",
        response_model=ActionResult,
        responses={
            403: {"description": "not for this role"},
            404: {"description": "no such order"},
            422: {"description": "invalid, or the key was used with another body"},
        },
    )
    def act(
        who: Caller,
        request: ActionRequest,
        response: Response,
        idempotency_key: Annotated[str, Header(min_length=8, max_length=128)],
    ) -> ActionResult:
        if who.role not in ACTION_ROLES[request.kind]:
            raise HTTPException(403, f"a {who.role} may not make a {request.kind}")
        text = canonical_json(request.model_dump(mode="json"))
        sha = hashlib.sha256(text.encode()).hexdigest()
        with store.write() as c:
            earlier = store.find_action(c, idempotency_key)
            if earlier is not None:
                if earlier.request_sha != sha or earlier.actor != who.user:
                    raise HTTPException(422, "this Idempotency-Key was used for another request")
                response.headers["Idempotent-Replayed"] = "true"
                return ActionResult.model_validate_json(earlier.response_json)
            if not store.order_exists(c, request.order):
                raise HTTPException(404, f"no order {request.order}")
            result = ActionResult(key=idempotency_key, kind=request.kind, order=request.order, status="accepted",
                                  actor=who.user, recorded_at_ms=now_ms())  # fmt: skip
            store.record_action(c, key=idempotency_key, actor=who.user, role=who.role, kind=request.kind,
                                domain_id=request.order, request_sha=sha, request_json=text,
                                response=result.model_dump(mode="json"))  # fmt: skip
        return result

    @app.exception_handler(ValidationError)
    async def _invalid(_: Request, exc: ValidationError) -> Response:  # a record that slipped past a route model
        return Response(
            json.dumps({"detail": exc.errors(include_url=False)}, default=str), 422, media_type="application/json"
        )

    return app
