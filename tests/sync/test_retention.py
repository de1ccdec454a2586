"""Issue #17 §5: the retention window. Old closed orders leave the cache, open ones stay, the audit
chain still verifies (its oldest entries in an archive file that verifies on its own), the kept
Supervision counts do not move, and a pruned order comes back from the real hub when asked for."""

from __future__ import annotations

import asyncio
import gzip
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orderdesk.sync.cache import Cache, audit, retention
from orderdesk.sync.cache.full_check import full_check
from orderdesk.sync.cache.queries import find_orders, order_document
from orderdesk.sync.client import HubClient

FAR_FUTURE_MS = 4_102_444_800_000  # 2100-01-01: every demo order is older than any window


def lock_every_month(path: Path) -> None:
    """Finance closed the books of every month the cache's orders touch (as month locks synced from the hub)."""
    with Cache(path) as cache, cache.write() as c:
        c.exec_driver_sql(
            "INSERT OR IGNORE INTO month_locks (month, actor, at_ms) SELECT DISTINCT "
            "strftime('%Y-%m', (observed_at_ms + 28800000) / 1000, 'unixepoch'), 'finance', 0 FROM observations "
            "UNION SELECT DISTINCT strftime('%Y-%m', (created_at_ms + 28800000) / 1000, 'unixepoch'), 'finance', 0 FROM orders"
        )


@pytest.fixture
def station(synced, tmp_path: Path) -> Path:
    path = tmp_path / "cache.sqlite3"
    shutil.copy(synced.good, path)
    lock_every_month(path)
    return path


def test_orders_of_a_month_whose_books_are_open_stay(synced, tmp_path: Path) -> None:
    """BI versus finance of a month not locked yet still needs its orders: none leaves until it is."""
    path = tmp_path / "open-books.sqlite3"
    shutil.copy(synced.good, path)
    with Cache(path) as cache:
        report = retention.prune(cache, 90, now_ms=FAR_FUTURE_MS)
        with cache.write() as c:
            c.exec_driver_sql("INSERT INTO month_locks (month, actor, at_ms) VALUES ('2026-01', 'finance', 0)")
        partly = retention.prune(cache, 90, now_ms=FAR_FUTURE_MS)
        with cache.read() as c:
            left_in_january = c.exec_driver_sql(
                f"SELECT COUNT(*) FROM orders o WHERE {retention.closed_orders()}", {"cutoff": FAR_FUTURE_MS}).scalar()  # fmt: skip
    assert report.orders_pruned == 0 and report.orders_waiting_for_locks > 0
    assert report.orders_waiting_for_locks + report.orders_older_kept_open == synced.orders
    assert partly.orders_pruned > 0 and left_in_january == 0  # once January's books closed, its closed orders went


def _closed_and_open(path: Path) -> tuple[set[str], set[str]]:
    with Cache(path) as cache, cache.read() as c:
        closed = {r[0] for r in c.exec_driver_sql(
            f"SELECT o.domain_id FROM orders o WHERE {retention.closed_orders()}", {"cutoff": FAR_FUTURE_MS - 90 * retention.DAY_MS})}  # fmt: skip
        everything = {r[0] for r in c.exec_driver_sql("SELECT domain_id FROM orders")}
    return closed, everything - closed


