"""The hub's bulk write path on PostgreSQL (one statement per table and batch, hub/bulk.py) and its
feed cache, on the real server: the PostgreSQL path feeds exactly what the SQLite path feeds, batch
for batch; readers following the feed over HTTP see every change once and in commit order while
writers race, whether the cache holds the whole stretch or keeps letting it go; lookups are planned
for their values and go through the unique index. A database of these tests' own, dropped after."""

from __future__ import annotations

import json
import os
import re
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, text

from orderdesk.hub import bulk
from orderdesk.hub.feed_cache import FeedCache
from orderdesk.hub.rows import order_rows
from orderdesk.hub.schema import metadata
from orderdesk.hub.store import HubStore
from orderdesk.sync.contract import ObservationRecord, OrderRecord
from tests.conftest import obs, order, ref, token_for
from tests.hub.test_postgres import _reachable

pytestmark = pytest.mark.postgres
SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    reason = _reachable()
    if reason:
        pytest.skip(reason)
    name = f"orderdesk_test_write_{os.getpid()}"
    admin = create_engine(f"{SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        c.execute(text(f'CREATE DATABASE "{name}"'))
    yield f"{SERVER}/{name}"
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def fresh_store(url: str) -> HubStore:
    engine = create_engine(url)
    metadata.drop_all(engine)
    engine.dispose()
    return HubStore(url)


# Orders in a few versions each (some carry their unified id, some get one at the hub), observations
# naming them by channel key or waybill, some with the source's event id.
NOS = ["W1", "W2", "W3", "W4", "W5"]
OWN_IDS = {"W1": "DB20260124ABCDEFGHJK01", "W3": "DB20260124ABCDEFGHJK03"}
VERSIONS = [order(no, domain_id=OWN_IDS[no]) if no in OWN_IDS else order(no) for no in NOS] + [
    order("W1", domain_id=OWN_IDS["W1"], waybill_no="SF99990001"),
    order("W2", paid_amount_fen=2400),
    order("W4", receiver={"name": "堃", "phone": "13800138000", "province": "浙江省", "city": "杭州市",
                          "address": "文三路2号"}),
]  # fmt: skip
OBSERVATIONS = [obs("douyin", 105, "2026-01-24T14:01:00+08:00", ref(no)) for no in NOS] + [
    obs("douyin", 3, "2026-01-25T09:00:00+08:00", ref("W2")),
    obs("douyin", 105, "2026-01-24T14:01:00+08:00", ref("W9")),  # its order never comes
    obs("kuaidi100", 3, "2026-01-26T10:00:00+08:00", {"waybill_no": "SFW1"}),
    obs("douyin", 5, "2026-01-27T10:00:00+08:00", ref("W3"), event_id="push-77"),
    obs("douyin", 4, "2026-01-27T11:00:00+08:00", ref("W3"), event_id="push-77"),  # the same push id again
]
BATCHES = st.lists(
    st.tuples(st.lists(st.sampled_from(VERSIONS), max_size=6), st.lists(st.sampled_from(OBSERVATIONS), max_size=7)),
    min_size=1,
    max_size=5,
)
DOMAIN_ID = re.compile(r"DB\d{8}[0-9A-HJ-NP-Z]{12}")


def play(store: HubStore, batches: list[tuple[list[Any], list[Any]]]) -> str:
    """What the batches did, as text: each batch's answer, then the whole feed in order; unified ids
    made at the hub (random) named by their order of appearance."""
    answers = []
    for orders, observations in batches:
        with store.write() as c:
            ids = store.put_orders(c, [OrderRecord.model_validate(o) for o in orders])
            counts = store.put_observations(c, [ObservationRecord.model_validate(o) for o in observations])
        answers.append([ids, counts])
    with store.read() as c:
        feed = [[row.kind, json.loads(row.body_json)] for row in store.read_changes(c, 0, 10**6)]
    made: dict[str, str] = {}
    return DOMAIN_ID.sub(lambda m: made.setdefault(m.group(), f"ID{len(made)}"), json.dumps([answers, feed]))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batches=BATCHES)
def test_the_postgres_write_path_answers_and_feeds_exactly_what_the_sqlite_one_does(pg_url, batches):
    postgres = fresh_store(pg_url)
    with tempfile.TemporaryDirectory() as folder:
        sqlite = HubStore(f"sqlite:///{Path(folder) / 'hub.sqlite3'}")
        try:
            assert play(postgres, batches) == play(sqlite, batches)
        finally:
            postgres.close()
            sqlite.close()


def _valid_order(no: str, name: str) -> dict[str, Any] | None:
    record = order(no, receiver={"name": name, "phone": "13800138000", "province": "浙江省", "city": "杭州市",
                                 "address": "文三路1号"})  # fmt: skip
    try:
        OrderRecord.model_validate(record)
    except ValueError:
        return None
    return record


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(named=st.lists(st.tuples(st.text(min_size=1, max_size=12), st.text(min_size=1, max_size=8)), min_size=1,
                      max_size=8))  # fmt: skip
