"""Each consistency kind, quality check, health sub-score and self-check row against hand-made orders."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from orderdesk.insights import health, selfcheck
from orderdesk.insights.consistency import consistency
from orderdesk.insights.quality import ThresholdsError, load_thresholds, quality
from orderdesk.sync.cache import Cache
from orderdesk.sync.cache.apply import CacheWriter
from tests.conftest import obs, order, ref

NOW = datetime(2026, 2, 20, 12, tzinfo=UTC)
DAY = date(2026, 1, 24)


def _orders(writer: CacheWriter) -> None:
    """Six orders created on 2026-01-24, one per consistency kind, and one that agrees everywhere."""
    made = []
    for no, waybill in (("OK1", "SF1"), ("SND", "SF2"), ("SNS", "SF3"), ("SRO", "SF4"), ("SNT", "SF5"), ("DNC", "SF6")):
        made.append(order(no, waybill_no=waybill))
    carrier = {"waybill_no": "SF1"}
    o = []
    # OK1: paid, shipped, delivered, confirmed, settled — all agree
    o += [obs("douyin", 105, "2026-01-24T14:10:00+08:00", ref("OK1")), obs("douyin", 3, "2026-01-24T18:00:00+08:00", ref("OK1")),
          obs("kuaidi100", 3, "2026-01-26T10:00:00+08:00", carrier), obs("douyin", 5, "2026-01-27T10:00:00+08:00", ref("OK1")),
          obs("finance", "SETTLED", "2026-02-03T10:00:00+08:00", ref("OK1"))]  # fmt: skip
    # SND: the channel says confirmed, the carrier's last word is "out for delivery" after signing
    o += [obs("douyin", 105, "2026-01-24T14:10:00+08:00", ref("SND")), obs("douyin", 3, "2026-01-24T18:00:00+08:00", ref("SND")),
          obs("kuaidi100", 3, "2026-01-26T10:00:00+08:00", {"waybill_no": "SF2"}),
          obs("kuaidi100", 5, "2026-01-26T12:00:00+08:00", {"waybill_no": "SF2"}),
          obs("douyin", 5, "2026-01-27T10:00:00+08:00", ref("SND")),
          obs("finance", "SETTLED", "2026-02-03T10:00:00+08:00", ref("SND"))]  # fmt: skip
    # SNS: confirmed on 01-27, never settled (more than 10 days before NOW)
    o += [obs("douyin", 105, "2026-01-24T14:10:00+08:00", ref("SNS")), obs("douyin", 3, "2026-01-24T18:00:00+08:00", ref("SNS")),
          obs("kuaidi100", 3, "2026-01-26T10:00:00+08:00", {"waybill_no": "SF3"}), obs("douyin", 5, "2026-01-27T10:00:00+08:00", ref("SNS"))]  # fmt: skip
    # SRO: settled while a refund is open (line 1 refund requested)
    o += [obs("douyin", 105, "2026-01-24T14:10:00+08:00", ref("SRO")), obs("douyin", 3, "2026-01-24T18:00:00+08:00", ref("SRO")),
          obs("kuaidi100", 3, "2026-01-26T10:00:00+08:00", {"waybill_no": "SF4"}), obs("douyin", 5, "2026-01-27T10:00:00+08:00", ref("SRO")),
          obs("finance", "SETTLED", "2026-02-03T10:00:00+08:00", ref("SRO")),
          obs("douyin", 1, "2026-02-04T10:00:00+08:00", ref("SRO"), status_field="refund_status", line_no=1)]  # fmt: skip
    # SNT: shipped on the channel, and the carrier never said a word
    o += [
        obs("douyin", 105, "2026-01-24T14:10:00+08:00", ref("SNT")),
        obs("douyin", 3, "2026-01-24T18:00:00+08:00", ref("SNT")),
    ]
    # DNC: the carrier delivered on 01-26; the channel still says shipped 25 days later
    o += [obs("douyin", 105, "2026-01-24T14:10:00+08:00", ref("DNC")), obs("douyin", 3, "2026-01-24T18:00:00+08:00", ref("DNC")),
          obs("kuaidi100", 3, "2026-01-26T10:00:00+08:00", {"waybill_no": "SF6"})]  # fmt: skip
    writer.apply(made, o)


@pytest.fixture
def made(tmp_path: Path) -> SimpleNamespace:
    path = tmp_path / "cache.sqlite3"
    with Cache(path) as cache:
        _orders(CacheWriter(cache, operator="test"))
    return SimpleNamespace(path=path)


def _numbers(c, ids: list[int]) -> list[str]:
    marks = ",".join("?" * len(ids))
    return sorted(
        r[0] for r in c.exec_driver_sql(f"SELECT channel_order_no FROM orders WHERE id IN ({marks})", tuple(ids))
    )


def test_each_kind_of_disagreement_finds_its_order(made: SimpleNamespace) -> None:
    with Cache(made.path) as cache, cache.read() as c:
        result = consistency(c, DAY, DAY, now=NOW)
        found = {kind: _numbers(c, ids) for kind, ids in result.orders_by_kind.items()}
        cell = result.cells[("douyin", "2026-01-24")]
        drilled = _numbers(c, result.drill(channel="douyin", day="2026-01-24"))
    assert found == {"signed_not_delivered": ["SND"], "signed_not_settled": ["SNS"], "settled_refund_open": ["SRO"],
                     "shipped_no_tracking": ["SNT"], "delivered_not_confirmed": ["DNC"]}  # fmt: skip
    assert (cell.orders, cell.disagreeing) == (6, 5) and cell.highlighted
    assert drilled == ["DNC", "SND", "SNS", "SNT", "SRO"]


def test_time_decides_the_timed_kinds(made: SimpleNamespace) -> None:
    early = datetime(2026, 1, 25, 12, tzinfo=UTC)  # 42 h after shipping: not yet "no tracking"
    with Cache(made.path) as cache, cache.read() as c:
        result = consistency(c, DAY, DAY, now=early)
    assert "shipped_no_tracking" not in result.orders_by_kind and "signed_not_settled" not in result.orders_by_kind


def test_quality_checks_count_what_they_say(made: SimpleNamespace) -> None:
    with Cache(made.path) as cache:
        with cache.write() as c:  # one order loses its phone, one shares a waybill, one has no paid amount
            c.exec_driver_sql("UPDATE orders SET receiver_phone = '' WHERE channel_order_no = 'OK1'")
            c.exec_driver_sql("UPDATE orders SET waybill_no = 'SF2' WHERE channel_order_no = 'SNT'")
            c.exec_driver_sql("UPDATE orders SET paid_amount_fen = NULL WHERE channel_order_no = 'DNC'")
        with cache.read() as c:
            checks = quality(c, DAY, DAY)
    assert (checks["missing_receiver_phone"].unexpected, checks["missing_receiver_phone"].evaluated) == (1, 6)
    assert checks["missing_receiver_phone"].status == "fail"  # 16.7% > 2%
    assert checks["duplicate_waybills"].unexpected == 2  # SND and SNT both carry SF2
    assert checks["missing_paid_amount"].unexpected == 1
    assert checks["event_order_errors"].unexpected == 0
    assert checks["missing_receiver_phone"].per_day == {"2026-01-24": (6, 1)}


def test_a_bad_thresholds_file_names_the_place(tmp_path: Path) -> None:
    bad = tmp_path / "quality.json"
    bad.write_text('{"version": "1", "checks": [{"id": "missing_waybill", "warn": -1, "fail": 2}]}')
    with pytest.raises(ThresholdsError) as caught:
        load_thresholds(bad)
    assert "$.checks[0].warn" in str(caught.value)
    bad.write_text("{not json")
    with pytest.raises(ThresholdsError, match=r"^\$"):
        load_thresholds(bad)


def test_sub_scores_are_linear_and_clamped() -> None:
    d = health.BY_ID["consistency_rate"]  # good 0.3%, bad 3%
    assert health.Measured(d, 0.3).score == 100 and health.Measured(d, 3.0).score == 0
    assert health.Measured(d, 1.65).score == 50 and health.Measured(d, 10).score == 0
    assert health.Measured(d, None).score is None
    up = health.BY_ID["availability"]  # higher is better
    assert health.Measured(up, 100).score == 100 and health.Measured(up, 99.475).score == 50


def test_the_score_has_17_dimensions_and_no_data_never_passes(made: SimpleNamespace) -> None:
    assert len(health.DIMENSIONS) == 17
    now_ms = int(NOW.timestamp() * 1000)
    with Cache(made.path) as cache:
        with cache.read() as c:
            scored = health.measure(c, DAY, now_ms=now_ms)
        with cache.write() as c:
            health.keep(c, scored, now_ms)
        with cache.read() as c:
            kept = health.history(c)
    by_id = {m.dimension.id: m for m in scored.dimensions}
    assert by_id["consistency_rate"].value == pytest.approx(100 * 5 / 6)
    assert by_id["consistency_rate"].score == 0
    assert by_id["reserved_duration"].value is None and by_id["reserved_duration"].score is None
    assert by_id["print_failures"].value is None  # no print jobs: no data, not a pass
    assert 0 < scored.coverage < health.MIN_COVERAGE and scored.score is None  # too little data to score
    assert kept == [("2026-01-24", None)]
    assert scored.suggestions()[0].score == 0


def test_the_score_is_the_weighted_mean_of_what_has_data() -> None:
    good = {d.id: d.good for d in health.DIMENSIONS}
    measured = [health.Measured(d, good[d.id]) for d in health.DIMENSIONS]
    by_id = {m.dimension.id: m for m in measured}
    by_id["consistency_rate"].value = 3.0  # weight 10, score 0
    by_id["availability"].value = None  # weight 10, no data
    whole = sum(d.weight for d in health.DIMENSIONS)
    scored = health.Health("2026-01-24", "*", measured)
    assert scored.coverage == pytest.approx((whole - 10) / whole)
    assert scored.score == pytest.approx(round(100 * (whole - 20) / (whole - 10), 1))
    assert [m.dimension.id for m in scored.suggestions()] == ["consistency_rate"]


def test_the_self_check_measures_every_row(made: SimpleNamespace) -> None:
    with Cache(made.path) as cache, cache.read() as c:
        check = selfcheck.run(c, DAY, now_ms=int(NOW.timestamp() * 1000))
    rows = {i.number: i for i in check.items}
    assert len(rows) == 10
    assert rows[1].passed and rows[1].value == "100.00%"  # every audit entry complete
    assert rows[5].passed  # six well-formed unified ids
    assert not rows[2].passed and rows[2].value is None  # no drill on record: no data fails
    assert not rows[8].passed  # no ticket source
    assert check.score == sum(i.passed for i in check.items) and check.verdict in selfcheck.VERDICTS


def test_the_hubs_facts_decide_the_drill_and_the_complaints_rows(made: SimpleNamespace) -> None:
    from orderdesk.insights.measures import HubFacts

    drill = {"sku": "DRILL-1", "requests": 1000, "stock": 100, "units_held": 100, "oversold": 0, "differences": 0,
             "p99_ms": 9000.0, "at_ms": int(NOW.timestamp() * 1000)}  # fmt: skip
    tickets = {"tickets": 200, "order_related": 24, "order_related_share": 0.12}
    with Cache(made.path) as cache, cache.read() as c:
        passing = selfcheck.run(c, DAY, HubFacts(drill=drill, tickets=tickets), now_ms=int(NOW.timestamp() * 1000))
        failing = selfcheck.run(c, DAY, HubFacts(drill=drill | {"oversold": 3},
                                                 tickets=tickets | {"order_related_share": 0.2}))  # fmt: skip
    assert passing.items[1].passed and passing.items[7].passed and passing.items[7].value == "12.00%"
    assert not failing.items[1].passed and not failing.items[7].passed


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('{"version": "1", "checks": [{"id": "missing_waybill", "warn": 1e400, "fail": 2}]}', "$.checks[0].warn"),
        ('{"version": "1", "checks": [{"id": "missing_waybill", "warn": NaN, "fail": 2}]}', "$"),
        ('{"version": "1", "checks": [{"id": "missing_waybill", "warn": 3, "fail": 2}]}', "$.checks[0].warn"),
        (
            '{"version": "1", "checks": [{"id": "missing_waybill", "warn": 1, "fail": 2}, '
            '{"id": "missing_waybill", "warn": 1, "fail": 2}]}',
            "$.checks[1].id",
        ),
    ],
)
def test_thresholds_that_cannot_be_meant_are_refused(tmp_path: Path, text: str, where: str) -> None:
    bad = tmp_path / "quality.json"
    bad.write_text(text)
    with pytest.raises(ThresholdsError) as caught:
        load_thresholds(bad)
    assert caught.value.json_path == where
