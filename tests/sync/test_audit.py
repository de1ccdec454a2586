"""The audit chain catches an edited, removed or inserted entry; the triggers refuse casual edits."""

from __future__ import annotations

import json
import sqlite3

import pytest
from sqlalchemy.exc import IntegrityError

from orderdesk.sync.cache import audit
from tests.conftest import obs, order, ref


@pytest.fixture
def chained(writer, cache):
    writer.apply([order("A1"), order("A2"), order("A3")], [obs("douyin", 105, "2026-01-24T15:00:00+08:00", ref("A1"))])
    with cache.read() as c:
        result = audit.verify(c)
    assert result.ok and result.entries >= 4
    return cache


def _raw(cache):
    """A tamperer with the file in hand: no SQLAlchemy, triggers dropped."""
    connection = sqlite3.connect(cache.path)
    connection.execute("DROP TRIGGER audit_log_no_update")
    connection.execute("DROP TRIGGER audit_log_no_delete")
    return connection


def test_triggers_refuse_update_and_delete(chained):
    with pytest.raises(IntegrityError, match="append-only"), chained.write() as c:
        c.exec_driver_sql("UPDATE audit_log SET operator = 'mallory' WHERE seq = 1")
    with pytest.raises(IntegrityError, match="append-only"), chained.write() as c:
        c.exec_driver_sql("DELETE FROM audit_log WHERE seq = 1")


def test_an_edited_entry_is_named(chained):
    with _raw(chained) as raw:
        raw.execute("UPDATE audit_log SET payload_json = '{\"status\": 5}' WHERE seq = 2")
    with chained.read() as c:
        result = audit.verify(c)
    assert not result.ok and (result.problem.seq, result.problem.kind) == (2, "edited")


def test_a_removed_entry_is_named(chained):
    with _raw(chained) as raw:
        raw.execute("DELETE FROM audit_log WHERE seq = 2")
    with chained.read() as c:
        result = audit.verify(c)
    assert not result.ok and (result.problem.seq, result.problem.kind) == (2, "removed")


def test_an_inserted_entry_is_named(chained):
    with _raw(chained) as raw:
        raw.execute("UPDATE audit_log SET seq = seq + 1000 WHERE seq >= 3")  # make room in the middle
        fields = ("mallory", "channel", "douyin", "order.state", "DB20260124FRGD00000000", "{}", "{}", "{}")
        forged_prev = "f" * 64
        digest = audit.chain_hash(3, 1, audit.content_hash(*fields), forged_prev)  # well formed, not chained
        raw.execute("INSERT INTO audit_log VALUES (3, 1, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?)",
                    (*fields, bytes.fromhex(digest)))  # fmt: skip
    with chained.read() as c:
        result = audit.verify(c)
    assert not result.ok and (result.problem.seq, result.problem.kind) == (3, "inserted")


def test_truncation_is_caught_against_a_recorded_head(chained):
    with chained.read() as c:
        recorded = audit.head(c)
    with _raw(chained) as raw:
        raw.execute("DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)")
    with chained.read() as c:
        assert audit.verify(c).ok  # invisible without an anchor…
        result = audit.verify(c, expect_head=recorded)
    assert not result.ok and result.problem.kind == "truncated"  # …and caught with one


def test_an_edited_fold_state_is_named_though_many_entries_share_it(chained):
    """A fold state is stored once (audit_texts) and named by number: editing it edits every entry
    that names it, and the first of them is named."""
    with _raw(chained) as raw:
        first = raw.execute("SELECT MIN(seq) FROM audit_log WHERE after_text IS NOT NULL").fetchone()[0]
        text_id = raw.execute("SELECT after_text FROM audit_log WHERE seq = ?", (first,)).fetchone()[0]
        raw.execute("UPDATE audit_texts SET body = replace(body, 'false', 'true') WHERE id = ?", (text_id,))
    with chained.read() as c:
        result = audit.verify(c)
    assert not result.ok and (result.problem.seq, result.problem.kind) == (first, "edited")


def test_a_deflated_payload_edited_inside_is_named(writer, cache):
    """The order record of ``order.created`` is kept deflated: a flipped byte in it fails to unpack or
    unpacks to other text, and either way the entry is named."""
    writer.apply([order("B1")], [])
    with _raw(cache) as raw:
        seq, packed = raw.execute(
            "SELECT seq, payload_json FROM audit_log WHERE typeof(payload_json) = 'blob'"
        ).fetchone()
        raw.execute(
            "UPDATE audit_log SET payload_json = ? WHERE seq = ?",
            (packed[:-3] + bytes([packed[-3] ^ 1]) + packed[-2:], seq),
        )
    with cache.read() as c:
        result = audit.verify(c)
    assert not result.ok and (result.problem.seq, result.problem.kind) == (seq, "edited")


def test_entries_read_back_as_the_texts_that_were_hashed(chained):
    with chained.read() as c:
        entries = list(audit.entries(c))
        created = [e for e in entries if e.action == "order.created"]
    assert created and all(json.loads(e.payload_json)["channel_order_no"] for e in created)
    assert all(json.loads(e.before_json) is None and json.loads(e.after_json)["refund"] for e in created)
