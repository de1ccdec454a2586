"""The append-only audit log, chained by hashes so that an edited, inserted or removed entry shows.

Two hashes per entry: the *content hash* covers what the entry says (operator, source system,
source, action, entity, before, after, raw payload) and can be made anywhere, ahead of time; the
*chain hash*, the one stored, covers the entry's place (seq), its time, its content hash and the
previous entry's chain hash. SQLite triggers refuse UPDATE, and DELETE of anything newer than the
anchor (below); `verify` recomputes both hashes and catches whatever gets past them (a raw edit of
the file, dropped triggers). Removing entries from the very end, or rewriting the whole chain, can
only be caught by comparing with a head recorded elsewhere: `head()` gives it, `verify(expect_head=…)`
checks it.

How an entry is stored (migration 0014, issue #17), none of which changes what is hashed:
- the states before and after (``order.state``, ``order.created``) recur across orders: each is kept
  once in ``audit_texts`` and an entry names it by number (``before_text``, ``after_text``); other
  entries keep their texts inline (``before_json``, ``after_json``);
- the raw payload is text, or deflated with a preset dictionary where that pays (`deflate.py`);
- the chain hash is 32 bytes, and the previous entry's hash is not stored again: it is the previous
  row's;
- pruning (`orderdesk cache prune`, `sync/cache/retention.py`) writes the oldest entries to an archive
  file first and keeps the last one's seq and hash as the *anchor*: the chain then starts there.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import Connection

from orderdesk.sync.cache import deflate

GENESIS = "0" * 64
INTERNED_ACTIONS = frozenset({"order.state", "order.created"})  # their before/after are fold states
# Every entry as its texts: what `verify`, the order detail and the archive read.
ENTRIES = (
    "SELECT a.seq, a.at_ms, a.operator, a.source_system, a.source, a.action, a.entity_key, "
    "COALESCE(a.before_json, b.body), COALESCE(a.after_json, f.body), a.payload_json, a.hash "
    "FROM audit_log a LEFT JOIN audit_texts b ON b.id = a.before_text LEFT JOIN audit_texts f ON f.id = a.after_text"
)
_INSERT = (
    "INSERT INTO audit_log (seq, at_ms, operator, source_system, source, action, entity_key, before_json, "
    "after_json, before_text, after_text, payload_json, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def content_hash(*fields: str) -> str:
    """SHA-256 over the fields, each framed by its length, so no two different entries frame alike."""
    body = "".join([f"{len(field)}:{field};" for field in fields])
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def chain_hash(seq: int, at_ms: int, content: str, prev_hash: str) -> str:
    return hashlib.sha256(f"{seq}:{at_ms}:{content}:{prev_hash}".encode()).hexdigest()


class AuditDraft(NamedTuple):
    """An entry before it has its place (and time) in the chain."""

    operator: str
    source_system: str
    source: str
    action: str
    entity_key: str
    before_json: str
    after_json: str
    payload_json: str
    content_hash: str
    stored_payload: str | bytes  # what the row keeps: the payload, or deflated (made here: in a preparing worker)

    @classmethod
    def of(
        cls, operator: str, source_system: str, source: str, action: str, entity_key: str,
        before_json: str, after_json: str, payload_json: str,
    ) -> AuditDraft:  # fmt: skip
        fields = (operator, source_system, source, action, entity_key, before_json, after_json, payload_json)
        return cls(*fields, content_hash(*fields), deflate.pack(payload_json))


class Entry(NamedTuple):
    """A stored entry as its texts (the payload unpacked)."""

    seq: int
    at_ms: int
    operator: str
    source_system: str
    source: str
    action: str
    entity_key: str
    before_json: str
    after_json: str
    payload_json: str
    hash: str

    @classmethod
    def of_row(cls, row: Sequence[Any]) -> Entry:
        seq, at_ms, operator, system, source, action, entity, before, after, payload, digest = row
        return cls(seq, at_ms, operator, system, source, action, entity, before, after,
                   deflate.unpack(payload) or "", bytes(digest).hex())  # fmt: skip

    def content(self) -> str:
        return content_hash(self.operator, self.source_system, self.source, self.action, self.entity_key,
                            self.before_json, self.after_json, self.payload_json)  # fmt: skip


def anchor(connection: Connection) -> tuple[int, str]:
    """Where the chain starts in this file: after the last pruned entry, or at the beginning."""
    row = connection.exec_driver_sql("SELECT seq, hash FROM audit_anchor ORDER BY seq DESC LIMIT 1").first()
    return (int(row[0]), bytes(row[1]).hex()) if row else (0, GENESIS)


def head(connection: Connection) -> tuple[int, str]:
    row = connection.exec_driver_sql("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").first()
    return (int(row[0]), bytes(row[1]).hex()) if row else anchor(connection)


def append(connection: Connection, drafts: Iterable[AuditDraft], at_ms: int) -> int:
    """Append entries in order at time ``at_ms``, inside the caller's write transaction."""
    drafts = list(drafts)
    if not drafts:
        return 0
    texts = _text_numbers(connection, {t for d in drafts if d.action in INTERNED_ACTIONS
                                       for t in (d.before_json, d.after_json)})  # fmt: skip
    seq, prev = head(connection)
    rows = []
    for d in drafts:
        seq += 1
        digest = chain_hash(seq, at_ms, d.content_hash, prev)
        before, after = (None, None) if d.action in INTERNED_ACTIONS else (d.before_json, d.after_json)
        rows.append((seq, at_ms, d.operator, d.source_system, d.source, d.action, d.entity_key, before, after,
                     None if before is not None else texts[d.before_json],
                     None if after is not None else texts[d.after_json],
                     d.stored_payload, bytes.fromhex(digest)))  # fmt: skip
        prev = digest
    connection.exec_driver_sql(_INSERT, rows)
    return len(rows)


