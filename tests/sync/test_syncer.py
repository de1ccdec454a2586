"""Syncing a cache from the real hub over loopback, through faults: nothing lost, nothing doubled."""

from __future__ import annotations

import asyncio
import json
import time

import httpx
import pytest
from sqlalchemy import delete

from orderdesk.hub.demo import seed
from orderdesk.hub.schema import orders as hub_orders
from orderdesk.sync import outbox
from orderdesk.sync.cache import Cache
from orderdesk.sync.cache.apply import CacheWriter
from orderdesk.sync.client import HubClient
from orderdesk.sync.syncer import Syncer
from tests.conftest import obs, order, ref, token_for
from tests.faults import Fault


def hub_snapshot(hub) -> tuple[list, list]:
    with hub.store.read() as c:
        page = hub.store.list_orders(c, 0, 10**9)
    return [json.loads(record) for _, record, _ in page], [json.loads(o) for _, _, obs in page for o in obs]


def state_of(cache: Cache) -> dict:
    with cache.read() as c:
        assert c.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        rows = c.exec_driver_sql(
            "SELECT domain_id, fulfilment, refund, refunded_fen, cancelled, anomaly_count FROM orders"
        )
        return {r[0]: tuple(r[1:]) for r in rows}


def expected_state(hub, tmp_path) -> dict:
    """What a cache holds after applying the hub's whole snapshot in one go."""
    orders, observations = hub_snapshot(hub)
    with Cache(tmp_path / "expected.sqlite3") as reference:
        CacheWriter(reference).apply(orders, observations)
        return state_of(reference)


def sync(url: str, cache: Cache, token: str, **client_options) -> dict:
    async def once() -> dict:
        options = {"backoff_base": 0.01, "max_backoff": 0.2, **client_options}
        async with HubClient(url, token, **options) as client:
            syncer = Syncer(client, CacheWriter(cache, operator="sync"), page_size=97, apply_changes=250)
            return (await syncer.run_once()).as_json()

    return asyncio.run(once())


@pytest.fixture
def seeded(hub):
    seed(hub.store, 400, seed_value=11)
    return hub


def test_a_fresh_cache_ends_equal_to_the_hub_and_a_second_sync_changes_nothing(seeded, cache, tmp_path):
    token = token_for(seeded.url, "packer")
    first = sync(seeded.url, cache, token)
    assert first["caught_up"] and first["orders_applied"] == 400 and not first["relisted"]
    assert state_of(cache) == expected_state(seeded, tmp_path)
    second = sync(seeded.url, cache, token)
    assert (second["orders_applied"], second["observations_applied"], second["pages"]) == (0, 0, 1)


def test_faults_on_the_way_lose_and_double_nothing(seeded, cache, fault_proxy, tmp_path):
    token = token_for(seeded.url, "packer")
    fault_proxy.add(
        Fault("cut", "GET", "/v1/orders"),  # the first load reads the snapshot…
        Fault("status", "GET", "/v1/orders", status=503),
        Fault("reset", "GET", "/v1/orders"),
        Fault("reset_early", "GET", "/v1/changes"),  # …then follows the feed
        Fault("cut", "GET", "/v1/changes"),
        Fault("status", "GET", "/v1/changes", status=500),
        Fault("reset", "GET", "/v1/changes"),
        Fault("status", "GET", "/v1/changes", status=503),
        Fault("status", "GET", "/v1/changes", status=429, retry_after=0.3),
        Fault("blackhole", "GET", "/v1/changes", seconds=1.5),
    )
    started = time.monotonic()
    summary = sync(fault_proxy.url, cache, token, timeout=httpx.Timeout(0.7, connect=0.7))
    assert summary["caught_up"] and time.monotonic() - started >= 0.3  # Retry-After was honoured
    assert not fault_proxy.faults, "every fault was met"
    seed(seeded.store, 600, seed_value=11)  # 200 more orders, now through the feed, with faults again
    fault_proxy.add(Fault("cut", "GET", "/v1/changes"), Fault("status", "GET", "/v1/changes", status=500),
                    Fault("reset", "GET", "/v1/changes"))  # fmt: skip
    summary = sync(fault_proxy.url, cache, token, timeout=httpx.Timeout(0.7, connect=0.7))
    assert summary["caught_up"] and summary["pages"] > 1 and not fault_proxy.faults
    assert state_of(cache) == expected_state(seeded, tmp_path)


def test_a_cursor_the_hub_no_longer_keeps_leads_to_a_relist_and_a_reconcile(seeded, cache, tmp_path):
    token = token_for(seeded.url, "packer")
    sync(seeded.url, cache, token)
    seed(seeded.store, 450, seed_value=11)  # the same 400 again, and 50 more
    seeded.store.prune(keep=5)
    with seeded.store.write() as c:  # the hub loses an order the cache holds
        gone = c.execute(hub_orders.select().limit(1)).first().domain_id
        c.execute(delete(hub_orders).where(hub_orders.c.domain_id == gone))
    summary = sync(seeded.url, cache, token)
    assert summary["relisted"] and summary["caught_up"]
    assert summary["missing_at_hub"] == [gone]  # reported, not silently kept or dropped
    held = state_of(cache)
    assert len(held) == 450 and gone in held
    expected = expected_state(seeded, tmp_path)
    assert {k: v for k, v in held.items() if k != gone} == expected


