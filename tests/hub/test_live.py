"""Live demo traffic keeps orders and their statuses arriving, through the normal write path."""

from __future__ import annotations

import time

from hub.live import LiveTraffic
from hub.store import HubStore


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