def test_any_order_number_and_name_the_contract_takes_goes_through_postgres_arrays_as_through_sqlite(pg_url, named):
    orders = [o for o in (_valid_order(no, name) for no, name in named) if o is not None]
    assume(orders)
    observations = [obs("douyin", 105, "2026-01-24T14:01:00+08:00", ref(o["channel_order_no"])) for o in orders]
    postgres = fresh_store(pg_url)
    with tempfile.TemporaryDirectory() as folder:
        sqlite = HubStore(f"sqlite:///{Path(folder) / 'hub.sqlite3'}")
        try:
            batches = [(orders, observations), (orders[::-1], observations)]
            assert play(postgres, batches) == play(sqlite, batches)
        finally:
            postgres.close()
            sqlite.close()


def test_an_order_sent_again_is_fed_only_when_it_changed_and_keeps_the_unified_id_made_first(pg_url):
    store = fresh_store(pg_url)
    try:
        with store.write() as c:
            (first,) = store.put_orders(c, [OrderRecord.model_validate(order("K1"))])
        with store.write() as c:  # the same version: nothing new; a new version carrying another id: the first id kept
            assert store.put_orders(c, [OrderRecord.model_validate(order("K1"))]) == [first]
            changed = order("K1", domain_id="DB20260124ZZZZZZZZZZZZ", paid_amount_fen=1)
            assert store.put_orders(c, [OrderRecord.model_validate(changed)]) == [first]
            assert store.put_observations(c, [ObservationRecord.model_validate(o) for o in OBSERVATIONS[:2] * 2]) == (
                2,
                2,
            )
        with store.read() as c:
            feed = [(row.kind, json.loads(row.body_json)) for row in store.read_changes(c, 0, 100)]
        assert [kind for kind, _ in feed] == ["order", "order", "observation", "observation"]
        assert feed[1][1]["domain_id"] == first and feed[1][1]["paid_amount_fen"] == 1
    finally:
        store.close()


@pytest.mark.parametrize("cache_bytes", [32 * 1024 * 1024, 700], ids=["whole stretch", "letting go all the time"])
def test_readers_over_http_see_every_change_once_in_commit_order_while_writers_race(pg_url, cache_bytes):
    from orderdesk.hub.server import BackgroundHub

    store = fresh_store(pg_url)
    store.ensure_demo_users()
    writers, per_writer, readers = 4, 12, 3
    done = threading.Event()
    seen: list[list[Any]] = [[] for _ in range(readers)]
    errors: list[BaseException] = []
    try:
        with BackgroundHub(store) as hub:
            hub.app.state.feed_cache = FeedCache(max_bytes=cache_bytes)
            headers = {"Authorization": f"Bearer {token_for(hub.url, 'supervisor')}"}

            def write(w: int) -> None:
                try:
                    with httpx.Client(base_url=hub.url, headers=headers, timeout=30) as http:
                        for i in range(per_writer):
                            no = f"R{w}-{i:02d}"
                            body = {
                                "orders": [order(no)],
                                "observations": [obs("douyin", 105, "2026-01-24T14:01:00+08:00", ref(no))],
                            }
                            http.post("/v1/ingest/douyin", json=body).raise_for_status()
                except BaseException as exc:
                    errors.append(exc)

            def read(r: int) -> None:
                try:
                    cursor = ""
                    with httpx.Client(base_url=hub.url, headers=headers, timeout=30) as http:
                        while True:
                            finished = done.is_set()
                            page = http.get("/v1/changes", params={"cursor": cursor, "limit": 5}).json()
                            seen[r].extend([c["kind"], c["body"]] for c in page["changes"])
                            cursor = page["cursor"]
                            if finished and not page["has_more"]:
                                return
                except BaseException as exc:
                    errors.append(exc)

            threads = [threading.Thread(target=read, args=(r,)) for r in range(readers)]
            threads += [threading.Thread(target=write, args=(w,)) for w in range(writers)]
            for thread in threads:
                thread.start()
            for thread in threads[readers:]:
                thread.join()
            done.set()
            for thread in threads[:readers]:
                thread.join(timeout=60)
        assert not errors
        with store.read() as c:
            everything = [[row.kind, json.loads(row.body_json)] for row in store.read_changes(c, 0, 10**6)]
        assert len(everything) == writers * per_writer * 2
        for reader in seen:
            assert reader == everything  # nothing missed, nothing twice, in commit order
    finally:
        store.close()


def test_postgres_plans_each_lookup_for_its_values_and_finds_orders_through_the_unique_index(pg_url):
    from orderdesk.hub.demo import seed

    store = fresh_store(pg_url)
    try:
        seed(store, 2000)
        with store.read() as c:
            assert c.exec_driver_sql("SHOW plan_cache_mode").scalar() == "force_custom_plan"
            rows = order_rows([OrderRecord.model_validate(order(f"P{i}")) for i in range(20)])
            columns = ([r.channel for r in rows], [r.shop for r in rows], [r.channel_order_no for r in rows])
            plan = "\n".join(line for (line,) in c.exec_driver_sql("EXPLAIN " + bulk._PG_KNOWN_ORDERS, columns))
        assert "uq_hub_orders_channel_key" in plan and "Seq Scan on hub_orders" not in plan, plan
    finally:
        store.close()