def test_an_update_that_reached_the_hub_before_its_order_reaches_a_cache_that_first_synced_in_between(hub, tmp_path):
    token = token_for(hub.url, "supervisor")
    older, fresh = Cache(tmp_path / "older.sqlite3"), Cache(tmp_path / "fresh.sqlite3")
    with httpx.Client(base_url=hub.url, headers={"Authorization": f"Bearer {token}"}, timeout=10) as c:
        c.post("/v1/ingest/douyin", json={"orders": [order("FIRST")]}).raise_for_status()
        sync(hub.url, older, token)
        paid = obs("douyin", 105, "2026-01-24T14:01:00+08:00", ref("LATE"))
        c.post("/v1/ingest/douyin", json={"observations": [paid]}).raise_for_status()
        sync(hub.url, fresh, token)  # its listing has no order for the update, its feed starts after it
        (domain_id,) = c.post("/v1/ingest/douyin", json={"orders": [order("LATE")]}).json()["orders"]
        assert len(c.get(f"/v1/orders/{domain_id}").json()["observations"]) == 1
    for cache in (older, fresh):
        sync(hub.url, cache, token)
        with cache.read() as c:
            held = c.exec_driver_sql(
                "SELECT o.fulfilment, COUNT(b.id) FROM orders o LEFT JOIN observations b ON b.order_id = o.id "
                "WHERE o.domain_id = ? GROUP BY o.id",
                (domain_id,),
            ).one()
        assert tuple(held) == ("PAID", 1)
    older.close()
    fresh.close()


def test_an_action_whose_answer_is_lost_takes_effect_exactly_once(seeded, cache, fault_proxy):
    token = token_for(seeded.url, "packer")
    sync(seeded.url, cache, token)
    with cache.write() as c:
        domain_id = c.exec_driver_sql("SELECT domain_id FROM orders LIMIT 1").scalar()
        key = outbox.enqueue(c, "print_result", domain_id, {"printer": "zpl-203", "ok": True})
        outbox.enqueue(
            c, "print_result", domain_id, {"printer": "zpl-203", "ok": True}, key=key
        )  # the same intent again
    fault_proxy.add(Fault("reset", "POST", "/v1/actions"))  # the hub acts, the answer never arrives
    summary = sync(fault_proxy.url, cache, token)
    assert summary["actions_pushed"] == 1 and summary["actions_pending"] == 0
    with seeded.store.read() as c:
        assert c.exec_driver_sql("SELECT COUNT(*) FROM hub_actions WHERE idempotency_key = ?", (key,)).scalar() == 1
    with cache.read() as c:
        assert c.exec_driver_sql("SELECT status, attempts FROM outbox").one() == ("sent", 1)
    assert [m for m, p, what in fault_proxy.seen if p == "/v1/actions"] == ["POST", "POST"]


def test_an_action_the_hub_refuses_is_kept_for_a_person_to_see(seeded, cache):
    token = token_for(seeded.url, "packer")
    sync(seeded.url, cache, token)
    with cache.write() as c:
        domain_id = c.exec_driver_sql("SELECT domain_id FROM orders LIMIT 1").scalar()
        outbox.enqueue(c, "invoice_request", domain_id, {"title": "某公司"})
    summary = sync(seeded.url, cache, token)
    assert (summary["actions_refused"], summary["actions_pending"]) == (1, 0)
    with cache.read() as c:
        status, error = c.exec_driver_sql("SELECT status, last_error FROM outbox").one()
    assert status == "refused" and "packer may not" in error


def test_many_actions_are_pushed_and_recorded_once_each(seeded, cache):
    token = token_for(seeded.url, "packer")
    sync(seeded.url, cache, token)
    with cache.write() as c:
        ids = c.exec_driver_sql("SELECT domain_id FROM orders LIMIT 30").scalars().all()
        keys = [outbox.enqueue(c, "print_result", domain_id, {"copy": 1}) for domain_id in ids]
    summary = sync(seeded.url, cache, token)
    assert (summary["actions_pushed"], summary["actions_pending"]) == (30, 0)
    with cache.read() as c:
        assert c.exec_driver_sql("SELECT COUNT(*) FROM outbox WHERE status = 'sent'").scalar() == 30
    with seeded.store.read() as c:
        marks = ", ".join("?" * len(keys))
        assert (
            c.exec_driver_sql(
                f"SELECT COUNT(*) FROM hub_actions WHERE idempotency_key IN ({marks})", tuple(keys)
            ).scalar()
            == 30
        )