def _text_numbers(connection: Connection, texts: set[str]) -> dict[str, int]:
    """The numbers of these texts in ``audit_texts``, adding those not there yet (one query each way)."""
    if not texts:
        return {}
    wanted = sorted(texts)
    numbers: dict[str, int] = {}
    for i in range(0, len(wanted), 500):
        part = wanted[i : i + 500]
        sql = f"SELECT body, id FROM audit_texts WHERE body IN ({', '.join('?' * len(part))})"
        numbers.update((str(body), int(n)) for body, n in connection.exec_driver_sql(sql, tuple(part)))
    missing = [t for t in wanted if t not in numbers]
    if missing:
        connection.exec_driver_sql("INSERT INTO audit_texts (body) VALUES (?)", [(t,) for t in missing])
        for i in range(0, len(missing), 500):
            part = missing[i : i + 500]
            sql = f"SELECT body, id FROM audit_texts WHERE body IN ({', '.join('?' * len(part))})"
            numbers.update((str(body), int(n)) for body, n in connection.exec_driver_sql(sql, tuple(part)))
    return numbers


def entries(connection: Connection, where: str = "", params: tuple[object, ...] = ()) -> Iterator[Entry]:
    """Stored entries as texts, in chain order (``where`` over ``a.``, e.g. ``"a.entity_key = ?"``)."""
    sql = f"{ENTRIES}{f' WHERE {where}' if where else ''} ORDER BY a.seq"
    for row in connection.exec_driver_sql(sql, params):
        yield Entry.of_row(row)


@dataclass(frozen=True, slots=True)
class Problem:
    seq: int
    kind: str  # "edited", "removed", "inserted", "truncated"
    message: str
    message_zh: str


@dataclass(frozen=True, slots=True)
class Verification:
    ok: bool
    entries: int
    head_seq: int
    head_hash: str
    problem: Problem | None


def verify(connection: Connection, expect_head: tuple[int, str] | None = None) -> Verification:
    """Walk the chain from its anchor; report the first entry that was edited, inserted or removed.

    An entry whose hash does not follow was *inserted* when the entries after it were renumbered to
    make room (the next one's seq is not its seq + 1), else *edited* (its content changed, or a fold
    state it shares with later entries did)."""
    start_seq, prev_hash = anchor(connection)
    expected_seq, count = start_seq + 1, 0
    rows = connection.exec_driver_sql(f"{ENTRIES} WHERE a.seq > ? ORDER BY a.seq", (start_seq,))
    pending: Entry | None = None  # an entry that did not chain, waiting for the next to say how
    for row in rows:
        count += 1
        try:
            entry = Entry.of_row(row)
        except ValueError as exc:
            seq = int(row[0])
            return _failed(count, seq, "edited", message=f"entry {seq} was edited: {exc}",
                           message_zh=f"第 {seq} 条被改动:载荷无法读出")  # fmt: skip
        if pending is not None:  # renumbered around it: put there; else its content changed (maybe a shared text)
            return _broken(count - 1, pending, edited=entry.seq == pending.seq + 1)
        if entry.seq != expected_seq:
            gap = f"{expected_seq}" if entry.seq == expected_seq + 1 else f"{expected_seq}–{entry.seq - 1}"
            return _failed(count, expected_seq, "removed",
                           message=f"entry {gap} was removed (the chain jumps to {entry.seq})",
                           message_zh=f"第 {gap} 条被删除(链直接跳到第 {entry.seq} 条)")  # fmt: skip
        if chain_hash(entry.seq, entry.at_ms, entry.content(), prev_hash) != entry.hash:
            pending = entry
            continue
        expected_seq, prev_hash = entry.seq + 1, entry.hash
    if pending is not None:
        return _broken(count, pending, edited=True)
    last_seq = expected_seq - 1
    if expect_head is not None and (last_seq, prev_hash) != tuple(expect_head):
        want_seq = expect_head[0]
        if last_seq < want_seq:
            problem = Problem(last_seq + 1, "truncated",
                              f"the chain ends at entry {last_seq}, the recorded head is entry {want_seq}",
                              f"链止于第 {last_seq} 条,而记录的链头是第 {want_seq} 条:末尾被删除")  # fmt: skip
        else:
            problem = Problem(want_seq + 1, "inserted", f"the chain does not end at the recorded head (entry {want_seq})",
                              f"链的末尾与记录的链头(第 {want_seq} 条)不符")  # fmt: skip
        return Verification(False, count, last_seq, prev_hash, problem)
    return Verification(True, count, last_seq, prev_hash, None)


def _broken(count: int, entry: Entry, edited: bool) -> Verification:
    seq = entry.seq
    if edited:
        return _failed(count, seq, "edited", message=f"entry {seq} was edited: its content no longer matches its hash",
                       message_zh=f"第 {seq} 条被改动:内容与其哈希不再相符")  # fmt: skip
    return _failed(count, seq, "inserted", message=f"entry {seq} was inserted or rewritten: it is not chained",
                   message_zh=f"第 {seq} 条是插入或重写的:它不在链上")  # fmt: skip


def _failed(count: int, seq: int, kind: str, *, message: str, message_zh: str) -> Verification:
    return Verification(False, count, seq, "", Problem(seq, kind, message, message_zh))
