"""The Cainiao logistics table: only status 3 (物流签收, from the seed article) is known; every other value
is an assumption that says so, and a supervisor's corrected version imports and wins. Status 3 reaches a
cache as carrier delivered through the hub's ingest and the real sync."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest

from orderdesk.app.cli.main import main
from orderdesk.hub.routes.ingest import SOURCES as HUB_SOURCES
from orderdesk.sync.cache import Cache
from orderdesk.sync.cache.apply import CacheWriter
from orderdesk.sync.mapping import MappingRegistry, MappingTableError, validate_table
from orderdesk.sync.mapping.provenance import assumed_rules, of_rule
from orderdesk.sync.mapping.registry import SCHEMA_FILE, bundled_documents
from orderdesk.sync.resources import MAPPINGS_DIR
from tests.conftest import obs, order, ref, token_for
from tests.damage import sync_into

PAID_AT, SIGNED_AT = "2026-01-24T14:01:00+08:00", "2026-01-26T10:00:00+08:00"


def cainiao() -> dict[str, Any]:
    return copy.deepcopy(next(d for d in bundled_documents() if d["source"] == "cainiao"))


def fulfilment(cache: Cache) -> dict[str, str | None]:
    with cache.read() as c:
        return dict(c.exec_driver_sql("SELECT channel_order_no, fulfilment FROM orders").fetchall())


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    path = str(tmp_path / "cli.sqlite3")

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--cache", path, *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_the_table_is_schema_valid_and_names_a_logistics_source() -> None:
    document = json.loads((MAPPINGS_DIR / "cainiao.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))).validate(document)
    validate_table(document)  # the schema and the evidence rules
    assert (document["source"], document["source_system"], document["status_field"]) == (
        "cainiao",
        "logistics",
        "status",
    )


def test_every_rule_says_where_its_value_comes_from_and_only_3_is_from_the_seed_article() -> None:
    document = cainiao()
    bases = {rule["when"]["status"]: of_rule(rule).basis for rule in document["rules"]}
    assert bases[3] == "seed-article" and "菜鸟物流status=3" in of_rule(document["rules"][3]).reference
    assert {basis for status, basis in bases.items() if status != 3} == {"assumed"}
    assert len(assumed_rules(document)) == len(document["rules"]) - 1
    for rule in document["rules"]:
        said = of_rule(rule)
        if said.assumed:  # tells a supervisor, in both languages, to confirm and import a correction
            assert "orderdesk mapping import" in said.note_zh and "orderdesk mapping import" in said.note_en
            assert "假设" in said.note_zh and "assumed" in said.note_en


@pytest.mark.parametrize("status", [3, "3", " 3 "])
def test_status_3_means_the_carrier_delivered(status: Any) -> None:
    mapped = MappingRegistry.bundled().table("cainiao").map_status(status)
    assert (mapped.fulfilment, mapped.unmapped, mapped.rule_id) == ("CARRIER_DELIVERED", False, "cainiao.signed")
    assert mapped.mapping_version == "cainiao@1.0.0"


def test_status_3_delivers_the_order_of_its_waybill_in_the_cache(writer: CacheWriter, cache: Cache) -> None:
    writer.apply([order("CN1", waybill_no="YT-CN1")], [obs("douyin", 105, PAID_AT, ref("CN1"))])
    writer.apply([], [{"source": "cainiao", "status": 3, "observed_at": SIGNED_AT, "order": {"waybill_no": "YT-CN1"}}])
    assert fulfilment(cache) == {"CN1": "CARRIER_DELIVERED"}


def test_the_hub_takes_cainiao_and_a_synced_cache_reads_status_3_as_carrier_delivered(hub: Any, tmp_path: Path) -> None:
    assert "cainiao" in HUB_SOURCES  # from the bundled tables, nothing to register
    headers = {"Authorization": f"Bearer {token_for(hub.url, 'supervisor')}"}
    body = {"orders": [order("CN2", waybill_no="YT-CN2")], "observations": [obs("douyin", 105, PAID_AT, ref("CN2"))]}
    assert httpx.post(f"{hub.url}/v1/ingest/douyin", json=body, headers=headers, timeout=30).status_code == 200
    signed = {"source": "cainiao", "status": 3, "observed_at": SIGNED_AT, "order": {"waybill_no": "YT-CN2"}}
    answer = httpx.post(f"{hub.url}/v1/ingest/cainiao", json={"observations": [signed]}, headers=headers, timeout=30)
    assert answer.status_code == 200, answer.text
    assert (answer.json()["observations_new"], answer.json()["refused_count"]) == (1, 0)
    sync_into(tmp_path / "synced.sqlite3", hub.url, headers["Authorization"].removeprefix("Bearer "))
    with Cache(tmp_path / "synced.sqlite3") as synced:
        assert fulfilment(synced) == {"CN2": "CARRIER_DELIVERED"}


def test_a_supervisor_s_corrected_version_imports_and_wins(
    cli: Callable[..., tuple[int, str, str]], tmp_path: Path
) -> None:
    corrected = cainiao()
    corrected["version"] = "1.1.0"
    rejected = next(r for r in corrected["rules"] if r["id"] == "cainiao.rejected")
    rejected["when"] = {"status": 7}  # confirmed: 7 is a refusal, 6 means nothing
    rejected["provenance"] = {"basis": "public-doc", "reference": "https://example.invalid/cainiao/status",
                              "note": {"zh": "主管已按文档核对", "en": "Checked by a supervisor against the document"}}  # fmt: skip
    (tmp_path / "cainiao-1.1.0.json").write_text(json.dumps(corrected, ensure_ascii=False), encoding="utf-8")
    code, out, err = cli(
        "--json", "mapping", "import", str(tmp_path / "cainiao-1.1.0.json"), "--operator", "supervisor"
    )
    assert code == 0, err
    assert json.loads(out)["mapping_version"] == "cainiao@1.1.0"

    _, out, _ = cli("--json", "mapping", "map", "--source", "cainiao", "--status", "7")
    assert (json.loads(out)["rule"], json.loads(out)["mapping_version"]) == ("cainiao.rejected", "cainiao@1.1.0")
    _, out, _ = cli("--json", "mapping", "map", "--source", "cainiao", "--status", "6")
    assert json.loads(out)["unmapped"] is True
    _, out, _ = cli("--json", "mapping", "show", "cainiao")
    shown = {r["id"]: r["provenance"] for r in json.loads(out)["rules"]}
    assert shown["cainiao.rejected"]["basis"] == "public-doc" and shown["cainiao.signed"]["basis"] == "seed-article"
    _, out, _ = cli("--json", "mapping", "list")
    listed = next(r for r in json.loads(out) if r["source"] == "cainiao")
    assert (listed["version"], listed["assumed_rules"]) == ("1.1.0", 4)

    with Cache(tmp_path / "cli.sqlite3") as cache:  # what the cache applies from now on
        writer = CacheWriter(cache, operator="test")
        writer.apply([order("CN3", waybill_no="YT-CN3")], [obs("douyin", 105, PAID_AT, ref("CN3"))])
        writer.apply(
            [], [{"source": "cainiao", "status": 3, "observed_at": SIGNED_AT, "order": {"waybill_no": "YT-CN3"}}]
        )
        assert fulfilment(cache) == {"CN3": "CARRIER_DELIVERED"}
        with cache.read() as c:
            versions = c.exec_driver_sql("SELECT DISTINCT mapping_version FROM observations WHERE source = 'cainiao'")
            assert versions.scalars().all() == ["cainiao@1.1.0"]


def test_show_and_map_say_which_rules_are_assumed_in_both_languages(cli: Callable[..., tuple[int, str, str]]) -> None:
    _, out, _ = cli("mapping", "show", "cainiao")
    assert "[假设,待确认]" in out and "[种子文章]" in out and "orderdesk mapping import" in out
    _, out, _ = cli("--lang", "en", "mapping", "show", "cainiao")
    assert "[assumed, to be confirmed]" in out and "[seed article]" in out and "5 rules are assumed" in out
    _, out, _ = cli("--lang", "en", "mapping", "map", "--source", "cainiao", "--status", "1")
    assert "cainiao.collected is assumed" in out
    _, out, _ = cli("--lang", "en", "mapping", "map", "--source", "cainiao", "--status", "3")
    assert "assumed" not in out
    code, _, err = cli("--lang", "en", "mapping", "show", "nowhere")
    assert code == 2 and "unknown source 'nowhere'" in err


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (lambda d: d["rules"][0]["provenance"].update(basis="guess"), "$.rules[0].provenance.basis"),
        (lambda d: d["rules"][1]["provenance"].pop("note"), "$.rules[1].provenance"),
        (lambda d: d["rules"][2]["provenance"]["note"].pop("en"), "$.rules[2].provenance.note"),
        (lambda d: d["rules"][3]["provenance"].pop("reference"), "$.rules[3].provenance"),  # seed-article: say where
        (lambda d: d["rules"][4].update(provenance="assumed"), "$.rules[4].provenance"),
        (lambda d: d["rules"][5]["provenance"].update(confirmed=True), "$.rules[5].provenance"),
    ],
)
def test_a_bad_provenance_is_refused_with_the_json_path(mutate: Callable[[dict[str, Any]], None], path: str) -> None:
    document = cainiao()
    mutate(document)
    with pytest.raises(MappingTableError) as caught:
        validate_table(document)
    assert caught.value.json_path == path


def test_an_import_with_a_bad_provenance_is_refused_and_the_table_in_force_stays(
    cli: Callable[..., tuple[int, str, str]], tmp_path: Path
) -> None:
    bad = cainiao()
    bad["version"] = "1.2.0"
    bad["rules"][2]["provenance"]["basis"] = "hearsay"
    (tmp_path / "bad.json").write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    code, _, err = cli("--lang", "en", "mapping", "import", str(tmp_path / "bad.json"))
    assert code == 2 and "table refused at $.rules[2].provenance.basis" in err
    _, out, _ = cli("--json", "mapping", "map", "--source", "cainiao", "--status", "3")
    assert json.loads(out)["mapping_version"] == "cainiao@1.0.0"


@pytest.mark.parametrize(
    ("mutate", "path"),
    [  # evidence rules: a logistics source evidences carrier delivery, never the buyer's confirmation or settlement
        (lambda d: d["rules"][3]["then"].update(fulfilment="CUSTOMER_CONFIRMED"), "$.rules[3].then.fulfilment"),
        (lambda d: d["rules"][3]["then"].update(implies="SETTLED"), "$.rules[3].then.implies"),
    ],
)
def test_a_correction_may_not_let_the_carrier_evidence_what_only_the_channel_or_finance_can(
    mutate: Callable[[dict[str, Any]], None], path: str
) -> None:
    document = cainiao()
    mutate(document)
    with pytest.raises(MappingTableError) as caught:
        validate_table(document)
    assert caught.value.json_path == path


def test_a_correction_may_not_turn_cainiao_into_a_channel(
    cli: Callable[..., tuple[int, str, str]], tmp_path: Path
) -> None:
    moved = cainiao()
    moved.update(version="1.3.0", source_system="channel")
    moved["rules"] = [r for r in moved["rules"] if r["then"].get("fulfilment") != "CARRIER_DELIVERED"]
    (tmp_path / "moved.json").write_text(json.dumps(moved, ensure_ascii=False), encoding="utf-8")
    code, _, err = cli("--lang", "en", "mapping", "import", str(tmp_path / "moved.json"))
    assert code == 2 and "$.source_system" in err
