"""Property: however many orders share one timestamp, and wherever the page boundaries fall, the feed
and the listing serve each exactly once (through real HTTP on loopback)."""

from __future__ import annotations

import itertools

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import obs, order, ref, token_for

_examples = itertools.count()


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(count=st.integers(1, 40), page=st.integers(1, 17), with_observations=st.booleans())
def test_shared_timestamps_across_page_boundaries(tmp_path_factory, count, page, with_observations):
    from orderdesk.hub.server import BackgroundHub
    from orderdesk.hub.store import HubStore

    run = next(_examples)
    store = HubStore(f"sqlite:///{tmp_path_factory.mktemp('hub') / 'hub.sqlite3'}")
    store.add_user("supervisor", "supervisor", "supervisor")
    with BackgroundHub(store) as hub:
        _check(hub, run, count, page, with_observations)
    store.close()


def _check(hub, run: int, count: int, page: int, with_observations: bool) -> None:
    moment = "2026-01-24T14:00:00+08:00"
    numbers = [f"S{run}-{i:03d}" for i in range(count)]
    headers = {"Authorization": f"Bearer {token_for(hub.url, 'supervisor')}"}
    with httpx.Client(base_url=hub.url, headers=headers, timeout=10) as c:
        start = c.get("/v1/changes", params={"limit": 5000}).json()["cursor"]  # only this example's changes
        observations = [obs("douyin", 105, moment, ref(n)) for n in numbers] if with_observations else []
        c.post("/v1/ingest/douyin", json={"orders": [order(n, created_at=moment) for n in numbers],
                                          "observations": observations}).raise_for_status()  # fmt: skip
        served, cursor = [], start
        while True:
            answer = c.get("/v1/changes", params={"limit": page, "cursor": cursor}).json()
            served += [(ch["kind"], ch["body"].get("channel_order_no") or ch["body"]["order"]["channel_order_no"])
                       for ch in answer["changes"]]  # fmt: skip
            cursor = answer["cursor"]
            if not answer["has_more"]:
                break
        expected = [("order", n) for n in numbers] + (
            [("observation", n) for n in numbers] if with_observations else []
        )
        assert sorted(served) == sorted(expected)
        listed, after = [], None
        while True:
            answer = c.get("/v1/orders", params={"limit": page, **({"after": after} if after else {})}).json()
            listed += [e["order"]["channel_order_no"] for e in answer["orders"]]
            after = answer["next"]
            if after is None:
                break
    mine = [n for n in listed if n.startswith(f"S{run}-")]
    assert sorted(mine) == numbers and len(listed) == len(set(listed))
