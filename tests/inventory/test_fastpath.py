"""The flash-sale fast path against a real Redis on 127.0.0.1:6379: 1,000 concurrent takes of one unit
against 100 permits grant exactly 100 and the counter never goes below 0; a key is served once and
replayed after; a refused key is not remembered; giving back forgets the key; an unloaded SKU sends the
caller to the database; a missing server is said in words without the password; bad input names the
field; and random takes and give-backs agree with a plain Python model."""

from __future__ import annotations

import time
import traceback
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from hypothesis import given, settings
from hypothesis import strategies as st
from redis.backoff import NoBackoff
from redis.retry import Retry

from orderdesk.inventory.fastpath import FastPath, FastPathUnavailable, Take

REDIS_URL = "redis://127.0.0.1:6379/0"
SKU, WAREHOUSE = "FUDAI-2026", "HZ"


@pytest.fixture(scope="module")
def server() -> Iterator[redis.Redis]:
    try:
        connected = FastPath.connect(REDIS_URL, timeout_s=2.0)
    except FastPathUnavailable:
        pytest.skip("no Redis server at 127.0.0.1:6379: fast path tests skipped")
    yield connected.client
    connected.close()


def _drop(client: redis.Redis, prefix: str) -> None:
    doomed = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if doomed:
        client.delete(*doomed)


@pytest.fixture
def fast(server: redis.Redis) -> Iterator[FastPath]:
    prefix = f"test-fastpath:{uuid.uuid4().hex}"
    yield FastPath(server, prefix=prefix)
    _drop(server, prefix)


def test_a_thousand_concurrent_takes_against_100_permits_grant_exactly_100(fast: FastPath) -> None:
    fast.load(SKU, WAREHOUSE, 100)
    with ThreadPoolExecutor(64) as pool:
        takes = list(pool.map(lambda n: fast.take(SKU, WAREHOUSE, 1, f"order-{n}"), range(1000)))
    granted = [t for t in takes if t.granted]
    assert len(granted) == 100
    assert not any(t.replayed for t in takes)
    assert sorted(t.left for t in granted) == list(range(100))  # each permit handed out once
    assert min(t.left for t in takes) == 0
    assert fast.permits(SKU, WAREHOUSE) == 0


def test_the_same_key_twice_is_replayed_and_takes_nothing_more(fast: FastPath) -> None:
    fast.load(SKU, WAREHOUSE, 5)
    assert fast.take(SKU, WAREHOUSE, 2, "order-1") == Take(granted=True, replayed=False, left=3)
    assert fast.take(SKU, WAREHOUSE, 2, "order-1") == Take(granted=True, replayed=True, left=3)
    assert fast.take(SKU, WAREHOUSE, 3, "order-2") == Take(granted=True, replayed=False, left=0)
    assert fast.take(SKU, WAREHOUSE, 2, "order-1") == Take(granted=True, replayed=True, left=0)
    assert fast.permits(SKU, WAREHOUSE) == 0


def test_a_refused_key_is_not_remembered_and_is_granted_when_stock_returns(fast: FastPath) -> None:
    fast.load(SKU, WAREHOUSE, 1)
    assert fast.take(SKU, WAREHOUSE, 1, "winner").granted
    assert fast.take(SKU, WAREHOUSE, 1, "loser") == Take(granted=False, replayed=False, left=0)
    assert fast.take(SKU, WAREHOUSE, 1, "loser") == Take(granted=False, replayed=False, left=0)
    assert fast.give_back(SKU, WAREHOUSE, 1) == 1
    assert fast.take(SKU, WAREHOUSE, 1, "loser") == Take(granted=True, replayed=False, left=0)


def test_give_back_with_a_key_clears_its_record_and_without_one_keeps_it(fast: FastPath) -> None:
    fast.load(SKU, WAREHOUSE, 2)
    fast.take(SKU, WAREHOUSE, 1, "kept")
    fast.take(SKU, WAREHOUSE, 1, "released")
    assert fast.give_back(SKU, WAREHOUSE, 1, key="released") == 1
    assert fast.take(SKU, WAREHOUSE, 1, "released") == Take(granted=True, replayed=False, left=0)
    assert fast.give_back(SKU, WAREHOUSE, 1) == 1
    assert fast.take(SKU, WAREHOUSE, 1, "kept") == Take(granted=True, replayed=True, left=1)


