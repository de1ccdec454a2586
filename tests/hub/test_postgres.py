"""The hub on the real PostgreSQL server, with concurrent writers: only there can commits come out of
order. Skipped, and said so, where no server answers on 127.0.0.1:5432."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import create_engine, text

from orderdesk.hub.schema import metadata
from orderdesk.hub.store import HubStore
from tests.conftest import obs, order, ref

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _reachable() -> str | None:
    try:
        engine = create_engine(POSTGRES, connect_args={"connect_timeout": 3})
        with engine.connect() as c:
            c.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:  # any failure to connect means: no server to test against
        return f"PostgreSQL is not answering on 127.0.0.1:5432 ({type(exc).__name__}): PostgreSQL hub tests skipped"


pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_store():
    reason = _reachable()
    if reason:
        pytest.skip(reason)
    engine = create_engine(POSTGRES)
    metadata.drop_all(engine)
    engine.dispose()
    store = HubStore(POSTGRES)
    store.ensure_demo_users()
    yield store
    store.close()
    engine = create_engine(POSTGRES)
    metadata.drop_all(engine)
    engine.dispose()


def test_concurrent_writers_never_commit_behind_a_cursor_a_reader_already_has(pg_store):
    from orderdesk.sync.contract import ObservationRecord, OrderRecord

    writers, per_writer = 6, 25
    seen: list[int] = []
    done = threading.Event()
    errors: list[BaseException] = []

    def write(w: int) -> None:
        try:
            for i in range(per_writer):
                with pg_store.write() as c:
                    number = f"W{w}-{i:03d}"
                    pg_store.put_orders(c, [OrderRecord.model_validate(order(number))])
                    pg_store.put_observations(c, [ObservationRecord.model_validate(
                        obs("douyin", 105, "2026-01-24T14:01:00+08:00", ref(number)))])  # fmt: skip
                    time.sleep(0.002)  # hold the transaction open a moment, as real work would
        except BaseException as exc:
            errors.append(exc)

    def read() -> None:
        after = 0
        while True:
            finished = done.is_set()
            with pg_store.read() as c:
                rows = pg_store.read_changes(c, after, 50)
            for row in rows:
                seen.append(row.seq)
                after = row.seq
            if finished and not rows:
                return

    reader = threading.Thread(target=read)
    reader.start()
    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done.set()
    reader.join(timeout=30)
    assert not errors
    with pg_store.read() as c:
        everything = [row.seq for row in pg_store.read_changes(c, 0, 10**6)]
    assert len(everything) == writers * per_writer * 2
    assert seen == everything  # the reader missed nothing, saw nothing twice, and saw it in order


def test_the_api_works_the_same_on_postgres(pg_store):
    import httpx

    from orderdesk.hub.server import BackgroundHub
    from tests.conftest import token_for

    with BackgroundHub(pg_store) as hub:
        headers = {"Authorization": f"Bearer {token_for(hub.url, 'supervisor')}"}
        answer = httpx.post(f"{hub.url}/v1/ingest/douyin", json={"orders": [order("PG1")]}, headers=headers)
        assert answer.status_code == 200
        domain_id = answer.json()["orders"][0]
        body = {"kind": "stock_move", "order": domain_id, "payload": {}}
        for _ in range(2):
            assert (
                httpx.post(
                    f"{hub.url}/v1/actions", json=body, headers={**headers, "Idempotency-Key": "pg-key-0001"}
                ).status_code
                == 200
            )
        changes = httpx.get(f"{hub.url}/v1/changes", headers=headers).json()["changes"]
        assert [c["kind"] for c in changes] == ["order", "action"]
