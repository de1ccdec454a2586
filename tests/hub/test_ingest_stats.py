"""Channel API health at the hub (GET /v1/ingest/stats): every ingest call counted per source and hour,
its records accepted or refused, a call refused as a whole counted as failed; supervisors only. On
SQLite and, where a server answers on 127.0.0.1:5432, on PostgreSQL (its own database, so the other
PostgreSQL tests' database is never touched)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from orderdesk.hub import ingest_stats
from orderdesk.hub.api import create_app
from orderdesk.hub.body import IngestLimits
from orderdesk.hub.schema import metadata
from orderdesk.hub.secret import random_secret
from orderdesk.hub.server import BackgroundHub
from orderdesk.hub.store import HubStore, now_ms
from orderdesk.sync.client import HubClient
from tests.conftest import obs, order, ref, token_for

LIMITS = IngestLimits(max_body_bytes=64 * 1024, max_records=5)  # small, so a 413 is cheap to provoke
PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
PG_DATABASE = "orderdesk_ingest_stats"
PAID_AT = "2026-01-24T14:01:00+08:00"
HOUR = ingest_stats.HOUR_MS


def _postgres_store() -> HubStore:
    try:
        admin = create_engine(
            f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
        )
        with admin.connect() as c:
            if c.execute(text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": PG_DATABASE}).first() is None:
                c.execute(text(f'CREATE DATABASE "{PG_DATABASE}"'))
        admin.dispose()
    except Exception as exc:  # any failure to connect means: no server to test against
        pytest.skip(f"PostgreSQL is not answering on 127.0.0.1:5432 ({type(exc).__name__}): PostgreSQL case skipped")
    engine = create_engine(f"{PG_SERVER}/{PG_DATABASE}")
    metadata.drop_all(engine)
    engine.dispose()
    return HubStore(f"{PG_SERVER}/{PG_DATABASE}")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def hub(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[BackgroundHub]:
    """The real hub on loopback, with small ingest limits, on SQLite or PostgreSQL."""
    store = HubStore(f"sqlite:///{tmp_path / 'hub.sqlite3'}") if request.param == "sqlite" else _postgres_store()
    store.ensure_demo_users()
    with BackgroundHub(store, app=create_app(store, secret=random_secret(), ingest_limits=LIMITS)) as server:
        yield server
    store.close()
    if request.param == "postgres":
        engine = create_engine(f"{PG_SERVER}/{PG_DATABASE}")
        metadata.drop_all(engine)
        engine.dispose()


def client_for(hub: BackgroundHub, user: str) -> httpx.Client:
    return httpx.Client(base_url=hub.url, headers={"Authorization": f"Bearer {token_for(hub.url, user)}"}, timeout=30)


@pytest.fixture
def supervisor(hub: BackgroundHub) -> Iterator[httpx.Client]:
    with client_for(hub, "supervisor") as client:
        yield client


def health(client: httpx.Client, since_ms: int | None = None) -> dict[str, Any]:
    answer = client.get("/v1/ingest/stats", params={} if since_ms is None else {"since_ms": since_ms})
    assert answer.status_code == 200, answer.text
    return answer.json()


def of(found: dict[str, Any], source: str) -> dict[str, Any]:
    return next(s for s in found["sources"] if s["source"] == source)


def test_good_and_partly_bad_ingests_count_calls_and_records(supervisor: httpx.Client) -> None:
    good = {"orders": [order("S1"), order("S2")], "observations": [obs("douyin", 105, PAID_AT, ref("S1"))]}
    assert supervisor.post("/v1/ingest/douyin", json=good).status_code == 200
    partly = {"orders": [order("S3"), {"channel": "douyin"}],
              "observations": [obs("douyin", 105, "never", ref("S3")), obs("douyin", 105, PAID_AT, ref("S3"))]}  # fmt: skip
    answer = supervisor.post("/v1/ingest/douyin", json=partly)
    assert (answer.status_code, answer.json()["refused_count"]) == (200, 2)
    assert supervisor.post("/v1/ingest/douyin", json=good).json()["observations_repeated"] == 1  # a repeat: accepted
    scan = {"observations": [{"status": 3, "observed_at": PAID_AT, "order": {"waybill_no": "SF-S1"}}]}
    assert supervisor.post("/v1/ingest/cainiao", json=scan).status_code == 200

    found = health(supervisor, now_ms() - HOUR)
    assert {k: of(found, "douyin")[k] for k in ("calls", "failed_calls", "records_accepted", "records_refused")} == {
        "calls": 3, "failed_calls": 0, "records_accepted": 8, "records_refused": 2}  # fmt: skip
    assert of(found, "douyin")["call_success_rate"] == 1.0
    assert of(found, "douyin")["record_success_rate"] == pytest.approx(8 / 10)
    assert (of(found, "cainiao")["calls"], of(found, "cainiao")["record_success_rate"]) == (1, 1.0)
    quiet = of(found, "taobao")  # every source with a mapping table is listed
    assert (quiet["calls"], quiet["call_success_rate"], quiet["record_success_rate"]) == (0, None, None)
    by_source: dict[str, int] = {}
    for bucket in found["hours"]:  # all in this hour, or the one before when the test spans the hour's turn
        assert bucket["hour_ms"] % HOUR == 0 and now_ms() - 2 * HOUR < bucket["hour_ms"] <= now_ms()
        by_source[bucket["source"]] = by_source.get(bucket["source"], 0) + bucket["calls"]
    assert by_source == {"cainiao": 1, "douyin": 3}


def test_calls_refused_as_a_whole_are_failed_calls(supervisor: httpx.Client) -> None:
    refusals = [
        (supervisor.post("/v1/ingest/pdd", content=b"{not json", headers={"content-type": "application/json"}), 400),
        (supervisor.post("/v1/ingest/pdd", files={"f": ("a.json", b"{}")}), 415),
        (supervisor.post("/v1/ingest/pdd", json={"orders": 5}), 422),
        (supervisor.post("/v1/ingest/pdd", json={"orders": [order(f"M{i}") for i in range(6)]}), 413),  # records
        (supervisor.post("/v1/ingest/pdd", content=(b'{"orders": ["' + b"x" * 70_000 + b'"]}' for _ in [0]),
                         headers={"content-type": "application/json"}), 413),  # streamed past the body limit
    ]  # fmt: skip
    assert [answer.status_code for answer, _ in refusals] == [status for _, status in refusals]
    assert supervisor.post("/v1/ingest/pdd", json={"orders": [order("P1", channel="pdd")]}).status_code == 200

    pdd = of(health(supervisor, 0), "pdd")
    assert (pdd["calls"], pdd["failed_calls"], pdd["records_accepted"], pdd["records_refused"]) == (6, 5, 1, 0)
    assert pdd["call_success_rate"] == pytest.approx(1 / 6) and pdd["record_success_rate"] == 1.0


def test_calls_refused_before_the_source_is_known_are_not_counted(hub: BackgroundHub, supervisor: httpx.Client) -> None:
    assert supervisor.post("/v1/ingest/jd", json={"orders": []}).status_code == 404  # no mapping table: no source
    assert httpx.post(f"{hub.url}/v1/ingest/douyin", json={"orders": []}).status_code == 401
    with client_for(hub, "packer") as packer:
        assert packer.post("/v1/ingest/douyin", json={"orders": []}).status_code == 403
    found = health(supervisor, 0)
    assert {s["source"] for s in found["sources"]} >= {"douyin", "cainiao", "kuaidi100"}
    assert "jd" not in {s["source"] for s in found["sources"]}
    assert sum(s["calls"] for s in found["sources"]) == 0 and found["hours"] == []


def test_only_a_supervisor_reads_the_stats(hub: BackgroundHub) -> None:
    for user in ("packer", "clerk", "channel"):
        with client_for(hub, user) as client:
            answer = client.get("/v1/ingest/stats", params={"since_ms": 0})
            assert answer.status_code == 403 and answer.json()["field"] == "role", answer.text
    assert httpx.get(f"{hub.url}/v1/ingest/stats").status_code == 401


def test_since_bounds_the_totals_and_hours_cover_the_last_48(hub: BackgroundHub, supervisor: httpx.Client) -> None:
    now = now_ms()
    with hub.store.guarded() as c:
        for hours_ago, accepted in ((72, 100), (47, 10), (1, 1)):
            ingest_stats.count(c, "youzan", now - hours_ago * HOUR, accepted=accepted)
    assert of(health(supervisor, now - 80 * HOUR), "youzan")["records_accepted"] == 111
    last_two_days = health(supervisor, now - 80 * HOUR)["hours"]
    assert [h["records_accepted"] for h in last_two_days] == [10, 1]  # the one 72 hours ago is not shown by hour
    assert of(health(supervisor, now - 2 * HOUR), "youzan")["records_accepted"] == 1
    found = health(supervisor, now - 2 * HOUR)
    assert [h["records_accepted"] for h in found["hours"]] == [1]
    assert found["since_ms"] == (now - 2 * HOUR) - (now - 2 * HOUR) % HOUR  # the hour since_ms falls in
    assert of(health(supervisor), "youzan")["records_accepted"] == 1  # no since_ms: the last 24 hours
    assert supervisor.get("/v1/ingest/stats", params={"since_ms": -1}).status_code == 422


def test_concurrent_ingests_lose_no_count(hub: BackgroundHub) -> None:
    errors: list[BaseException] = []
    headers = {"Authorization": f"Bearer {token_for(hub.url, 'supervisor')}"}  # one sign-in, not one per thread

    def send(worker: int) -> None:
        try:
            with httpx.Client(base_url=hub.url, headers=headers, timeout=30) as client:
                for i in range(5):
                    body = {"orders": [order(f"C{worker}-{i}")]} if i % 2 == 0 else {"orders": 1}
                    assert client.post("/v1/ingest/douyin", json=body).status_code in (200, 422)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=send, args=(w,)) for w in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with httpx.Client(base_url=hub.url, headers=headers, timeout=30) as client:
        douyin = of(health(client, 0), "douyin")
    assert (douyin["calls"], douyin["failed_calls"], douyin["records_accepted"]) == (30, 12, 18)


def test_a_refusal_stays_a_refusal_when_counting_fails(hub: BackgroundHub, supervisor: httpx.Client) -> None:
    with hub.store.guarded() as c:
        c.execute(text("DROP TABLE hub_ingest_stats"))
    answer = supervisor.post("/v1/ingest/douyin", content=b"[", headers={"content-type": "application/json"})
    assert answer.status_code == 400 and answer.json()["field"] == "$"


def test_the_client_reads_the_stats(hub: BackgroundHub, supervisor: httpx.Client) -> None:
    assert supervisor.post("/v1/ingest/kuaidi100", json={"orders": "x"}).status_code == 422

    async def read() -> dict[str, Any]:
        async with HubClient(hub.url, token_for(hub.url, "supervisor")) as client:
            return await client.ingest_stats(now_ms() - HOUR)

    found = asyncio.run(read())
    assert (of(found, "kuaidi100")["failed_calls"], of(found, "kuaidi100")["call_success_rate"]) == (1, 0.0)
