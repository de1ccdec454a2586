"""The oversell guard at the database: 1,000 concurrent reservations of one unit for a SKU with 100
sellable, on a SQLite file and on PostgreSQL — exactly 100 succeed, the rest are refused in words,
sellable never goes below 0, the ledger and the levels agree, no key is served twice. The same run
against a deliberately naive read-then-write variant oversells (so the test can fail). And the
reservation's life: confirm, release, expiry by the sweeper, a confirm racing an expiry, bad input."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, update

from orderdesk.hub.schema import metadata
from orderdesk.hub.store import HubStore
from orderdesk.inventory import reservations as holds
from orderdesk.inventory.ledger import InventoryRefused, differences, level, move
from orderdesk.inventory.pools import Pool
from orderdesk.inventory.schema import levels
from tests.hub.test_postgres import POSTGRES, _reachable

SKU, WAREHOUSE = "FUDAI-2026", "HZ"
NOW = 1_795_800_000_000


def receive(store: HubStore, quantity: int, sku: str = SKU) -> None:
    with store.guarded() as c:
        move(c, sku=sku, warehouse=WAREHOUSE, from_pool=Pool.OUTSIDE, to_pool=Pool.SELLABLE, quantity=quantity,
             reason="receipt", actor="test", ref_kind="receipt", ref_id="R1", key=f"receipt:{sku}:{quantity}", at_ms=NOW)  # fmt: skip


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[HubStore]:
    if request.param == "postgresql":
        reason = _reachable()
        if reason:
            pytest.skip(reason)
        engine = create_engine(POSTGRES)
        metadata.drop_all(engine)
        engine.dispose()
        made = HubStore(POSTGRES)
    else:
        made = HubStore(f"sqlite:///{tmp_path / 'hub.sqlite3'}")
    yield made
    made.close()
    if request.param == "postgresql":
        engine = create_engine(POSTGRES)
        metadata.drop_all(engine)
        engine.dispose()


def naive_reserve(store: HubStore, key: str) -> None:
    """Read, then write what was read minus one: the mistake the seed's stock service made."""
    with store.read() as c:
        seen = level(c, SKU, WAREHOUSE, Pool.SELLABLE)
    if seen < 1:
        raise InventoryRefused("quantity", 1, en="sold out", zh="已售罄", kind="insufficient")
    with store.guarded() as c:
        c.execute(update(levels).where(levels.c.sku == SKU, levels.c.warehouse == WAREHOUSE,
                                       levels.c.pool == Pool.SELLABLE.value).values(quantity=seen - 1))  # fmt: skip


def guarded_reserve(store: HubStore, key: str) -> None:
    with store.guarded() as c:
        holds.reserve(c, sku=SKU, warehouse=WAREHOUSE, quantity=1, channel="douyin", campaign="新年福袋", key=key,
                      now_ms=NOW)  # fmt: skip


def storm(store: HubStore, reserve: Callable[[HubStore, str], None], requests: int = 1000, threads: int = 25) -> tuple[int, list[InventoryRefused]]:  # fmt: skip
    won: list[str] = []
    refused: list[InventoryRefused] = []
    start = threading.Barrier(threads)

    def client(n: int) -> None:
        start.wait()
        for i in range(n, requests, threads):
            for _ in range(50):  # SQLite: a writer that finds the file busy past its timeout tries again
                try:
                    reserve(store, f"hold-{i:05d}")
                    won.append(f"hold-{i:05d}")
                    break
                except InventoryRefused as exc:
                    refused.append(exc)
                    break
                except Exception as exc:
                    if "locked" not in str(exc) and "could not serialize" not in str(exc):
                        raise

    workers = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return len(won), refused


@pytest.mark.slow  # the suite runs the same proof over loopback HTTP (test_inventory_api.py); this is the library's
def test_a_thousand_concurrent_reservations_for_a_hundred_units(store: HubStore) -> None:
    receive(store, 100)
    won, refused = storm(store, guarded_reserve)
    assert won == 100 and len(refused) == 900
    assert {r.kind for r in refused} == {"insufficient"} and "不足" in refused[0].zh
    with store.read() as c:
        assert level(c, SKU, WAREHOUSE, Pool.SELLABLE) == 0 and level(c, SKU, WAREHOUSE, Pool.RESERVED) == 100
        assert differences(c) == []
        keys = c.exec_driver_sql("SELECT count(*), count(DISTINCT idempotency_key) FROM inv_reservations").one()
    assert tuple(keys) == (100, 100)


