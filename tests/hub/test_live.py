"""Live demo traffic keeps orders and their statuses arriving, through the normal write path."""

from __future__ import annotations

import time

from orderdesk.hub.live import LiveTraffic
from orderdesk.hub.store import HubStore


def test_live_traffic_adds_orders_and_then_their_statuses(tmp_path):
    store = HubStore(f"sqlite:///{tmp_path / 'live.sqlite3'}")
    live = LiveTraffic(store, rate=20).start()
    try:
        deadline = time.monotonic() + 15
        while (live.orders < 40 or live.observations < 20) and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        live.stop()
    assert live.orders >= 40 and live.observations >= 20
    with store.read() as c:
        low, high = store.feed_bounds(c)
        kinds = {row.kind for row in store.read_changes(c, 0, 10_000)}
    assert high - low + 1 == live.orders + live.observations and kinds == {"order", "observation"}
    store.close()


def test_live_traffic_through_the_ingest_is_counted_as_the_channels_calls(tmp_path):
    import httpx

    from orderdesk.hub.server import BackgroundHub
    from tests.conftest import token_for

    store = HubStore(f"sqlite:///{tmp_path / 'live.sqlite3'}")
    store.ensure_demo_users()
    server = BackgroundHub(store)
    server.start()
    try:
        token = token_for(server.url, "supervisor")
        live = LiveTraffic(store, rate=10, ingest=(server.url, token)).start()
        try:
            deadline = time.monotonic() + 20
            while (live.orders < 20 or live.observations < 10) and time.monotonic() < deadline:
                time.sleep(0.2)
        finally:
            live.stop()
        assert live.orders >= 20 and live.observations >= 10 and live.failed_calls == 0
        stats = httpx.get(f"{server.url}/v1/ingest/stats", headers={"Authorization": f"Bearer {token}"}).json()
        called = {s["source"]: s for s in stats["sources"] if s["calls"]}
        assert sum(s["calls"] for s in called.values()) == live.calls
        assert all(s["call_success_rate"] == 1.0 for s in called.values()) and len(called) >= 3
    finally:
        server.stop()
        store.close()
