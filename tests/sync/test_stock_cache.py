"""The cache's copy of the hub's stock: a newer version replaces an older one and never the reverse,
and whatever a feed's ``stock`` change holds — damaged, partial, hostile — is kept or skipped, never a
crash (the rest of the page goes on)."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orderdesk.sync.cache import Cache
from orderdesk.sync.cache import stock as cached_stock


def body(sku: str, version: int, sellable: int, state: str = "closed") -> dict[str, Any]:
    return {"sku": sku, "title": "新年福袋", "version": version, "breaker": {"state": state},
            "totals": {"sellable": sellable}}  # fmt: skip


def test_a_newer_version_wins_and_an_older_one_never_does(cache: Cache) -> None:
    with cache.write() as c:
        assert cached_stock.put(c, [body("FUDAI", 3, 10), body("FUDAI", 2, 99), body("TEA", 1, 5, "tripped"),
                                    body("DRILL-20261128", 1, 40)]) == 4  # fmt: skip
    with cache.read() as c:
        assert cached_stock.get(c, "FUDAI")["totals"]["sellable"] == 10
        # tripped first; a concurrency drill's scratch SKU is kept but not on the shelf
        assert [b["sku"] for b in cached_stock.everything(c)] == ["TEA", "FUDAI"]
        assert cached_stock.get(c, "DRILL-20261128") is not None


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                    max_leaves=10)  # fmt: skip
BODIES = st.one_of(JSON, st.fixed_dictionaries({"sku": st.text(max_size=80), "version": JSON, "breaker": JSON,
                                                "title": JSON}))  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bodies=st.lists(BODIES, max_size=6))
def test_whatever_a_stock_change_holds_is_kept_or_skipped(cache: Cache, bodies: list[Any]) -> None:
    with cache.write() as c:
        kept = cached_stock.put(c, [*bodies, body("GOOD", 1, 1)])
    with cache.read() as c:
        assert cached_stock.get(c, "GOOD") is not None
        assert kept >= 1 and all(isinstance(b["sku"], str) for b in cached_stock.everything(c))