def test_old_closed_orders_leave_open_ones_stay_and_the_chain_still_verifies(station: Path, synced) -> None:
    closed, still_open = _closed_and_open(station)
    assert closed and still_open  # the demo has both
    with Cache(station) as cache:
        with cache.read() as c:
            head_before = audit.head(c)
            counts_before = c.exec_driver_sql("SELECT scope, day, n FROM insight_changes ORDER BY 1, 2").all()
        seen: list[tuple[int, int]] = []
        report = retention.prune(cache, 90, now_ms=FAR_FUTURE_MS, progress=lambda d, t: seen.append((d, t)))
        with cache.read() as c:
            left = {r[0] for r in c.exec_driver_sql("SELECT domain_id FROM orders")}
            verified = audit.verify(c)
            anchors = retention.anchors(c)
            counts_after = c.exec_driver_sql("SELECT scope, day, n FROM insight_changes ORDER BY 1, 2").all()
            orphans = c.exec_driver_sql(
                "SELECT (SELECT COUNT(*) FROM observations WHERE order_id NOT IN (SELECT id FROM orders)) + "
                "(SELECT COUNT(*) FROM events WHERE order_id NOT IN (SELECT id FROM orders)) + "
                "(SELECT COUNT(*) FROM order_lines WHERE order_id NOT IN (SELECT id FROM orders))"
            ).scalar()
    assert report.orders_pruned == len(closed) and left == still_open and orphans == 0
    assert seen[-1] == (len(closed), len(closed))
    assert counts_after == counts_before  # a past day's kept figure is not recomputed from what is left
    # The chain: everything was older than the window, so all of it went to one archive segment,
    # which verifies on its own and ends at the anchor; the file's chain starts there.
    # The prune's own entry (cache.prune) came after head_before and, dated now, is older than this window too.
    assert verified.ok and verified.entries == 0 and verified.head_seq == head_before[0] + 1
    ((seq, digest, name, entries),) = anchors
    assert (seq, digest) == (verified.head_seq, verified.head_hash)
    assert report.archive is not None and report.archive.name == name
    segment = retention.verify_archive(report.archive)
    assert segment.ok and segment.entries == entries == report.audit_archived
    assert (segment.head_seq, segment.head_hash) == (seq, digest)
    assert full_check(station, deep=True).ok


def test_an_edited_archive_is_named(station: Path) -> None:
    with Cache(station) as cache:
        report = retention.prune(cache, 90, now_ms=FAR_FUTURE_MS)
    assert report.archive is not None
    with gzip.open(report.archive, "rt", encoding="utf-8") as f:
        lines = f.readlines()
    entry = json.loads(lines[3])
    entry["operator"] = "mallory"
    lines[3] = json.dumps(entry, ensure_ascii=False) + "\n"
    with gzip.open(report.archive, "wt", encoding="utf-8") as f:
        f.writelines(lines)
    result = retention.verify_archive(report.archive)
    assert not result.ok and (result.problem.seq, result.problem.kind) == (entry["seq"], "edited")


def test_new_entries_chain_on_from_the_anchor(station: Path) -> None:
    from tests.conftest import order

    with Cache(station) as cache:
        retention.prune(cache, 90, now_ms=FAR_FUTURE_MS)
        from orderdesk.sync.cache.apply import CacheWriter

        CacheWriter(cache, operator="packer").apply([order("AFTER-PRUNE-1")], [])
        with cache.read() as c:
            verified = audit.verify(c)
    assert verified.ok and verified.entries >= 1


def test_a_window_before_everything_prunes_nothing(station: Path) -> None:
    with Cache(station) as cache:
        report = retention.prune(cache, 90, now_ms=0)
    assert report.orders_pruned == 0 and report.audit_archived == 0 and report.archive is None


def test_cancelling_keeps_what_was_done_and_the_file_whole(station: Path) -> None:
    with Cache(station) as cache:
        report = retention.prune(cache, 90, now_ms=FAR_FUTURE_MS, cancelled=lambda: True)
    assert report.cancelled and report.orders_pruned == 0 and report.archive is None
    assert full_check(station, deep=True).ok


def test_a_window_of_no_days_is_refused_naming_the_field(station: Path) -> None:
    with Cache(station) as cache, pytest.raises(ValueError, match="days"):
        retention.prune(cache, 0)


def find_order(c, domain_id: str) -> dict | None:
    ids = find_orders(c, domain_id)
    return order_document(c, ids[0]) if ids else None


