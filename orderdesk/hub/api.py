"""The reference central order API (FastAPI): one routes module per resource (``hub/routes/``),
included here. OpenAPI at /openapi.json, every status code declared; docs/api.md documents it."""

from __future__ import annotations

from fastapi import FastAPI

from orderdesk.hub import openapi, refusals
from orderdesk.hub.auth import TokenAuthority
from orderdesk.hub.body import IngestLimits
from orderdesk.hub.body_limit import ContentLengthCheck
from orderdesk.hub.feed_cache import FeedCache
from orderdesk.hub.routes import actions, auth, changes, drills, ingest, inventory, invoices, orders, reports, tickets
from orderdesk.hub.secret import load_secret
from orderdesk.hub.store import HubStore
from orderdesk.hub.throttle import SignInLimits
from orderdesk.hub.timing import ServerTiming

MAX_BODY_BYTES = 256 * 1024  # every body but the ingest's: sign-in and actions are small


def create_app(
    store: HubStore,
    *,
    secret: str | None = None,
    ingest_limits: IngestLimits | None = None,
    sign_in_limits: SignInLimits | None = None,
) -> FastAPI:
    """The hub on ``store``. ``secret`` signs tokens; None: the deployment's (hub/secret.py)."""
    app = FastAPI(
        title="OrderDesk reference order hub",
        version="1",
        description="The central order API the OrderDesk console syncs with. Demo users are for demos only. "
        "Every refusal is {detail, detail_zh, field, value…} in English and Chinese.",
    )
    limits = ingest_limits or IngestLimits()
    app.state.store = store
    app.state.feed_cache = FeedCache()
    app.state.tokens = TokenAuthority(secret if secret is not None else load_secret(), store.epoch)
    app.state.ingest_limits = limits
    app.state.sign_in_limits = sign_in_limits or SignInLimits()
    app.state.invoicer = None  # hub/invoicer.py, when this hub issues invoices (set by whoever runs it)
    app.state.inventory = None  # hub/inventory_keeper.py: the sweeper, the stock feed, alerts, the fast path
    for module in (auth, changes, orders, actions, invoices, drills, inventory, reports, tickets):
        app.include_router(module.router, max_body_size=MAX_BODY_BYTES)
    app.include_router(ingest.router, max_body_size=limits.max_body_bytes)
    app.add_middleware(ContentLengthCheck, limits={"/v1/ingest/": limits.max_body_bytes}, default=MAX_BODY_BYTES)
    app.add_middleware(ServerTiming)  # outermost: the whole of the hub's time
    refusals.install(app)
    openapi.install(app)
    return app
