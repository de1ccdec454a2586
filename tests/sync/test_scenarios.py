"""The scenario library (tests/scenarios): per channel, realistic sequences and what the order must
read afterwards, through the real writer into a real cache file, read back as `orders show` does."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from orderdesk.sync.cache import Cache
from orderdesk.sync.cache.apply import CacheWriter
from orderdesk.sync.cache.queries import order_document

LIBRARY = Path(__file__).resolve().parents[1] / "scenarios"
FILES = sorted(LIBRARY.glob("*.json"))


def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _order(channel: str, scenario: dict[str, Any]) -> dict[str, Any]:
    name = scenario["name"]
    record = {
        "channel": channel, "shop": "s", "channel_order_no": name, "created_at": "2026-03-02T10:00:00+08:00",
        "receiver": {"name": "张三"}, "lines": [{"line_no": 1, "sku": "A", "quantity": 1, "unit_price_fen": 2000}],
        "paid_amount_fen": 2000, "waybill_no": f"W{name.replace('_', '-')}",
    }  # fmt: skip
    record.update(copy.deepcopy(scenario.get("order", {})))
    return record


def _observations(channel: str, scenario: dict[str, Any], order: dict[str, Any]) -> list[dict[str, Any]]:
    records = []
    for source, status, at, *extra in scenario["observations"]:
        month_day, _, clock = at.partition(" ")
        when = f"2026-{month_day}T{clock}{':00' if clock.count(':') == 1 else ''}+08:00"
        named = {"waybill_no": order["waybill_no"]} if source == "kuaidi100" else {
            "channel": channel, "shop": "s", "channel_order_no": scenario["name"]}  # fmt: skip
        records.append(
            {"source": source, "status": status, "observed_at": when, "order": named, **(extra[0] if extra else {})}
        )
    return records


def _reading(document: dict[str, Any]) -> dict[str, Any]:
    return {
        "fulfilment": document["fulfilment"],
        "refund": document["refund"],
        "refunded_fen": document["refunded_fen"],
        "cancelled": document["cancelled"],
        "outcome": document["outcome"],
        "anomalies": sorted(a["kind"] for a in document["anomalies"] if a["resolved_at"] is None),
    }


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Every scenario imported: one cache per channel file, each in one batch then again shuffled."""
    read: dict[str, dict[str, Any]] = {}
    for path in FILES:
        library = _load(path)
        channel = library["channel"]
        with Cache(tmp_path_factory.mktemp(channel) / "cache.sqlite3") as cache:
            writer = CacheWriter(cache, operator="scenario")
            for scenario in library["scenarios"]:
                order = _order(channel, scenario)
                observations = _observations(channel, scenario, order)
                report = writer.apply([order], observations)
                assert not report.quarantined, (scenario["name"], report.quarantined)
            with cache.read() as c:
                for scenario in library["scenarios"]:
                    row = c.exec_driver_sql(
                        "SELECT id FROM orders WHERE channel_order_no = ?", (scenario["name"],)
                    ).scalar_one()
                    read[f"{channel}/{scenario['name']}"] = _reading(order_document(c, row))
    return read


CASES = [(f"{_load(p)['channel']}/{s['name']}", s) for p in FILES for s in _load(p)["scenarios"]]


@pytest.mark.parametrize(("case", "scenario"), CASES, ids=[c for c, _ in CASES])
def test_the_order_reads_as_the_platform_means(
    imported: dict[str, dict[str, Any]], case: str, scenario: dict[str, Any]
) -> None:
    assert imported[case] == scenario["expect"]


def test_each_scenario_cites_its_documentation() -> None:
    for path in FILES:
        library = _load(path)
        for scenario in library["scenarios"]:
            assert scenario["cites"] and all(c in library["cites"] for c in scenario["cites"]), scenario["name"]


def test_the_library_covers_every_channel_and_every_reproduction() -> None:
    channels = {_load(p)["channel"] for p in FILES}
    assert channels == {"taobao", "douyin", "pdd", "wechat_channels", "youzan", "miniapp"}
    names = {s["name"] for p in FILES for s in _load(p)["scenarios"]}
    assert {f"R{n}" for n in range(1, 21)} <= {name.split("_")[0] for name in names}
