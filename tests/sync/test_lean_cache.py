"""Issue #17: the cache keeps each fact once; what it keeps reads back as it came; a file made by the
release before (revision 0013) moves to the new layout in place, its audit chain still whole."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orderdesk.sync.cache import Cache, audit, deflate
from orderdesk.sync.cache.full_check import full_check
from orderdesk.sync.cache.queries import order_document
from orderdesk.sync.cache.stats import measure

OLD_FILE = Path(__file__).parent / "data" / "cache-0013.sqlite3.gz"  # 300 demo orders, made by the 0013 release


def test_the_first_dictionary_never_changes() -> None:
    """Files keep what it made: a changed dictionary would make every stored payload unreadable."""
    digest = hashlib.sha256(deflate.DICTIONARIES[1]).hexdigest()
    assert digest == "03eee4bcc840199730127acaa80f0b83dcf0bc128caecb68cc5bc2398cb9ae8f"


@given(st.text(max_size=2000))
def test_any_text_comes_back_as_it_went_in(text: str) -> None:
    packed = deflate.pack(text)
    assert deflate.unpack(packed) == text
    if isinstance(packed, bytes):
        assert len(packed) * 3 <= len(text.encode()) * 2  # only where it pays


@given(st.binary(max_size=300))
def test_damaged_bytes_are_refused_in_words_never_a_traceback(blob: bytes) -> None:
    try:
        deflate.unpack(blob)
    except ValueError as exc:
        assert "payload" in str(exc)


def test_an_observation_payload_that_is_its_fields_is_kept_once() -> None:
    assert deflate.stored_observation_payload('{"status":1}', '{"status":1}') == ""
    assert deflate.observation_payload("", '{"status":1}') == '{"status":1}'
    raw = json.dumps({"raw": "x" * 300, "status": 1})
    assert deflate.observation_payload(deflate.stored_observation_payload(raw, '{"status":1}'), '{"status":1}') == raw


@pytest.fixture
def old_file(tmp_path: Path) -> Path:
    path = tmp_path / "cache.sqlite3"
    with gzip.open(OLD_FILE) as packed, path.open("wb") as out:
        shutil.copyfileobj(packed, out)
    return path


def test_a_file_of_the_release_before_moves_in_place_and_shows_the_same(old_file: Path) -> None:
    db = sqlite3.connect(old_file)
    assert db.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0013"
    old_entries = db.execute("SELECT seq, hash FROM audit_log ORDER BY seq").fetchall()
    old_payloads = dict(db.execute("SELECT seq, payload_json FROM audit_log").fetchall())
    old_observations = dict(db.execute("SELECT id, payload_json FROM observations").fetchall())
    db.close()
    before = measure(old_file)
    with Cache(old_file) as cache:
        assert cache.backup is not None and cache.backup.exists()  # the file as it was, kept first
        with cache.read() as c:
            verified = audit.verify(c)
            entries = {e.seq: e for e in audit.entries(c)}
            observations = {i: deflate.observation_payload(p, f)
                            for i, p, f in c.exec_driver_sql("SELECT id, payload_json, fields_json FROM observations")}  # fmt: skip
            documents = [order_document(c, r[0]) for r in c.exec_driver_sql("SELECT id FROM orders")]
    assert verified.ok and verified.entries == len(old_entries)
    assert (verified.head_seq, verified.head_hash) == old_entries[-1]  # the same head: a recorded one still holds
    assert {s: e.payload_json for s, e in entries.items()} == old_payloads
    assert observations == old_observations
    assert len(documents) == 300 and all(d["audit"] and d["observations"] for d in documents)
    after = measure(old_file)
    assert after.per_order(after.used_bytes) < before.per_order(before.used_bytes) * 0.75
    assert full_check(old_file, deep=True).ok


def test_an_edited_observation_payload_fails_the_full_check(old_file: Path) -> None:
    Cache(old_file).close()
    with sqlite3.connect(old_file) as raw:
        raw.execute("UPDATE observations SET payload_json = '{not json' WHERE id = 1")
    result = full_check(old_file, deep=True)
    assert not result.ok and "observations" in result.problems[0].what.en