def test_an_unloaded_sku_sends_the_caller_to_the_database(fast: FastPath) -> None:
    assert fast.permits(SKU, WAREHOUSE) is None
    assert fast.take(SKU, WAREHOUSE, 1, "order-1") == Take(granted=False, replayed=False, left=-1)
    assert fast.give_back(SKU, WAREHOUSE, 1, key="order-1") == -1
    assert fast.permits(SKU, WAREHOUSE) is None  # giving back did not put it on the fast path
    fast.load(SKU, WAREHOUSE, 3)
    fast.forget(SKU, WAREHOUSE)
    assert fast.take(SKU, WAREHOUSE, 1, "order-2").left == -1


def test_skus_warehouses_and_keys_containing_colons_do_not_collide(fast: FastPath) -> None:
    fast.load("a:1", "b", 1)
    fast.load("a", "1:b", 5)
    assert fast.take("a:1", "b", 1, "k:1").granted
    assert fast.take("a", "1:b", 1, "k:1") == Take(granted=True, replayed=False, left=4)
    assert fast.take("a", "1:b", 1, "k") == Take(granted=True, replayed=False, left=3)
    assert (fast.permits("a:1", "b"), fast.permits("a", "1:b")) == (0, 3)


def _said(exc: FastPathUnavailable) -> str:
    """All a log would show of the error and its chained causes, without the test's own source lines."""
    lines = traceback.format_exception(exc)
    return "".join(line for line in lines if not line.startswith("  ")) + exc.zh + repr(exc)


@pytest.mark.parametrize("url", [None, ""])
def test_no_url_means_the_fast_path_is_off(url: str | None) -> None:
    with pytest.raises(FastPathUnavailable) as caught:
        FastPath.connect(url)
    assert str(caught.value) == "no Redis URL configured: the fast path is off"
    assert caught.value.zh


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("redis://127.0.0.1:1", "redis://127.0.0.1:1"),
        ("redis://:hunter2@127.0.0.1:1/0", "redis://:***@127.0.0.1:1/0"),
        ("redis://orders:hunter2@127.0.0.1:1/0", "redis://orders:***@127.0.0.1:1/0"),
        ("unix:///nonexistent/redis.sock?password=hunter2", "unix:///nonexistent/redis.sock?password=***"),
        ("http://:hunter2@127.0.0.1:1", "http://:***@127.0.0.1:1"),
    ],
)
def test_a_server_that_does_not_answer_is_named_without_its_password(url: str, shown: str) -> None:
    started = time.monotonic()
    with pytest.raises(FastPathUnavailable) as caught:
        FastPath.connect(url, timeout_s=0.5)
    assert time.monotonic() - started < 2, "no retries with backoff: the database is there to ask instead"
    said = str(caught.value)
    assert said.startswith(f"Redis at {shown} is unavailable (") and said.endswith("): the fast path is off")
    assert shown in caught.value.zh
    assert "hunter2" not in _said(caught.value)


def test_a_password_the_server_refuses_is_not_repeated(server: redis.Redis) -> None:
    with pytest.raises(FastPathUnavailable) as caught:
        FastPath.connect("redis://nobody-here:hunter2@127.0.0.1:6379/0")
    assert "invalid username-password pair" in str(caught.value)
    assert "hunter2" not in _said(caught.value)


def test_a_server_gone_during_work_is_fast_path_unavailable() -> None:
    gone = FastPath(redis.Redis(port=1, socket_connect_timeout=0.5, retry=Retry(NoBackoff(), 0)))
    for work in (
        lambda: gone.take(SKU, WAREHOUSE, 1, "order-1"),
        lambda: gone.give_back(SKU, WAREHOUSE, 1, key="order-1"),
        lambda: gone.load(SKU, WAREHOUSE, 10),
        lambda: gone.permits(SKU, WAREHOUSE),
    ):
        with pytest.raises(FastPathUnavailable, match=r"^Redis failed to .*: ask the database$"):
            work()
    gone.close()


