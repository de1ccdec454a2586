"""Property: whatever the interleaving of orders, updates, observations that come before their order,
feed retention and first syncs of several caches, every cache ends with exactly the observations the
hub gives each order (`GET /v1/orders/{id}`), and the same projection. Against the real hub over
loopback, with real cache files."""

from __future__ import annotations

import asyncio
import itertools
import shutil
from pathlib import Path
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orderdesk.sync.cache import Cache
from orderdesk.sync.cache.apply import CacheWriter
from orderdesk.sync.client import HubClient
from orderdesk.sync.contract import ObservationRecord
from orderdesk.sync.syncer import Syncer
from tests.conftest import order, ref, token_for

CACHES = 3
ORDERS = 4
DOMAIN_IDS = ["DB20260124AAAAAAAAAAA0", "DB20260124AAAAAAAAAAA1"]  # orders 0 and 1 carry theirs; 2 and 3 get one
WAYBILLS = ["", "SF-W0", "SF-W1", "SF-W2"]  # few: orders share them (merged shipments) and change them
STATUSES = {"douyin": [105, 3, 5], "kuaidi100": [0, 3, 2], "finance": ["PAYMENT_RECEIVED", "SETTLED"]}

observation_st = st.one_of(
    st.tuples(st.just("douyin"), st.just("channel"), st.integers(0, ORDERS - 1), st.integers(0, 2)),
    st.tuples(st.just("douyin"), st.just("channel+waybill"), st.integers(0, ORDERS - 1), st.integers(0, 2)),
    st.tuples(st.just("kuaidi100"), st.just("waybill"), st.integers(1, len(WAYBILLS) - 1), st.integers(0, 2)),
    st.tuples(st.just("finance"), st.just("domain"), st.integers(0, len(DOMAIN_IDS) - 1), st.integers(0, 1)),
)


@st.composite
def _event(draw: st.DrawFn) -> tuple[Any, ...]:
    roll = draw(st.integers(0, 19))
    if roll < 7:  # an order arrives, or comes again changed (another waybill, another amount)
        return ("order", draw(st.integers(0, ORDERS - 1)), draw(st.integers(0, len(WAYBILLS) - 1)),
                draw(st.sampled_from([2500, 2400])))  # fmt: skip
    if roll < 17:
        return ("observe", draw(observation_st))
    if roll < 19:
        return ("again", draw(st.integers(0, 50)))  # an observation delivered again
    return ("prune", draw(st.integers(0, 3)))  # the feed keeps only the newest few changes: 410, relist


@st.composite
def _history(draw: st.DrawFn) -> list[tuple[Any, ...]]:
    """Events with syncs among them: each cache syncs for the first time at a point of its own (before
    anything happened, in the middle, or only at the end), some again later."""
    events = draw(st.lists(_event(), min_size=4, max_size=16))
    points = range(len(events) + 1)
    firsts = draw(st.lists(st.sampled_from(points), min_size=CACHES, max_size=CACHES, unique=len(points) >= CACHES))
    again = draw(st.lists(st.tuples(st.sampled_from(points), st.integers(0, CACHES - 1)), max_size=5))
    syncs = sorted([(point, cache) for cache, point in enumerate(firsts)] + again)
    steps: list[tuple[Any, ...]] = []
    for point in points:
        steps += [("sync", cache) for at, cache in syncs if at == point]
        if point < len(events):
            steps.append(events[point])
    return steps


_examples = itertools.count()
_blank: list[Path] = []


def _new_cache(path: Path, tmp_path_factory: Any) -> Cache:
    """A cache file at the newest schema, copied from one migrated once (migrating takes ~0.2 s)."""
    if not _blank:
        _blank.append(tmp_path_factory.mktemp("blank") / "blank.sqlite3")
        Cache(_blank[0]).close()
    shutil.copyfile(_blank[0], path)
    return Cache(path)


def _order_record(run: int, index: int, waybill: int, paid: int) -> dict[str, Any]:
    extra = {"domain_id": DOMAIN_IDS[index]} if index < len(DOMAIN_IDS) else {}
    return order(f"R{run}-{index}", waybill_no=WAYBILLS[waybill], paid_amount_fen=paid, **extra)


def _observation(run: int, step: int, choice: tuple[Any, ...]) -> dict[str, Any]:
    source, naming, target, status = choice
    at = f"2026-01-{24 + step // 24:02d}T{step % 24:02d}:30:00+08:00"
    if naming == "channel":
        named: dict[str, str] = ref(f"R{run}-{target}")
    elif naming == "channel+waybill":
        named = {**ref(f"R{run}-{target}"), "waybill_no": WAYBILLS[1 + target % 3]}
    elif naming == "waybill":
        named = {"waybill_no": WAYBILLS[target]}
    else:
        named = {"domain_id": DOMAIN_IDS[target]}
    return {"source": source, "status": STATUSES[source][status], "observed_at": at, "order": named}


