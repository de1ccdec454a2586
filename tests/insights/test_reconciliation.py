"""BI versus finance on the demo's planted month: every part recovered to the fen."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from orderdesk.hub import reconciliation_demo
from orderdesk.insights.reconciliation import PARTS, month_bounds, reconcile
from orderdesk.sync.cache import Cache


def test_the_planted_month_is_the_story_scaled_down() -> None:
    makeup = reconciliation_demo.planted_makeup()
    assert makeup["bi_gmv"] == 8_420_000 and makeup["finance"] == 7_930_000
    assert sum(makeup[p] for p in PARTS) == 8_420_000 - 7_930_000


def test_every_part_is_recovered_to_the_fen(month_hub: SimpleNamespace) -> None:
    makeup = reconciliation_demo.planted_makeup()
    with Cache(month_hub.cache) as cache, cache.read() as c:
        result = reconcile(c, "2026-01", "taobao")
    assert (result.bi_gmv, result.finance, result.gap) == (8_420_000, 7_930_000, 490_000)
    assert result.parts == {p: makeup[p] for p in PARTS}
    assert result.unexplained_rate is not None and result.unexplained_rate <= 0.005
    counts = {p: len(result.orders[p]) for p in PARTS}
    assert counts["timing"] == 35 and counts["missing"] == 6 and counts["refund_definition"] == 12
    assert counts["unexplained"] == 3
    causes = {o.channel_order_no: o.cause for o in result.orders["unexplained"]}
    assert sorted(causes.values()) == ["manual_intervention", "system_defect", "third_party"]
    top = result.top()
    assert len(top) == 10 and abs(top[0].difference) >= abs(top[-1].difference)
    assert all(o.cause for o in top)


def test_a_month_without_bills_is_all_missing_not_a_crash(month_hub: SimpleNamespace) -> None:
    with Cache(month_hub.cache) as cache, cache.read() as c:
        result = reconcile(c, "2025-06")
    assert (result.bi_gmv, result.finance, result.gap, result.unexplained_rate) == (0, 0, 0, None)


@pytest.mark.parametrize("month", ["2026-13", "2026", "abc", "2026-00", "", "2026-1", "2025-9"])
def test_a_bad_month_names_itself(month: str) -> None:
    with pytest.raises(ValueError, match="month"):
        month_bounds(month)


def test_a_bill_not_due_yet_is_timing_and_one_overdue_is_missing(month_hub: SimpleNamespace) -> None:
    from datetime import UTC, datetime

    march_end = int(datetime(2026, 3, 25, 12, tzinfo=UTC).timestamp() * 1000)
    much_later = int(datetime(2026, 6, 1, tzinfo=UTC).timestamp() * 1000)
    with Cache(month_hub.cache) as cache, cache.read() as c:
        then, later = reconcile(c, "2026-03", now_ms=march_end), reconcile(c, "2026-03", now_ms=much_later)
    assert then.gap == later.gap and then.bi_gmv == later.bi_gmv  # the same money, explained differently
    assert then.parts["timing"] > later.parts["timing"] and then.parts["missing"] < later.parts["missing"]
    assert then.parts["timing"] + then.parts["missing"] == later.parts["timing"] + later.parts["missing"]
