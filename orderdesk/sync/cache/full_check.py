"""The full check of a cache file: every page read, every index compared with its table, every JSON
column parsed, the audit chain recomputed. What each step finds (measured, see docs/cache.md "A damaged cache", "The cache
file"):

- ``PRAGMA integrity_check``: broken pages, a record that does not parse, and (unlike
  ``quick_check``, which misses them) an index that disagrees with its table, which is what a
  flipped byte inside an indexed value or inside an index page looks like;
- ``json_valid`` over every JSON column outside the audit log: a flipped byte inside stored JSON;
- the audit chain (``audit.verify``): any change inside an audit entry;
- on demand only (``deep``, `orderdesk cache check`), FTS5's own ``integrity-check`` of the search
  index: it needs a write transaction, so it would hold up a writer while it runs.

A flipped byte inside a value that is neither indexed, JSON nor audited (a receiver's address, say)
cannot be seen by any check: SQLite keeps no checksums of its pages.

It reads through its own connection: a cache in use keeps working (WAL readers never block the
writer). ``in_background`` runs it in a thread of its own at a lower priority."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.exc import DBAPIError

from orderdesk.sync.cache import audit, check_record
from orderdesk.sync.cache.trouble import CacheUnusable, classify, cut, damaged

JSON_COLUMNS = {
    "observations": ("fields_json", "payload_json"),
    "anomalies": ("detail_json",),
    "pending_observations": ("record_json",),
    "quarantine": ("record_json", "errors_json"),
    "mapping_tables": ("document_json",),
    "outbox": ("payload_json",),
    "print_jobs": ("preflight_json",),
    "label_queue": ("substitutions_json",),
}

# Raw payloads kept as '' (the fields are the payload) or deflated (deflate.py): the text ones are checked.
PACKED = {("observations", "payload_json")}


@dataclass
class FullCheck:
    problems: list[CacheUnusable] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    audit_entries: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_json(self) -> dict[str, object]:
        return {"ok": self.ok, "problems": [p.as_json() for p in self.problems],
                "seconds": {k: round(v, 3) for k, v in self.seconds.items()}, "audit_entries": self.audit_entries}  # fmt: skip


def full_check(path: Path, *, deep: bool = False, record: bool = True) -> FullCheck:
    """Check ``path`` fully; with ``record``, remember the outcome beside it (``check_record``)."""
    result = FullCheck()
    writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
    uri = f"{path.resolve().as_uri()}?mode={'rw' if writable else 'ro'}"
    try:
        db = sqlite3.connect(uri, uri=True, timeout=30)
    except sqlite3.Error as exc:
        result.problems.append(classify(exc, path) or damaged(path, str(exc)))
        return result
    try:
        _step(result, path, "integrity_check", lambda: _integrity(db, path))
        _step(result, path, "json", lambda: _json(db, path))
        _step(result, path, "audit_chain", lambda: _audit(path, uri, result))
        if deep and writable:
            _step(result, path, "search_index", lambda: _search_index(db, path))
    finally:
        db.close()
    if record:
        if result.ok:
            check_record.note_passed(path)
        elif any(p.kind in ("damaged", "truncated", "not_a_database") for p in result.problems):
            check_record.note_failed(path, result.problems[0])
    return result


def _step(result: FullCheck, path: Path, name: str, work: Callable[[], CacheUnusable | None]) -> None:
    started = time.perf_counter()
    try:
        found = work()
    except (sqlite3.Error, DBAPIError, UnicodeDecodeError) as exc:  # a damaged page: bytes that are not UTF-8 too
        found = classify(exc, path) or damaged(path, f"{name}: {exc}")
    result.seconds[name] = time.perf_counter() - started
    if found is not None:
        result.problems.append(found)


def _integrity(db: sqlite3.Connection, path: Path) -> CacheUnusable | None:
    lines = [str(r[0]) for r in db.execute("PRAGMA integrity_check(10)")]
    if lines == ["ok"]:
        return None
    said = "; ".join(line.replace("*** in database main ***", "").strip() for line in lines)
    return CacheUnusable("damaged", path, what_en=f"The cache file {path} is damaged: SQLite's integrity check says {cut(said)}",
                         what_zh=f"缓存文件 {path} 已损坏:SQLite 完整性检查报告 {cut(said)}", detail=said)  # fmt: skip


def _json(db: sqlite3.Connection, path: Path) -> CacheUnusable | None:
    for table, columns in JSON_COLUMNS.items():
        where = " OR ".join(f"NOT json_valid({c})" if (table, c) not in PACKED else
                            f"NOT ({c} = '' OR typeof({c}) = 'blob' OR json_valid({c}))" for c in columns)  # fmt: skip
        row = db.execute(f"SELECT rowid FROM {table} WHERE {where} LIMIT 1").fetchone()
        if row is not None:
            said = f"row {row[0]} of {table} holds JSON that does not parse ({', '.join(columns)})"
            return CacheUnusable("damaged", path, what_en=f"The cache file {path} is damaged: {said}",
                                 what_zh=f"缓存文件 {path} 已损坏:表 {table} 第 {row[0]} 行的 JSON 无法解析", detail=said)  # fmt: skip
    return None


def _audit(path: Path, uri: str, result: FullCheck) -> CacheUnusable | None:
    engine = create_engine(f"sqlite:///{uri}&uri=true")
    try:
        with engine.connect() as c:
            verified = audit.verify(c)
    finally:
        engine.dispose()
    result.audit_entries = verified.entries
    if verified.ok or verified.problem is None:
        return None
    p = verified.problem
    return CacheUnusable("damaged", path,
                         what_en=f"The cache file {path} is damaged: its audit log fails the hash chain at entry {p.seq} ({p.message})",
                         what_zh=f"缓存文件 {path} 已损坏:审计日志在第 {p.seq} 条处哈希链不符({p.message_zh})",
                         detail=f"audit chain: {p.kind} at entry {p.seq}")  # fmt: skip


def _search_index(db: sqlite3.Connection, path: Path) -> CacheUnusable | None:
    try:
        db.execute("INSERT INTO order_search(order_search) VALUES ('integrity-check')")
    except sqlite3.DatabaseError as exc:
        if (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF != sqlite3.SQLITE_CORRUPT:
            raise
        return CacheUnusable("damaged", path, what_en=f"The cache file {path} is damaged: its search index fails its check ({cut(exc)})",
                             what_zh=f"缓存文件 {path} 已损坏:搜索索引未通过检查({cut(exc)})", detail=f"search index: {exc}")  # fmt: skip
    finally:
        if db.in_transaction:
            db.rollback()
    return None


async def in_background(path: Path, *, nice: int = 10) -> FullCheck:
    """The full check in a thread of its own, at a lower priority where the system allows it (not a
    pooled worker thread: the priority would stay with the thread for whatever runs on it next)."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[FullCheck] = loop.create_future()

    def run() -> None:
        with contextlib.suppress(AttributeError, OSError):  # Linux: each thread has its own niceness
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)
        try:
            outcome: FullCheck | BaseException = full_check(path)
        except BaseException as exc:  # handed to the awaiting task, never lost in a thread
            outcome = exc

        def hand_over() -> None:
            if done.done():
                return
            if isinstance(outcome, BaseException):
                done.set_exception(outcome)
            else:
                done.set_result(outcome)

        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile: nobody waits any more
            loop.call_soon_threadsafe(hand_over)

    threading.Thread(target=run, name="cache-full-check", daemon=True).start()
    return await done
