"""`orderdesk cache stats`, `cache prune` and `audit verify` with archives, as their own processes on a
cache synced from the real hub (issue #17)."""

from __future__ import annotations

import json
from pathlib import Path

from orderdesk.sync.cache import Cache, retention
from tests.damage import cli, copy_of
from tests.sync.test_retention import lock_every_month

FAR_FUTURE_MS = 4_102_444_800_000


def test_stats_prune_and_verify_say_what_the_file_holds_and_what_left_it(synced, tmp_path: Path) -> None:
    path = copy_of(synced.good, tmp_path)
    lock_every_month(path)
    stats = cli(path, "cache", "stats", "--json")
    assert stats.returncode == 0, stats.stderr
    before = json.loads(stats.stdout)
    tables = {t["table"]: t for t in before["tables"]}
    assert before["orders"] == synced.orders and tables["orders"]["rows"] == synced.orders
    assert before["bytes_per_order"] > 0 and tables["audit_log"]["bytes"] > 0
    refused = cli(path, "cache", "prune", "--days", "0")
    assert refused.returncode != 0 and "--days" in refused.stderr and "0" in refused.stderr
    pruned = cli(path, "cache", "prune", "--days", "90")  # the demo's orders are of January 2026
    assert pruned.returncode == 0, pruned.stderr
    assert "closed orders removed" in pruned.stdout and "--hub URL, to bring one back" in pruned.stdout
    waiting = json.loads(cli(copy_of(synced.good, tmp_path / "unlocked"), "cache", "prune", "--json").stdout)
    assert waiting["orders_pruned"] == 0 and waiting["orders_waiting_for_locks"] > 0
    after = json.loads(cli(path, "cache", "stats", "--json").stdout)
    assert 0 < after["orders"] < before["orders"]
    verified = cli(path, "audit", "verify")
    assert verified.returncode == 0 and "intact" in verified.stdout


def test_audit_verify_checks_the_archives_and_says_when_one_is_missing_or_edited(synced, tmp_path: Path) -> None:
    path = copy_of(synced.good, tmp_path)
    lock_every_month(path)
    with Cache(path) as cache:
        report = retention.prune(cache, 90, now_ms=FAR_FUTURE_MS)
    assert report.archive is not None
    ok = json.loads(cli(path, "audit", "verify", "--json").stdout)
    assert ok["ok"] and ok["archives"][0]["ok"] and ok["archives"][0]["entries"] == report.audit_archived
    moved = tmp_path / "cold"
    moved.mkdir()
    report.archive.rename(moved / report.archive.name)
    missing = cli(path, "audit", "verify")
    assert missing.returncode == 0 and "not checked" in missing.stdout and "--archives" in missing.stdout
    found = cli(path, "audit", "verify", "--archives", str(moved), "--json")
    assert json.loads(found.stdout)["archives"][0]["ok"]
    (moved / report.archive.name).write_bytes(b"not gzip at all")
    broken = cli(path, "audit", "verify", "--archives", str(moved))
    assert broken.returncode == 1 and "broken" in broken.stdout


def test_compact_gives_the_pruned_pages_back_and_the_file_stays_whole(synced, tmp_path: Path) -> None:
    path = copy_of(synced.good, tmp_path)
    lock_every_month(path)
    assert cli(path, "cache", "prune", "--days", "90").returncode == 0
    before = json.loads(cli(path, "cache", "stats", "--json").stdout)
    compacted = cli(path, "cache", "compact", "--json")
    assert compacted.returncode == 0, compacted.stderr
    done = json.loads(compacted.stdout)
    assert done["bytes_after"] < done["bytes_before"]
    after = json.loads(cli(path, "cache", "stats", "--json").stdout)
    assert after["free_bytes"] == 0 and after["orders"] == before["orders"]
    assert cli(path, "cache", "check").returncode == 0


def test_a_pruned_order_is_shown_from_the_hub_and_no_command_makes_a_cache_that_is_not_there(
    synced, tmp_path: Path
) -> None:
    path = copy_of(synced.good, tmp_path)
    assert cli(path, "cache", "prune", "--any-month").returncode == 0
    with Cache(path) as cache, cache.read() as c:
        kept = {r[0] for r in c.exec_driver_sql("SELECT domain_id FROM orders")}
    with Cache(synced.good) as cache, cache.read() as c:
        gone = sorted({r[0] for r in c.exec_driver_sql("SELECT domain_id FROM orders")} - kept)
    assert gone
    missing = cli(path, "orders", "show", gone[0])
    assert missing.returncode == 1 and "--hub" in missing.stderr
    env = {"ORDERDESK_TOKEN": synced.token}
    shown = cli(path, "orders", "show", gone[0].lower(), "--hub", synced.url, "--json", env=env)
    assert shown.returncode == 0, shown.stderr
    document = json.loads(shown.stdout)
    assert document["domain_id"] == gone[0] and document["observations"]
    assert any(a["action"] == "order.brought_back" for a in document["audit"])
    for command in (("cache", "stats"), ("cache", "prune"), ("cache", "compact")):
        nowhere = tmp_path / "nowhere.sqlite3"
        said = cli(nowhere, *command)
        assert said.returncode == 1 and "no cache file" in said.stderr and not nowhere.exists()


def test_an_empty_archive_and_absurd_windows_are_said_in_words(synced, tmp_path: Path) -> None:
    path = copy_of(synced.good, tmp_path)
    lock_every_month(path)
    with Cache(path) as cache:
        report = retention.prune(cache, 90, now_ms=FAR_FUTURE_MS)
    assert report.archive is not None
    report.archive.write_bytes(b"")
    said = cli(path, "audit", "verify", "--json")
    assert said.returncode == 1 and "Traceback" not in said.stderr
    document = json.loads(said.stdout)
    assert document["ok"] is False and document["archives"][0]["ok"] is False
    for days in ("0", "99999999999"):
        refused = cli(path, "cache", "prune", "--days", days)
        assert refused.returncode != 0 and "--days" in refused.stderr and "Traceback" not in refused.stderr