def test_a_pruned_order_comes_back_from_the_hub_when_asked_for(station: Path, synced) -> None:
    closed, _ = _closed_and_open(station)
    wanted = sorted(closed)[0]
    with Cache(station) as cache:
        with cache.read() as c:
            before = find_order(c, wanted)
        retention.prune(cache, 90, now_ms=FAR_FUTURE_MS)
        with cache.read() as c:
            assert find_order(c, wanted) is None

        async def ask() -> bool:
            async with HubClient(synced.url, synced.token) as client:
                assert not await retention.bring_back(cache, client, "DB20991231XXXXXXXXXXXX", "supervisor")
                return await retention.bring_back(cache, client, wanted, "supervisor")

        assert asyncio.run(ask())
        with cache.read() as c:
            after = find_order(c, wanted)
            verified = audit.verify(c)
    assert after is not None and before is not None and verified.ok
    assert (after["fulfilment"], after["receiver"]["name"]) == (before["fulfilment"], before["receiver"]["name"])


@given(damage=st.lists(st.tuples(st.integers(0, 10_000), st.binary(min_size=1, max_size=8)), max_size=4),
       cut=st.one_of(st.none(), st.integers(0, 5000)))  # fmt: skip
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_damaged_archive_is_said_in_words_never_a_traceback(archived: Path, tmp_path: Path, damage, cut) -> None:
    raw = bytearray(archived.read_bytes())
    for at, replacement in damage:
        at %= len(raw)
        raw[at : at + len(replacement)] = replacement
    if cut is not None:
        del raw[cut:]
    broken = tmp_path / "broken.jsonl.gz"
    broken.write_bytes(bytes(raw))
    try:
        result = retention.verify_archive(broken)
    except ValueError as exc:
        assert "audit archive" in str(exc)
    else:
        assert result.ok or result.problem is not None


@pytest.fixture
def archived(synced, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("archived") / "cache.sqlite3"
    shutil.copy(synced.good, path)
    lock_every_month(path)
    with Cache(path) as cache:
        report = retention.prune(cache, 90, now_ms=FAR_FUTURE_MS)
    assert report.archive is not None
    return report.archive


def test_a_pruned_order_the_feed_changes_comes_back_whole_not_from_the_change_alone(
    station: Path, synced, tmp_path: Path
) -> None:
    """A receiver's address fixed at the hub on a settled order this station pruned: the feed's change
    alone would bring the order back unpaid (none of its observations); the sync asks the hub for it whole."""
    from orderdesk.hub.rows import order_rows
    from orderdesk.hub.server import BackgroundHub
    from orderdesk.hub.store import HubStore
    from orderdesk.sync.cache.apply import CacheWriter
    from orderdesk.sync.contract import OrderRecord
    from orderdesk.sync.syncer import Syncer
    from tests.conftest import token_for

    hub_file = tmp_path / "hub.sqlite3"
    with sqlite3.connect(Path(synced.good).parent / "hub.sqlite3") as source, sqlite3.connect(hub_file) as copy:
        source.backup(copy)  # a hub of our own to change, as the shared one is now (its WAL included)
    store = HubStore(f"sqlite:///{hub_file}")
    store.ensure_demo_users()
    server = BackgroundHub(store)
    server.start()
    try:
        closed, _ = _closed_and_open(station)
        wanted = sorted(closed)[0]
        with Cache(station) as cache:
            with cache.read() as c:
                before = find_order(c, wanted)
            with cache.write() as c:  # this station followed this hub's feed up to now
                c.exec_driver_sql("UPDATE sync_state SET key = replace(key, ?, ?)", (synced.url, server.url))
            retention.prune(cache, 90, now_ms=FAR_FUTURE_MS)

            async def fix_and_sync() -> None:
                async with HubClient(server.url, token_for(server.url, "supervisor")) as client:
                    record = (await client.order(wanted))["order"]
                    record["receiver"]["address"] += "(改)"
                    with store.write() as c:
                        store.put_order_rows(c, order_rows([OrderRecord.model_validate(record)]))
                    summary = await Syncer(client, CacheWriter(cache, operator="packer")).run_once()
                    assert summary.caught_up and not summary.relisted

            asyncio.run(fix_and_sync())
            with cache.read() as c:
                after = find_order(c, wanted)
    finally:
        server.stop()
        store.close()
    assert after is not None and before is not None
    assert after["receiver"]["address"].endswith("(改)")
    assert (after["fulfilment"], after["refund"]) == (before["fulfilment"], before["refund"])  # not unpaid
    assert len(after["observations"]) == len(before["observations"])