@pytest.mark.parametrize(
    ("call", "field", "value"),
    [
        (lambda f: f.take(SKU, WAREHOUSE, 0, "k"), "quantity", 0),
        (lambda f: f.take(SKU, WAREHOUSE, -2, "k"), "quantity", -2),
        (lambda f: f.take(SKU, WAREHOUSE, True, "k"), "quantity", True),
        (lambda f: f.take(SKU, WAREHOUSE, 1.5, "k"), "quantity", 1.5),
        (lambda f: f.give_back(SKU, WAREHOUSE, "1"), "quantity", "1"),
        (lambda f: f.load(SKU, WAREHOUSE, -1), "permits", -1),
        (lambda f: f.load(SKU, WAREHOUSE, False), "permits", False),
        (lambda f: f.take("", WAREHOUSE, 1, "k"), "sku", ""),
        (lambda f: f.take(SKU, None, 1, "k"), "warehouse", None),
        (lambda f: f.take(SKU, WAREHOUSE, 1, ""), "key", ""),
        (lambda f: f.give_back(SKU, WAREHOUSE, 1, key=""), "key", ""),
        (lambda f: f.take(SKU, WAREHOUSE, 1, "k", key_ttl_s=0), "key_ttl_s", 0),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_the_value(call, field: str, value: object) -> None:
    unused = FastPath(redis.Redis(port=1))  # refused before any word goes to a server
    with pytest.raises(ValueError) as caught:
        call(unused)
    assert str(caught.value).startswith(f"{field} {value!r}: ")
    assert (caught.value.field, caught.value.value) == (field, value)


POOLS = [("s", "1:w"), ("s:1", "w")]  # the same characters, split differently: must stay apart
KEYS = ["k", "k:1", "k:1:2", "x"]
take_ops = st.tuples(st.just("take"), st.sampled_from(range(len(POOLS))), st.integers(1, 4), st.sampled_from(KEYS))
give_back_ops = st.tuples(st.just("give_back"), st.sampled_from(range(len(POOLS))), st.just(0), st.sampled_from(KEYS))


@settings(max_examples=50, deadline=None)
@given(loaded=st.lists(st.integers(0, 12), min_size=2, max_size=2), ops=st.lists(st.one_of(take_ops, give_back_ops), max_size=30))  # fmt: skip
def test_random_takes_and_give_backs_agree_with_a_plain_model(
    server: redis.Redis, loaded: list[int], ops: list[tuple[str, int, int, str]]
) -> None:
    prefix = f"test-fastpath:{uuid.uuid4().hex}"
    fast = FastPath(server, prefix=prefix)
    held: list[dict[str, int]] = [{} for _ in POOLS]  # granted and not given back, per pool: key -> quantity
    try:
        for (sku, warehouse), permits in zip(POOLS, loaded, strict=True):
            fast.load(sku, warehouse, permits)
        for op, pool, quantity, key in ops:
            sku, warehouse = POOLS[pool]
            left = loaded[pool] - sum(held[pool].values())
            if op == "take":
                if key in held[pool]:
                    expected = Take(granted=True, replayed=True, left=left)
                elif left >= quantity:
                    held[pool][key] = quantity
                    expected = Take(granted=True, replayed=False, left=left - quantity)
                else:
                    expected = Take(granted=False, replayed=False, left=left)
                assert fast.take(sku, warehouse, quantity, key) == expected
            elif key in held[pool]:
                assert fast.give_back(sku, warehouse, held[pool].pop(key), key=key) == loaded[pool] - sum(held[pool].values())  # fmt: skip
            for (s, w), permits, taken in zip(POOLS, loaded, held, strict=True):
                assert fast.permits(s, w) == permits - sum(taken.values()) >= 0
    finally:
        _drop(server, prefix)
