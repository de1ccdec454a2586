"""The ways out, through the real CLI: `cache restore` puts the newest good automatic backup in
place, `cache rebuild` fills a new cache from the hub; both keep the damaged file aside, salvage what
only this computer had (unsent actions, print jobs, imported mapping tables) and say what they could
not bring back."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path

from orderdesk.printing.printers import Printer
from orderdesk.printing.profiles import load_profile
from orderdesk.printing.transports import FileTransport
from orderdesk.sync.cache import Cache
from orderdesk.sync.cache.mapping_store import import_table
from orderdesk.sync.cache.migrate import backup_file
from orderdesk.sync.mapping.registry import bundled_documents
from tests.damage import cli, copy_of, one_value, overwrite_in


def local_work(cache_path: Path, labels: Path) -> dict[str, object]:
    """What only this computer has: labels printed (jobs, a substitution, actions for the hub) and a
    mapping table imported here."""
    from orderdesk.printing.jobs import print_label

    printer = Printer("test-pdf", load_profile("pdf-76x130"), FileTransport(labels), True)
    document = next(d for d in bundled_documents() if d["source"] == "douyin")
    custom = json.loads(json.dumps(document))
    custom["version"] = "1.7.0"
    custom["rules"].insert(0, {"id": "douyin.order.local", "when": {"order_status": 77}, "then": {"fulfilment": "PAID"},
                               "label": {"zh": "本地规则", "en": "Local rule"}})  # fmt: skip
    with Cache(cache_path) as cache:
        with cache.read() as c:
            rare = c.exec_driver_sql(
                "SELECT domain_id FROM orders WHERE receiver_name GLOB '*[𠀾𪚥]*' LIMIT 1"
            ).scalar()
            plain = c.exec_driver_sql("SELECT domain_id FROM orders ORDER BY id LIMIT 2").scalars().all()
        printed = [d for d in (rare, *plain) if d]
        for domain_id in printed:
            outcome = print_label(
                cache,
                domain_id,
                printer,
                operator="packer-1",
                printed_at=datetime.now(UTC),
                confirmed=True,
                markers_accepted=True,
            )  # whatever the order's state: a print to keep
            assert outcome.state == "done", outcome.error
        with cache.write() as c:
            import_table(c, custom, operator="supervisor", now_ms=time.time_ns() // 1_000_000)
        with cache.read() as c:
            pending = c.exec_driver_sql("SELECT count(*) FROM outbox WHERE status = 'pending'").scalar_one()
            substitutions = c.exec_driver_sql("SELECT count(*) FROM label_substitutions").scalar_one()
    return {"printed": printed, "pending": pending, "substitutions": substitutions}


def damage(cache_path: Path) -> None:
    waybill = str(one_value(cache_path, "SELECT waybill_no FROM orders ORDER BY id LIMIT 1 OFFSET 20")).encode()
    overwrite_in(cache_path, "orders", waybill, waybill[:-1] + b"#")


def test_rebuild_moves_the_damaged_file_aside_syncs_and_puts_back_what_only_this_computer_had(synced, tmp_path):
    cache = copy_of(synced.good, tmp_path)
    work = local_work(cache, tmp_path / "labels")
    assert work["pending"] >= 3 and work["substitutions"] >= 1
    damage(cache)
    damaged_bytes = cache.read_bytes()
    assert cli(cache, "orders", "export").returncode == 74

    done = cli(cache, "--json", "cache", "rebuild", "--hub", synced.url, env={"ORDERDESK_TOKEN": synced.token})
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    aside = Path(result["kept_aside"])
    assert aside.read_bytes() == damaged_bytes and aside.name.startswith("cache.sqlite3.damaged-")  # kept, untouched
    assert result["sync"]["caught_up"] and result["sync"]["actions_pushed"] == work["pending"]
    assert result["placed"]["print_jobs"] == len(work["printed"]) and result["placed"]["mapping_tables"] == 1
    assert result["placed"]["substitutions"] == work["substitutions"] and not result["placed"]["not_placed"]
    assert any("audit trail" in item["en"] for item in result["not_recovered"])  # said, not hidden
    report = json.loads(Path(result["report"]).read_text(encoding="utf-8"))
    assert len(report["print_jobs"]) == len(work["printed"]) and report["print_jobs"][0]["document"]

    assert one_value(cache, "SELECT count(*) FROM orders") == synced.orders
    assert one_value(cache, "SELECT count(*) FROM outbox WHERE status = 'sent'") == work["pending"]
    assert one_value(cache, "SELECT count(*) FROM print_jobs WHERE state = 'done'") == len(work["printed"])
    assert one_value(cache, "SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1") == "cache.rebuild"
    mapped = cli(cache, "--json", "mapping", "map", "--source", "douyin", "--status", "77")
    assert json.loads(mapped.stdout)["mapping_version"] == "douyin@1.7.0"  # the local table is in force again
    again = cli(cache, "labels", "print", work["printed"][0], "--printer", "pdf-76x130", "--to", f"file:{tmp_path}")
    assert again.returncode == 2 and "reprint needs a reason" in again.stderr  # the print history came back
    assert cli(cache, "cache", "check").returncode == 0


def test_restore_takes_the_newest_good_backup_and_a_sync_brings_the_rest(synced, tmp_path):
    cache = copy_of(synced.good, tmp_path)
    older = backup_file(cache, "before-0004")
    older.write_bytes(b"not a database any more")  # a backup can be damaged too: it is passed over
    newer = backup_file(cache, "before-0005")
    assert newer.name > older.name or newer.stat().st_mtime >= older.stat().st_mtime
    work = local_work(cache, tmp_path / "labels")  # after the backup: only in the damaged file
    damage(cache)
    refused = cli(cache, "orders", "export")
    assert refused.returncode == 74 and "cache restore" in refused.stderr  # a backup exists: offered first

    done = cli(cache, "--json", "cache", "restore", "--hub", synced.url, env={"ORDERDESK_TOKEN": synced.token})
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert Path(result["backup"]) == newer and Path(result["kept_aside"]).exists()
    assert result["placed"]["print_jobs"] == len(work["printed"]) and result["placed"]["outbox"] == work["pending"]
    assert result["sync"]["caught_up"]
    assert one_value(cache, "SELECT count(*) FROM print_jobs") == len(work["printed"])
    assert one_value(cache, "SELECT count(*) FROM outbox WHERE status = 'pending'") == 0
    assert cli(cache, "cache", "check").returncode == 0
    assert newer.exists() and older.exists()  # backups are restored from, never consumed


def test_restore_without_a_good_backup_says_so_and_moves_nothing(synced, tmp_path):
    cache = copy_of(synced.good, tmp_path)
    damage(cache)
    done = cli(cache, "cache", "restore")
    assert done.returncode == 1 and "no automatic backup" in done.stderr and "cache rebuild" in done.stderr
    assert not list(tmp_path.glob("*.damaged-*"))


def test_rebuild_with_a_token_the_hub_refuses_moves_nothing(synced, tmp_path):
    cache = copy_of(synced.good, tmp_path)
    damage(cache)
    before = cache.read_bytes()
    done = cli(cache, "cache", "rebuild", "--hub", synced.url, env={"ORDERDESK_TOKEN": "not.a-token"})
    assert done.returncode == 2 and "sign in again" in done.stderr and "Traceback" not in done.stderr
    assert cache.read_bytes() == before and not list(tmp_path.glob("*.damaged-*"))
