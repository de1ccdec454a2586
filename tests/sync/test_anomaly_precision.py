"""Anomalies that mean something: on the demo's traffic every planted anomaly is found and at least
99% of the open ones were planted (bench/anomalies.py prints the same figures at 20,000 orders)."""

from __future__ import annotations

from collections import Counter

import pytest

from bench.anomalies import measure
from orderdesk.insights.anomaly_precision import compare


@pytest.mark.parametrize("seed", [7, 11])
def test_every_planted_anomaly_is_found_and_the_open_ones_were_planted(tmp_path, seed) -> None:
    figures, _ = measure(2500, seed, tmp_path / "cache.sqlite3", batch=500)
    total = figures.total()
    assert total.planted > 50  # the demo plants every kind it knows
    assert set(figures.kinds) >= {"regression", "unmapped_status", "missing_paid_amount", "source_exception"}
    assert total.recall == 1.0, figures.missed_examples
    assert total.precision >= 0.99, figures.unplanted_examples


def test_the_comparison_counts_kinds_as_multisets() -> None:
    figures = compare(
        {"A": ["regression", "regression"], "B": []}, {"A": Counter(regression=1), "B": Counter(unmapped_status=1)}
    )
    assert (figures.kinds["regression"].planted, figures.kinds["regression"].found) == (2, 1)
    assert figures.kinds["unmapped_status"].precision == 0.0 and figures.unplanted_examples == [
        ("B", "unmapped_status")
    ]
