"""Figures kept in the cache (insights/kept.py): what a kept figure gives is what computing it afresh
gives — as time passes, after the sync changes an order, after a hand edit in sqlite3, after damage."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orderdesk.insights import kept, reconciliation
from orderdesk.insights.consistency import Consistency, consistency
from orderdesk.insights.quality import quality
from orderdesk.insights.reconciliation import Reconciliation, month_totals, reconcile
from orderdesk.sync.cache import Cache
from orderdesk.sync.cache.apply import CacheWriter
from tests.conftest import obs, order, ref
from tests.insights.test_measures import DAY, NOW, _orders


@pytest.fixture
def made(tmp_path: Path) -> SimpleNamespace:
    path = tmp_path / "cache.sqlite3"
    with Cache(path) as cache:
        _orders(CacheWriter(cache, operator="test"))
    return SimpleNamespace(path=path)


def _afresh(path: Path, tmp_path: Path) -> Path:
    """A copy of the cache with nothing kept: the figures it gives are computed from the orders."""
    copy = tmp_path / f"afresh-{len(list(tmp_path.glob('afresh-*')))}.sqlite3"
    source, target = sqlite3.connect(path), sqlite3.connect(copy)
    source.backup(target)
    target.executescript("DELETE FROM insight_days; DELETE FROM insight_months;")
    source.close()
    target.close()
    return copy


def _view(found: Consistency) -> dict[str, Any]:
    return {"cells": {k: (v.orders, v.disagreeing, dict(sorted(v.kinds.items()))) for k, v in found.cells.items()},
            "kinds": found.orders_by_kind, "orders": found.order_kinds}  # fmt: skip


def _consistency(path: Path, now: datetime, **kwargs: Any) -> dict[str, Any]:
    with Cache(path) as cache, cache.read() as c:
        return _view(consistency(c, date(2026, 1, 20), date(2026, 1, 28), now=now, **kwargs))


def _kept_days(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as c:
        return dict(c.execute("SELECT kind, COUNT(*) FROM insight_days GROUP BY kind").fetchall())


def test_a_kept_day_gives_what_computing_it_afresh_gives_as_time_passes(made: SimpleNamespace, tmp_path: Path) -> None:
    early = datetime(2026, 1, 25, 12, tzinfo=UTC)  # before any timed disagreement is due
    first = _consistency(made.path, early)
    assert _kept_days(made.path) == {kept_kind(): 9}  # every day of the range, the empty ones too
    later = _consistency(made.path, NOW)  # the kept days, their open orders judged again at NOW
    assert later == _consistency(_afresh(made.path, tmp_path), NOW)
    assert later != first and "shipped_no_tracking" in later["kinds"]
    # asked about a time before the kept figures were computed: computed afresh, not read
    assert _consistency(made.path, early) == first


def kept_kind() -> str:
    from orderdesk.insights.consistency import KEPT_KIND

    return KEPT_KIND


def test_a_synced_change_makes_its_day_computed_again(made: SimpleNamespace, tmp_path: Path) -> None:
    before = _consistency(made.path, NOW)
    with Cache(made.path) as cache:  # the order confirmed and never settled is settled now
        CacheWriter(cache, operator="test").apply(
            [], [obs("finance", "SETTLED", "2026-02-10T10:00:00+08:00", ref("SNS"))]
        )
    after = _consistency(made.path, NOW)
    assert after == _consistency(_afresh(made.path, tmp_path), NOW)
    assert "signed_not_settled" in before["kinds"] and "signed_not_settled" not in after["kinds"]


def test_a_hand_edit_in_sqlite3_is_seen(made: SimpleNamespace, tmp_path: Path) -> None:
    _consistency(made.path, NOW)
    with sqlite3.connect(made.path) as c:
        c.execute("UPDATE orders SET refund = 'refunding' WHERE channel_order_no = 'OK1'")
    after = _consistency(made.path, NOW)
    assert after == _consistency(_afresh(made.path, tmp_path), NOW)
    assert len(after["kinds"]["settled_refund_open"]) == 2


def test_a_filter_reads_the_same_kept_days(made: SimpleNamespace, tmp_path: Path) -> None:
    everything = _consistency(made.path, NOW)
    assert _consistency(made.path, NOW, channels=["douyin"]) == everything
    assert _consistency(made.path, NOW, channels=["taobao"])["cells"] == {}
    with Cache(made.path) as cache, cache.read() as c:
        shop = c.exec_driver_sql("SELECT shop FROM orders LIMIT 1").scalar()
    assert _consistency(made.path, NOW, shop=shop) == everything
    assert _consistency(made.path, NOW, shop="no such shop")["cells"] == {}


def test_quality_kept_and_afresh_agree_and_a_duplicate_waybill_on_another_day_is_seen(
    made: SimpleNamespace, tmp_path: Path
) -> None:
    def checks(path: Path) -> dict[str, Any]:
        with Cache(path) as cache, cache.read() as c:
            return {k: r.as_dict() for k, r in quality(c, DAY, DAY).items()}

    before = checks(made.path)
    assert before["duplicate_waybills"]["unexpected"] == 0
    with Cache(made.path) as cache:  # an order of another day carries SF2 as well
        CacheWriter(cache, operator="test").apply(
            [order("DUP", waybill_no="SF2", created_at="2026-01-27T09:00:00+08:00")],
            [obs("douyin", 105, "2026-01-27T09:10:00+08:00", ref("DUP")),
             obs("douyin", 3, "2026-01-27T12:00:00+08:00", ref("DUP"))],
        )  # fmt: skip
    after = checks(made.path)
    assert after == checks(_afresh(made.path, tmp_path))
    assert after["duplicate_waybills"]["unexpected"] == 1


def test_damaged_or_busy_kept_figures_cost_time_never_the_answer(made: SimpleNamespace) -> None:
    good = _consistency(made.path, NOW)
    with sqlite3.connect(made.path) as c:
        c.execute("UPDATE insight_days SET body = x'7b6e6f'")  # "{no": not JSON
    assert _consistency(made.path, NOW) == good
    with sqlite3.connect(made.path) as c:
        c.execute("DELETE FROM insight_days")
    with Cache(made.path) as cache:
        holder = sqlite3.connect(made.path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # the sync holds the file: nothing can be kept, all is answered
        try:
            with cache.read() as c:
                assert _view(consistency(c, date(2026, 1, 20), date(2026, 1, 28), now=NOW)) == good
        finally:
            holder.execute("ROLLBACK")
            holder.close()
    assert _kept_days(made.path) == {}


def _reconciliation_view(found: Reconciliation) -> dict[str, Any]:
    return {
        **found.as_dict(),
        "orders": {p: sorted((o.order_id, o.cause) for o in os) for p, os in found.orders.items()},
    }


def test_a_kept_month_gives_what_reconciling_afresh_gives(month_hub: SimpleNamespace, tmp_path: Path) -> None:
    cache = tmp_path / "cache.sqlite3"
    source, target = sqlite3.connect(month_hub.cache), sqlite3.connect(cache)
    source.backup(target)
    source.close()
    target.close()
    soon = int(datetime(2026, 1, 20, tzinfo=UTC).timestamp() * 1000)  # the missing bills not due yet
    late = int(datetime(2026, 4, 1, tzinfo=UTC).timestamp() * 1000)

    def month(path: Path, now_ms: int) -> dict[str, Any]:
        with Cache(path) as c, c.read() as r:
            return _reconciliation_view(reconcile(r, "2026-01", now_ms=now_ms))

    early = month(cache, soon)
    with sqlite3.connect(cache) as c:
        assert c.execute("SELECT COUNT(*) FROM insight_months").fetchone() == (2,)  # the orders, the totals
    assert month(cache, soon) == early  # held by this process
    reconciliation._MONTHS.clear()
    assert month(cache, soon) == early  # read from the cache file, as a new console would
    reconciliation._MONTHS.clear()
    judged = month(cache, late)
    assert judged == month(_afresh(cache, tmp_path), late)  # waiting orders judged again
    assert judged["parts_fen"]["missing"] != early["parts_fen"]["missing"]
    january = kept.day_number(date(2026, 1, 1)) * kept.DAY_MS - kept.CHINA_MS
    with sqlite3.connect(cache) as c:  # a hand edit of an open January order's paid amount
        c.execute("UPDATE orders SET paid_amount_fen = paid_amount_fen + 100 WHERE id = (SELECT e.order_id "
                  "FROM events e JOIN orders o ON o.id = e.order_id WHERE e.kind = 'paid' AND e.at_ms >= ? "
                  "AND o.cancelled = 0 AND o.refunded_fen = 0 AND o.paid_amount_fen IS NOT NULL "
                  "ORDER BY e.at_ms LIMIT 1)", (january,))  # fmt: skip
    edited = month(cache, late)
    assert edited == month(_afresh(cache, tmp_path), late)
    assert edited["bi_gmv_fen"] == judged["bi_gmv_fen"] + 100


def test_an_order_joining_a_kept_month_through_its_event_is_found(month_hub: SimpleNamespace, tmp_path: Path) -> None:
    """An order created after the month whose payment is moved into it (a hand repair of its paid time):
    the order's own day is outside what the month read; the event's day is what says it joined."""
    cache = _afresh(month_hub.cache, tmp_path)
    late = int(datetime(2026, 4, 1, tzinfo=UTC).timestamp() * 1000)

    def month(path: Path) -> dict[str, Any]:
        with Cache(path) as c, c.read() as r:
            return _reconciliation_view(reconcile(r, "2026-01", now_ms=late))

    before = month(cache)
    mid_january = int(datetime(2026, 1, 15, 4, tzinfo=UTC).timestamp() * 1000)
    with sqlite3.connect(cache) as c:
        moved = c.execute("UPDATE events SET at_ms = ? WHERE id = (SELECT e.id FROM events e JOIN orders o ON "
                          "o.id = e.order_id WHERE e.kind = 'paid' AND o.created_at_ms > ? AND o.cancelled = 0 "
                          "AND o.refunded_fen = 0 AND o.paid_amount_fen > 0 ORDER BY e.id LIMIT 1)",
                          (mid_january, mid_january + 40 * kept.DAY_MS)).rowcount  # fmt: skip
    assert moved == 1
    after = month(cache)
    assert after == month(_afresh(cache, tmp_path))
    assert after["bi_gmv_fen"] > before["bi_gmv_fen"]


def test_the_kept_totals_are_the_months_and_follow_a_change(month_hub: SimpleNamespace, tmp_path: Path) -> None:
    cache = _afresh(month_hub.cache, tmp_path)
    late = int(datetime(2026, 4, 1, tzinfo=UTC).timestamp() * 1000)

    def totals(path: Path) -> tuple[int, int, int]:
        reconciliation._MONTHS.clear()  # a new console: the totals row, not the month's orders
        with Cache(path) as c, c.read() as r:
            t = month_totals(r, "2026-01", now_ms=late)
        return t.bi_gmv, t.finance, t.unexplained_abs

    with Cache(cache) as c, c.read() as r:
        full = reconcile(r, "2026-01", now_ms=late)
    assert totals(cache) == (full.bi_gmv, full.finance, full.unexplained_abs)
    assert (full.bi_gmv, full.finance) == (8_420_000, 7_930_000)
    with sqlite3.connect(cache) as c:
        c.execute("UPDATE orders SET paid_amount_fen = paid_amount_fen + 1 WHERE id = (SELECT e.order_id FROM events e "
                  "JOIN orders o ON o.id = e.order_id WHERE e.kind = 'paid' AND o.cancelled = 0 AND o.refunded_fen = 0 "
                  "AND o.paid_amount_fen > 0 AND e.at_ms < ? ORDER BY e.at_ms DESC LIMIT 1)",
                  (int(datetime(2026, 1, 31, tzinfo=UTC).timestamp() * 1000),))  # fmt: skip
    assert totals(cache)[0] == 8_420_001


_json = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=14) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(damage=_json)
def test_a_kept_figure_of_any_shape_is_recomputed_never_a_traceback(made: SimpleNamespace, damage: Any) -> None:
    def both() -> tuple[dict[str, Any], dict[str, Any]]:
        with Cache(made.path) as cache, cache.read() as c:
            checks = {k: r.as_dict() for k, r in quality(c, DAY, DAY).items()}
        return _consistency(made.path, NOW), checks

    with sqlite3.connect(made.path) as c:  # (the example before left a body of its own)
        c.execute("DELETE FROM insight_days")
    good = both()
    with sqlite3.connect(made.path) as c:
        c.execute("UPDATE insight_days SET body = ?", (orjson.dumps(damage),))  # a hand edit: no checksum
    assert both() == good
    with sqlite3.connect(made.path) as c:  # a body of any shape under a checksum that holds: no traceback
        c.execute("UPDATE insight_days SET body = ?", (kept.pack(damage),))
    both()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(damage=_json, where=st.sampled_from(["whole", "share", "totals"]))
def test_a_kept_month_of_any_shape_is_reconciled_again(
    month_hub: SimpleNamespace, tmp_path_factory: pytest.TempPathFactory, damage: Any, where: str
) -> None:
    cache = _afresh(month_hub.cache, tmp_path_factory.mktemp("damaged"))
    late = int(datetime(2026, 4, 1, tzinfo=UTC).timestamp() * 1000)

    def month() -> tuple[dict[str, Any], tuple[int, int, int]]:
        reconciliation._MONTHS.clear()
        with Cache(cache) as c, c.read() as r:
            t = month_totals(r, "2026-01", now_ms=late)
            return _reconciliation_view(reconcile(r, "2026-01", now_ms=late)), (t.bi_gmv, t.finance, t.unexplained_abs)

    good = month()
    with sqlite3.connect(cache) as c:
        if where == "totals":
            c.execute("UPDATE insight_months SET body = ? WHERE kind LIKE '%/totals'", (orjson.dumps(damage),))
        elif where == "whole":
            c.execute("UPDATE insight_months SET body = ? WHERE kind NOT LIKE '%/totals'", (orjson.dumps(damage),))
        else:
            (body,) = c.execute("SELECT body FROM insight_months WHERE kind NOT LIKE '%/totals'").fetchone()
            kept_month = kept.unpack(body)
            kept_month["shares"][0] = damage  # a share of another shape, under a checksum that holds
            c.execute("UPDATE insight_months SET body = ? WHERE kind NOT LIKE '%/totals'", (kept.pack(kept_month),))
    assert month() == good


def test_a_cache_put_in_the_place_of_another_is_not_taken_for_it(month_hub: SimpleNamespace, tmp_path: Path) -> None:
    """A rebuilt cache moved into the old one's place whose change counts happen to be the old one's:
    what this process holds of the old file is not its answer."""
    place = _afresh(month_hub.cache, tmp_path)
    late = int(datetime(2026, 4, 1, tzinfo=UTC).timestamp() * 1000)

    def month() -> dict[str, Any]:
        with Cache(place) as c, c.read() as r:
            return _reconciliation_view(reconcile(r, "2026-01", now_ms=late))

    old = month()  # held by this process now
    rebuilt = _afresh(month_hub.cache, tmp_path)
    source, target = sqlite3.connect(place), sqlite3.connect(rebuilt)
    counts = source.execute("SELECT scope, day, n FROM insight_changes").fetchall()
    target.execute("UPDATE orders SET paid_amount_fen = paid_amount_fen + 7 WHERE id = (SELECT e.order_id FROM "
                   "events e JOIN orders o ON o.id = e.order_id WHERE e.kind = 'paid' AND o.cancelled = 0 AND "
                   "o.refunded_fen = 0 AND o.paid_amount_fen > 0 AND e.at_ms < ? ORDER BY e.at_ms DESC LIMIT 1)",
                   (late - 70 * kept.DAY_MS,))  # fmt: skip
    target.execute("DELETE FROM insight_changes")
    target.executemany("INSERT INTO insight_changes (scope, day, n) VALUES (?, ?, ?)", counts)
    target.commit()
    for c in (source, target):  # everything in the files themselves before one takes the other's place
        c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        c.close()
    rebuilt.replace(place)
    assert month()["bi_gmv_fen"] == old["bi_gmv_fen"] + 7
