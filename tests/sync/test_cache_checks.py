"""The cache's checks, in process: what the cheap check at every open sees, what only the full check
sees (and why it is SQLite's integrity_check, not quick_check), when the full check is due, SQLite's
errors turned into words, and salvaging rows around a damaged page."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orderdesk.sync import outbox
from orderdesk.sync.cache import Cache, check_record, salvage
from orderdesk.sync.cache.full_check import full_check
from orderdesk.sync.cache.trouble import CacheUnusable, classify
from tests.conftest import obs, order, ref
from tests.damage import overwrite_in


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    """A closed cache with a few orders, their trail, and 400 actions waiting in the outbox."""
    from orderdesk.sync.cache.apply import CacheWriter

    path = tmp_path / "cache.sqlite3"
    with Cache(path) as cache:
        records = [order(f"DD2026012400{n:04d}") for n in range(40)]
        observations = [obs("douyin", 2, "2026-01-24 15:00:00", ref(r["channel_order_no"])) for r in records]
        CacheWriter(cache, operator="test").apply(records, observations)
        with cache.read() as c:
            ids = c.exec_driver_sql("SELECT domain_id FROM orders").scalars().all()
        with cache.write() as c:
            for n in range(400):
                outbox.enqueue(c, "print_result", ids[n % len(ids)], {"job": n, "note": "x" * 200})
    return path


def test_a_new_cache_counts_as_checked_and_a_closed_one_is_known_again(tmp_path):
    path = tmp_path / "cache.sqlite3"
    with Cache(path) as cache:
        assert cache.full_check_due() is None
    assert check_record.record_path(path).exists()
    with Cache(path) as cache:
        assert cache.full_check_due() is None and cache.full_check_due(daily=True) is None


def test_a_file_changed_outside_orderdesk_is_due_for_the_full_check(filled):
    with sqlite3.connect(filled) as db:  # another program writes to it
        db.execute("UPDATE sync_state SET value = value WHERE 0")
        db.execute("CREATE TABLE scratch (x)")
        db.execute("DROP TABLE scratch")
    with Cache(filled) as cache:
        assert cache.full_check_due() == "changed"
    with Cache(filled) as cache:  # it stays due, though OrderDesk closed it since, until a check passes
        assert cache.full_check_due() == "changed"
        assert full_check(cache.path).ok
        assert cache.full_check_due() is None


def test_the_daily_rule_makes_an_old_check_due(filled):
    record = check_record.load(filled)
    record.passed_at_ms = check_record.now_ms() - check_record.FULL_CHECK_EVERY_MS - 1
    check_record.save(filled, record)
    with Cache(filled) as cache:
        assert cache.full_check_due() is None and cache.full_check_due(daily=True) == "stale"


def test_integrity_check_sees_a_changed_indexed_value_that_quick_check_misses(filled):
    waybill = sqlite3.connect(filled).execute("SELECT waybill_no FROM orders LIMIT 1").fetchone()[0].encode()
    overwrite_in(filled, "orders", waybill, waybill[:-1] + b"#")
    with sqlite3.connect(filled) as db:
        assert db.execute("PRAGMA quick_check").fetchall() == [("ok",)]  # why the full check is not quick_check
        assert db.execute("PRAGMA integrity_check").fetchall() != [("ok",)]
    result = full_check(filled)
    assert not result.ok and "ix_orders_waybill_no" in result.problems[0].what.en
    with pytest.raises(CacheUnusable, match="found by the full check"):
        Cache(filled)  # remembered: the next open says it at once
    assert full_check(filled).ok is False


def test_the_audit_chain_sees_an_edit_no_index_covers(filled):
    overwrite_in(filled, "audit_log", b"douyin", b"douyiN")  # inside an entry's text: no index covers it
    with sqlite3.connect(filled) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    result = full_check(filled, record=False)
    assert [p.detail.split(":")[0] for p in result.problems] == ["audit chain"]
    assert "hash chain at entry" in result.problems[0].what.en and "哈希链" in result.problems[0].what.zh


def test_json_that_no_longer_parses_is_found(filled):
    overwrite_in(filled, "observations", b'{"', b"{{")
    result = full_check(filled, record=False)
    assert any("does not parse" in p.what.en for p in result.problems)


def test_a_killed_writers_wal_opens_and_a_broken_wal_header_is_damage(filled):
    code = (
        "import os, sys; from pathlib import Path; from orderdesk.sync.cache import Cache; from orderdesk.sync import sync_state\n"
        "c = Cache(Path(sys.argv[1]))\n"
        "with c.write() as w: sync_state.save(w, 'http://x', 'k', 'v')\n"
        "os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", code, str(filled)], check=True, timeout=60)
    wal = filled.with_name(filled.name + "-wal")
    assert wal.stat().st_size > 32
    saved = wal.read_bytes()
    with wal.open("r+b") as f:
        f.seek(24)
        f.write(bytes(8))  # the header's checksum
    with pytest.raises(CacheUnusable, match="write-ahead log") as raised:
        Cache(filled)
    assert raised.value.kind == "damaged" and "预写日志" in raised.value.zh
    wal.write_bytes(saved)
    with Cache(filled) as cache, cache.read() as c:  # the same WAL, intact: normal, replayed by SQLite
        assert c.exec_driver_sql("SELECT value FROM sync_state WHERE key = 'http://x|k'").scalar() == "v"


def test_disk_full_from_sqlite_is_said_with_what_to_do(filled):
    with Cache(filled) as cache:
        with cache.write() as c:
            pages = c.exec_driver_sql("PRAGMA page_count").scalar_one()
        with pytest.raises(Exception) as raised, cache.write() as c:
            c.exec_driver_sql(f"PRAGMA max_page_count = {pages}")  # the file may not grow: SQLite's "disk is full"
            for n in range(2000):
                outbox.enqueue(c, "print_result", "DB20260124AAAAAAAAAAAA", {"n": n, "pad": "y" * 500})
        trouble = classify(raised.value, filled)
        assert trouble is not None and trouble.kind == "disk_full"
        assert str(filled) in trouble.en and "nothing committed is lost" in trouble.en and "磁盘已满" in trouble.zh
        with cache.read() as c:  # rolled back, as said
            assert c.exec_driver_sql("SELECT count(*) FROM outbox").scalar_one() == 400


def test_salvage_reads_around_a_damaged_page(filled):
    db = sqlite3.connect(filled)
    pages = [r[0] for r in db.execute("SELECT pageno FROM dbstat WHERE name = 'outbox' AND pagetype = 'leaf'")]
    db.close()
    assert len(pages) > 10
    with filled.open("r+b") as f:
        f.seek((pages[len(pages) // 2] - 1) * 4096)
        f.write(b"\xa5" * 4096)  # one page of the outbox, gone
    found = salvage.read(filled)
    assert 300 < len(found.outbox) < 400
    assert len(found.unreadable) == 1 and found.unreadable[0].startswith("outbox:")
    assert all(json.loads(a["payload_json"])["note"] for a in found.outbox)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(damage=st.lists(st.tuples(st.floats(0.0, 1.0), st.binary(min_size=1, max_size=512)), min_size=1, max_size=4))
def test_salvage_of_a_randomly_damaged_file_never_fails(filled, damage):
    copy = filled.with_name("copy.sqlite3")
    copy.write_bytes(filled.read_bytes())
    size = copy.stat().st_size
    with copy.open("r+b") as f:
        for where, data in damage:
            f.seek(min(int(where * size), size - len(data)))
            f.write(data)
    found = salvage.read(copy)  # never raises: what cannot be read is listed
    assert len(found.outbox) <= 400
    for row in found.outbox:
        assert row["kind"] in salvage.ACTION_KINDS and isinstance(json.loads(row["payload_json"]), dict)
    os.unlink(copy)
