"""The append-only audit log, chained by hashes so that an edited, inserted or removed entry shows.

Two hashes per entry: the *content hash* covers what the entry says (operator, source system,
source, action, entity, before, after, raw payload) and can be made anywhere, ahead of time; the
*chain hash*, the one stored, covers the entry's place (seq), its time, its content hash and the
previous entry's chain hash. SQLite triggers refuse UPDATE and DELETE; `verify` recomputes both
hashes and catches whatever gets past them (a raw edit of the file, dropped triggers). Removing
entries from the very end, or rewriting the whole chain, can only be caught by comparing with a head
recorded elsewhere: `head()` gives it, `verify(expect_head=…)` checks it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import Connection

GENESIS = "0" * 64
_COLUMNS = (
    "seq, at_ms, operator, source_system, source, action, entity_key, before_json, after_json, "
    "payload_json, prev_hash, hash"
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

    @classmethod
    def of(
        cls, operator: str, source_system: str, source: str, action: str, entity_key: str,
        before_json: str, after_json: str, payload_json: str,
    ) -> AuditDraft:  # fmt: skip
        fields = (operator, source_system, source, action, entity_key, before_json, after_json, payload_json)
        return cls(*fields, content_hash(*fields))


def head(connection: Connection) -> tuple[int, str]:
    row = connection.exec_driver_sql("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").first()
    return (int(row[0]), str(row[1])) if row else (0, GENESIS)


def append(connection: Connection, drafts: Iterable[AuditDraft], at_ms: int) -> int:
    """Append entries in order at time ``at_ms``, inside the caller's write transaction."""
    seq, prev = head(connection)
    rows = []
    for d in drafts:
        seq += 1
        digest = chain_hash(seq, at_ms, d.content_hash, prev)
        rows.append((seq, at_ms, d.operator, d.source_system, d.source, d.action, d.entity_key, d.before_json,
                     d.after_json, d.payload_json, prev, digest))  # fmt: skip
        prev = digest
    if rows:
        connection.exec_driver_sql(f"INSERT INTO audit_log ({_COLUMNS}) VALUES ({', '.join('?' * 12)})", rows)
    return len(rows)


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
    """Walk the chain from the start; report the first entry that was edited, inserted or removed."""
    expected_seq, prev_hash, count = 1, GENESIS, 0
    cursor = connection.exec_driver_sql(f"SELECT {_COLUMNS} FROM audit_log ORDER BY seq")
    for row in cursor:
        count += 1
        seq, at_ms, stored_prev, stored_hash = row[0], row[1], row[10], row[11]
        if seq != expected_seq:
            gap = f"{expected_seq}" if seq == expected_seq + 1 else f"{expected_seq}–{seq - 1}"
            return _failed(count, expected_seq, "removed", message=f"entry {gap} was removed (the chain jumps to {seq})",
                           message_zh=f"第 {gap} 条被删除(链直接跳到第 {seq} 条)")  # fmt: skip
        content = content_hash(*("" if v is None else str(v) for v in row[2:10]))
        if chain_hash(seq, at_ms, content, stored_prev) != stored_hash:
            if stored_prev == prev_hash:
                return _failed(count, seq, "edited", message=f"entry {seq} was edited: its content no longer matches its hash",
                               message_zh=f"第 {seq} 条被改动:内容与其哈希不再相符")  # fmt: skip
            return _failed(count, seq, "inserted", message=f"entry {seq} was inserted or rewritten: it is not chained",
                           message_zh=f"第 {seq} 条是插入或重写的:它不在链上")  # fmt: skip
        if stored_prev != prev_hash:
            return _failed(count, seq, "inserted",
                           message=f"entry {seq} does not follow entry {seq - 1}: an entry was inserted or rewritten here",
                           message_zh=f"第 {seq} 条接不上第 {seq - 1} 条:此处有条目被插入或重写")  # fmt: skip
        expected_seq, prev_hash = seq + 1, stored_hash
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


def _failed(count: int, seq: int, kind: str, *, message: str, message_zh: str) -> Verification:
    return Verification(False, count, seq, "", Problem(seq, kind, message, message_zh))