def _sync(url: str, cache: Cache, token: str) -> None:
    async def once() -> None:
        async with HubClient(url, token, backoff_base=0.01, max_backoff=0.2) as client:
            await Syncer(client, CacheWriter(cache, operator="sync"), page_size=3, apply_changes=5).run_once()

    asyncio.run(once())


def _hub_orders(http: httpx.Client) -> dict[str, set[str]]:
    """Every order at the hub with the identities of the observations it gives that order."""
    listed, after = [], None
    while True:
        page = http.get("/v1/orders", params={"limit": 2, **({"after": after} if after else {})}).json()
        listed += [entry["order"]["domain_id"] for entry in page["orders"]]
        if (after := page["next"]) is None:
            break
    found = {}
    for domain_id in listed:
        entry = http.get(f"/v1/orders/{domain_id}").json()
        found[domain_id] = {ObservationRecord.model_validate(o).identity() for o in entry["observations"]}
    return found


def _cache_orders(cache: Cache) -> dict[str, set[str]]:
    with cache.read() as c:
        ids = c.exec_driver_sql("SELECT domain_id FROM orders").scalars().all()
        rows = c.exec_driver_sql("SELECT o.domain_id, b.key FROM observations b JOIN orders o ON o.id = b.order_id")
        found: dict[str, set[str]] = {domain_id: set() for domain_id in ids}
        for domain_id, key in rows:
            found[domain_id].add(key)
    return found


def _projections(cache: Cache) -> dict[str, tuple[Any, ...]]:
    with cache.read() as c:
        rows = c.exec_driver_sql(
            "SELECT domain_id, fulfilment, refund, refunded_fen, cancelled, anomaly_count, waybill_no FROM orders"
        )
        return {r[0]: tuple(r[1:]) for r in rows}


def _reference(http: httpx.Client, reference: Cache) -> dict[str, tuple[Any, ...]]:
    """The projections a cache gets from the hub's final listing applied in one batch."""
    page = http.get("/v1/orders", params={"limit": 5000}).json()
    orders = [entry["order"] for entry in page["orders"]]
    observations = [o for entry in page["orders"] for o in entry["observations"]]
    with reference:
        CacheWriter(reference).apply(orders, observations)
        return _projections(reference)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=_history())
def test_every_cache_ends_with_exactly_the_hub_s_observations_whatever_the_interleaving(tmp_path_factory, steps):
    from orderdesk.hub.server import BackgroundHub
    from orderdesk.hub.store import HubStore

    run = next(_examples)
    folder = tmp_path_factory.mktemp("interleaving")
    store = HubStore(f"sqlite:///{folder / 'hub.sqlite3'}")
    store.add_user("supervisor", "supervisor", "supervisor")
    caches = [_new_cache(folder / f"cache-{i}.sqlite3", tmp_path_factory) for i in range(CACHES)]
    try:
        with BackgroundHub(store) as hub:
            token = token_for(hub.url, "supervisor")
            with httpx.Client(base_url=hub.url, headers={"Authorization": f"Bearer {token}"}, timeout=20) as http:
                sent: list[dict[str, Any]] = []
                for number, step in enumerate(steps):
                    if step[0] == "order":
                        body = {"orders": [_order_record(run, *step[1:])]}
                        http.post("/v1/ingest/douyin", json=body).raise_for_status()
                    elif step[0] in ("observe", "again"):
                        if step[0] == "again" and not sent:
                            continue
                        record = (
                            _observation(run, number, step[1]) if step[0] == "observe" else sent[step[1] % len(sent)]
                        )
                        sent.append(record)
                        answer = http.post(f"/v1/ingest/{record['source']}", json={"observations": [record]})
                        assert answer.status_code == 200 and not answer.json()["refused"]
                    elif step[0] == "sync":
                        _sync(hub.url, caches[step[1]], token)
                    else:
                        store.prune(keep=step[1])
                for cache in caches:  # the last sync (the first, for a cache that never synced)
                    _sync(hub.url, cache, token)
                at_hub = _hub_orders(http)
                reference = _reference(http, _new_cache(folder / "reference.sqlite3", tmp_path_factory))
        for index, cache in enumerate(caches):
            assert _cache_orders(cache) == at_hub, f"cache {index}"
            assert _projections(cache) == reference, f"cache {index}"
    finally:
        for cache in caches:
            cache.close()
        store.close()
