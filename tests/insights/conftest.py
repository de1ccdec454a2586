"""A hub holding the demo's planted month (and a few hundred ordinary demo orders) synced into a cache,
shared by the insights tests of a module."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from tests.conftest import token_for

NOW = datetime(2026, 3, 25, 12, tzinfo=UTC)  # the ordinary orders start after the planted month


@pytest.fixture(scope="module")
def month_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    from orderdesk.hub import reconciliation_demo
    from orderdesk.hub.demo import recent, seed
    from orderdesk.hub.server import BackgroundHub
    from orderdesk.hub.store import HubStore
    from tests.damage import sync_into

    folder = tmp_path_factory.mktemp("month")
    store = HubStore(f"sqlite:///{folder / 'hub.sqlite3'}")
    store.ensure_demo_users()
    planted = reconciliation_demo.seed(store)
    seed(store, 300, 11, **recent(300, days=20, now=NOW))
    server = BackgroundHub(store)
    server.start()
    token = token_for(server.url, "supervisor")
    cache = folder / "cache.sqlite3"
    sync_into(cache, server.url, token)
    yield SimpleNamespace(hub=server, url=server.url, token=token, cache=cache, planted=planted, store=store)
    server.stop()
    store.close()