@pytest.mark.slow
def test_the_naive_read_then_write_variant_oversells(store: HubStore) -> None:
    receive(store, 100)
    won, _ = storm(store, naive_reserve, requests=400, threads=25)
    with store.read() as c:
        left = level(c, SKU, WAREHOUSE, Pool.SELLABLE)
    assert won > 100 - left  # more sold than the stock that left the pool: the lost updates the guard prevents


def test_a_reservation_is_confirmed_released_or_expired_once(store: HubStore) -> None:
    receive(store, 10)
    with store.guarded() as c:
        first = holds.reserve(c, sku=SKU, warehouse=WAREHOUSE, quantity=3, channel="tmall", key="A", now_ms=NOW)
        again = holds.reserve(c, sku=SKU, warehouse=WAREHOUSE, quantity=3, channel="tmall", key="A", now_ms=NOW)
        holds.reserve(c, sku=SKU, warehouse=WAREHOUSE, quantity=2, channel="tmall", key="B", now_ms=NOW, ttl_s=60)
        holds.reserve(c, sku=SKU, warehouse=WAREHOUSE, quantity=1, channel="tmall", key="C", now_ms=NOW, ttl_s=60)
    assert again.replayed and first.expires_at_ms == NOW + 15 * 60_000
    with store.guarded() as c:
        holds.confirm(c, "A", NOW + 1000)
        holds.release(c, "C", NOW + 1000)
        assert holds.expire_due(c, NOW + 61_000) == 1  # B; A confirmed and C released are not touched
        with pytest.raises(InventoryRefused) as late:
            holds.confirm(c, "B", NOW + 62_000)  # paid after its hold expired: refused, nothing moves
    assert late.value.kind == "conflict" and late.value.field == "reservation"
    with store.read() as c:
        assert [level(c, SKU, WAREHOUSE, p) for p in (Pool.SELLABLE, Pool.RESERVED, Pool.COMMITTED)] == [7, 0, 3]
        assert differences(c) == []


@pytest.mark.parametrize(("field", "options"), [
    ("quantity", {"quantity": 0}), ("quantity", {"quantity": -3}), ("quantity", {"quantity": 2.5}),
    ("ttl_s", {"ttl_s": 0}), ("ttl_s", {"ttl_s": 86_401}), ("sku", {"sku": "NOPE"}),
])  # fmt: skip
def test_bad_input_is_refused_naming_the_field_and_the_value(store: HubStore, field: str, options: dict) -> None:
    receive(store, 5)
    request = {
        "sku": SKU,
        "warehouse": WAREHOUSE,
        "quantity": 1,
        "channel": "tmall",
        "key": "X",
        "now_ms": NOW,
        **options,
    }
    with store.guarded() as c, pytest.raises(InventoryRefused) as refused:
        holds.reserve(c, **request)
    assert refused.value.field == field and str(options[field]) in str(refused.value)


def test_a_move_out_of_an_empty_pool_is_refused_and_a_channel_never_takes_beyond_its_quota(store: HubStore) -> None:
    receive(store, 10)
    with store.guarded() as c, pytest.raises(InventoryRefused) as empty:
        move(c, sku=SKU, warehouse=WAREHOUSE, from_pool=Pool.QUALITY_CHECK, to_pool=Pool.SELLABLE, quantity=1,
             reason="count", actor="t", ref_kind="count", ref_id="c", key="m1", at_ms=NOW)  # fmt: skip
    assert empty.value.kind == "insufficient" and "质检仅剩 0" in empty.value.zh
    with store.guarded() as c:
        c.exec_driver_sql("INSERT INTO inv_quotas (sku, warehouse, channel, campaign, quantity, taken) "
                          "VALUES ('FUDAI-2026', 'HZ', 'pdd', '', 4, 0)")  # fmt: skip
        holds.reserve(c, sku=SKU, warehouse=WAREHOUSE, quantity=4, channel="pdd", key="Q1", now_ms=NOW)
    with store.guarded() as c, pytest.raises(InventoryRefused) as quota:
        holds.reserve(c, sku=SKU, warehouse=WAREHOUSE, quantity=1, channel="pdd", key="Q2", now_ms=NOW)
    assert quota.value.field == "channel" and "配额" in quota.value.zh
    with store.guarded() as c:  # released: the quota is given back
        holds.release(c, "Q1", NOW)
        holds.reserve(c, sku=SKU, warehouse=WAREHOUSE, quantity=1, channel="pdd", key="Q3", now_ms=NOW)
