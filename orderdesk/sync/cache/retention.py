"""The retention window (issue #17 §5): a station keeps the orders of the last N days and every open
order; older closed orders leave the cache, and the oldest audit entries go to an archive file.

*Closed* means nothing can still happen to it here, and (``books_closed``, the default; the console
always) its books are closed: the month it was made in and the month of its last observation are both
locked by finance (month locks come from the hub: a locked month's BI-versus-finance figures are
final, so no figure needs its orders again; one cache serves every role signing in at a computer, so
a packer's session waits for them too; `cache prune --any-month` does not, by hand); settled,
cancelled or fully refunded; no refund
under way, no open anomaly, no print job that is not done, no rare-character label waiting, no action
waiting for the hub, no invoice requested and not yet issued (or withdrawn), and nothing changed it
inside the window (no observation dated inside it). The hub keeps every order: one that left the cache comes back from the hub when
someone asks for it (`bring_back`), or with the next change the feed brings for it.

The audit log is append-only and chained. Its entries older than the window are written first to
``<cache>.audit-<first>-<last>.jsonl.gz`` beside the cache (each entry's texts and chain hash, a
header naming the hash the segment starts from), synced to disk, and only then removed, in the same
transaction that records the last one as the *anchor* (``audit_anchor``): the chain in the file starts
there, `audit.verify` walks it from there, and `verify_archive` checks a segment against the anchor it
ends at. Nothing is lost: what left the file is in the archive or at the hub.

The kept Supervision figures of past days (insights/kept.py) stay as they were: the change counts
the triggers bump while orders are removed are put back, so a day's figure is not recomputed from
what is left of it.
"""

from __future__ import annotations

import gzip
import json
import os
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from orderdesk.sync.cache import audit, search
from orderdesk.sync.cache.store import Cache
from orderdesk.sync.said import Said

DEFAULT_DAYS = 90
DAY_MS = 86_400_000
CHUNK = 2000
ARCHIVE_FORMAT = 1

Progress = Callable[[int, int], None]

_MONTH = "strftime('%Y-%m', ({ms} + 28800000) / 1000, 'unixepoch')"  # the China-time month of a time
_CLOSED = (
    "o.created_at_ms < :cutoff "
    "AND NOT EXISTS (SELECT 1 FROM observations b WHERE b.order_id = o.id AND b.observed_at_ms >= :cutoff) "
    "{books} "
    "AND (o.fulfilment = 'SETTLED' OR o.cancelled = 1 OR o.refund = 'refunded') AND o.refund != 'refunding' "
    "AND o.anomaly_count = 0 "
    "AND NOT EXISTS (SELECT 1 FROM print_jobs j WHERE j.order_id = o.id AND j.state != 'done') "
    "AND NOT EXISTS (SELECT 1 FROM label_queue q WHERE q.order_id = o.id AND q.resolved_at_ms IS NULL) "
    "AND NOT EXISTS (SELECT 1 FROM outbox x WHERE x.order_domain_id = o.domain_id AND x.status = 'pending') "
    "AND NOT EXISTS (SELECT 1 FROM invoice_orders i JOIN invoices v ON v.order_no = i.order_no "
    "  WHERE i.domain_id = o.domain_id AND v.state IN ('requested', 'needs_data', 'ready', 'submitted', 'failed')) "
    "AND (o.invoice_json IS NULL OR o.cancelled = 1 OR o.refund = 'refunded' "
    "  OR EXISTS (SELECT 1 FROM invoice_orders i WHERE i.domain_id = o.domain_id))"
)
_BOOKS_CLOSED = (
    f"AND {_MONTH.format(ms='o.created_at_ms')} IN (SELECT month FROM month_locks) "
    f"AND COALESCE((SELECT {_MONTH.format(ms='MAX(b.observed_at_ms)')} FROM observations b WHERE b.order_id = o.id), "
    "  '') IN (SELECT month FROM month_locks UNION ALL SELECT '')"
)


def closed_orders(books_closed: bool = True) -> str:
    """The SQL condition over ``o`` (orders) of a prunable order, with ``:cutoff``."""
    return _CLOSED.replace("{books}", _BOOKS_CLOSED if books_closed else "")


@dataclass
class PruneReport:
    cutoff_ms: int
    orders_pruned: int = 0
    orders_older_kept_open: int = 0
    orders_waiting_for_locks: int = 0  # closed and older, kept only because a month of theirs is not locked
    audit_archived: int = 0
    archive: Path | None = None
    seconds: float = 0.0
    cancelled: bool = False
    notes: list[Said] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"cutoff_ms": self.cutoff_ms, "orders_pruned": self.orders_pruned,
                "orders_older_kept_open": self.orders_older_kept_open,
                "orders_waiting_for_locks": self.orders_waiting_for_locks, "audit_archived": self.audit_archived,
                "archive": str(self.archive) if self.archive else None, "seconds": round(self.seconds, 2),
                "cancelled": self.cancelled}  # fmt: skip


def cutoff_for(days: int, now_ms: int | None = None) -> int:
    now_ms = time.time_ns() // 1_000_000 if now_ms is None else now_ms
    return now_ms - days * DAY_MS


def prune(
    cache: Cache,
    days: int = DEFAULT_DAYS,
    *,
    now_ms: int | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    books_closed: bool = True,
) -> PruneReport:
    """Remove the closed orders older than ``days`` and archive the audit entries older than that.
    Works 2,000 orders per transaction; ``cancelled`` is asked between them (what was done stays done)."""
    if days < 1:
        raise ValueError(f"days: a retention window is at least 1 day, not {days}")
    started = time.perf_counter()
    report = PruneReport(cutoff_for(days, now_ms))
    params = {"cutoff": report.cutoff_ms}
    closed = closed_orders(books_closed)
    with cache.read() as c:
        total = c.exec_driver_sql(f"SELECT COUNT(*) FROM orders o WHERE {closed}", params).scalar_one()
        older = c.exec_driver_sql(
            "SELECT COUNT(*) FROM orders WHERE created_at_ms < ?", (report.cutoff_ms,)
        ).scalar_one()
        if books_closed:
            any_month = c.exec_driver_sql(
                f"SELECT COUNT(*) FROM orders o WHERE {closed_orders(False)}", params
            ).scalar_one()
            report.orders_waiting_for_locks = int(any_month) - int(total)
    report.orders_older_kept_open = int(older) - int(total) - report.orders_waiting_for_locks
    after = 0
    while not cancelled():
        with cache.write() as c:
            rows = c.exec_driver_sql(
                f"SELECT o.id, o.domain_id, {search.ORDER_COLUMNS} FROM orders o "
                f"WHERE o.id > :after AND {closed} ORDER BY o.id LIMIT {CHUNK}",
                {**params, "after": after},
            ).all()
            if not rows:
                break
            _remove_orders(c, rows)
            after = rows[-1][0]
        report.orders_pruned += len(rows)
        if progress is not None:
            progress(report.orders_pruned, int(total))
    report.cancelled = cancelled()
    if report.orders_pruned:
        said = json.dumps({"days": days, "cutoff_ms": report.cutoff_ms, "orders": report.orders_pruned,
                           "books_closed": books_closed})  # fmt: skip
        with cache.write() as c:
            audit.append(c, [audit.AuditDraft.of("system", "orderdesk", "retention", "cache.prune", str(cache.path.name),
                                                 "null", "null", said)], time.time_ns() // 1_000_000)  # fmt: skip
    if not report.cancelled:
        archived = archive_audit(cache, report.cutoff_ms)
        if archived is not None:
            report.archive, report.audit_archived = archived
    report.seconds = time.perf_counter() - started
    return report


def _remove_orders(c: Connection, rows: Sequence[Any]) -> None:
    ids = [(r[0],) for r in rows]
    kept_counts = c.exec_driver_sql("SELECT scope, day, n FROM insight_changes").all()
    marks = ", ".join("?" * len(ids))
    plain = tuple(i for (i,) in ids)
    c.exec_driver_sql(
        f"DELETE FROM label_substitutions WHERE order_id IN ({marks}) OR job_id IN "
        f"(SELECT id FROM print_jobs WHERE order_id IN ({marks}))",
        plain + plain,
    )
    c.exec_driver_sql(f"DELETE FROM label_queue WHERE order_id IN ({marks})", plain)
    c.exec_driver_sql(f"UPDATE print_jobs SET reprint_of = NULL WHERE reprint_of IN "
                      f"(SELECT id FROM print_jobs WHERE order_id IN ({marks}))", plain)  # fmt: skip
    c.exec_driver_sql(f"DELETE FROM print_jobs WHERE order_id IN ({marks})", plain)
    search.delete_rows(c, [(r[0], *search.row(*r[2:7])) for r in rows])
    c.exec_driver_sql("DELETE FROM orders WHERE id = ?", ids)  # lines, observations, events, anomalies cascade
    c.exec_driver_sql(
        "INSERT INTO insight_changes (scope, day, n) VALUES (?, ?, ?) ON CONFLICT (scope, day) DO UPDATE SET n = excluded.n",
        [tuple(r) for r in kept_counts],
    )


def archive_path(cache_path: Path, first: int, last: int) -> Path:
    return cache_path.with_name(f"{cache_path.name}.audit-{first:012d}-{last:012d}.jsonl.gz")


def archive_audit(cache: Cache, cutoff_ms: int) -> tuple[Path, int] | None:
    """Write the audit entries older than ``cutoff_ms`` (the unbroken run from the start of the chain
    in the file) to an archive file, then remove them and anchor the chain at the last one."""
    with cache.read() as c:
        start_seq, start_hash = audit.anchor(c)
        newer = c.exec_driver_sql("SELECT MIN(seq) FROM audit_log WHERE at_ms >= ?", (cutoff_ms,)).scalar()
        last = c.exec_driver_sql(
            "SELECT MAX(seq) FROM audit_log WHERE seq < ?", (newer if newer is not None else 2**62,)
        ).scalar()
        if last is None or last <= start_seq:
            return None
        path = archive_path(cache.path, start_seq + 1, int(last))
        partial = path.with_name(path.name + ".partial")
        count, head_hash = 0, start_hash
        with gzip.open(partial, "wt", encoding="utf-8") as out:
            out.write(json.dumps({"orderdesk_audit_archive": ARCHIVE_FORMAT, "first_seq": start_seq + 1,
                                  "last_seq": int(last), "starts_after_hash": start_hash}) + "\n")  # fmt: skip
            for e in audit.entries(c, "a.seq > ? AND a.seq <= ?", (start_seq, last)):
                out.write(json.dumps(e._asdict(), ensure_ascii=False) + "\n")
                count, head_hash = count + 1, e.hash
        with partial.open("rb") as done:
            os.fsync(done.fileno())
    os.replace(partial, path)
    with cache.write() as c:
        c.exec_driver_sql(
            "INSERT INTO audit_anchor (seq, hash, archive, entries, at_ms) VALUES (?, ?, ?, ?, ?)",
            (int(last), bytes.fromhex(head_hash), path.name, count, time.time_ns() // 1_000_000),
        )
        c.exec_driver_sql("DELETE FROM audit_log WHERE seq > ? AND seq <= ?", (start_seq, last))
    return path, count


def read_header(path: Path) -> dict[str, Any]:
    """The archive's first line; `ValueError` for a file that is empty, cut, not gzip or not an archive."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            header = json.loads(next(lines))
    except (OSError, EOFError, zlib.error, StopIteration, ValueError) as exc:
        raise ValueError(f"{path.name} cannot be read as an audit archive: {type(exc).__name__}: {exc}") from exc
    if not isinstance(header, dict) or header.get("orderdesk_audit_archive") != ARCHIVE_FORMAT:
        raise ValueError(f"{path.name} is not an OrderDesk audit archive")
    return header


def verify_archive(path: Path) -> audit.Verification:
    """Walk an archive segment's chain from the hash it starts after; its head must be the anchor the
    cache recorded for it (the caller compares). A file that is no archive, or is cut or garbled,
    raises `ValueError` saying so."""
    try:
        return _walk_archive(path)
    except (OSError, EOFError, zlib.error, StopIteration, KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{path.name} cannot be read as an audit archive: {type(exc).__name__}: {exc}") from exc


def _walk_archive(path: Path) -> audit.Verification:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        header = json.loads(next(lines))
        prev, expected, count = header["starts_after_hash"], header["first_seq"], 0
        for line in lines:
            fields = json.loads(line)
            if not isinstance(fields, dict):
                raise TypeError(f"line {count + 2} is not an entry")
            e = audit.Entry(**fields)
            count += 1
            if e.seq != expected:
                return audit.Verification(False, count, e.seq, "", audit.Problem(
                    expected, "removed", f"entry {expected} is missing from the archive {path.name}",
                    f"归档 {path.name} 缺少第 {expected} 条"))  # fmt: skip
            if audit.chain_hash(e.seq, e.at_ms, e.content(), prev) != e.hash:
                return audit.Verification(False, count, e.seq, "", audit.Problem(
                    e.seq, "edited", f"entry {e.seq} of the archive {path.name} was edited",
                    f"归档 {path.name} 的第 {e.seq} 条被改动"))  # fmt: skip
            prev, expected = e.hash, e.seq + 1
    return audit.Verification(True, count, expected - 1, prev, None)


def anchors(c: Connection) -> list[tuple[int, str, str, int]]:
    """(seq, hash, archive file name, entries) of every pruned segment, oldest first."""
    return [(int(r[0]), bytes(r[1]).hex(), str(r[2]), int(r[3]))
            for r in c.exec_driver_sql("SELECT seq, hash, archive, entries FROM audit_anchor ORDER BY seq")]  # fmt: skip


async def bring_back(cache: Cache, client: Any, domain_id: str, operator: str) -> bool:
    """An order that left the cache, fetched from the hub and applied again (it is then a cached order
    like any other; its trail in this file starts with this). False when the hub has no such order."""
    import asyncio

    from orderdesk.sync.cache.apply import CacheWriter
    from orderdesk.sync.client import HubError

    try:
        entry = await client.order(domain_id)
    except HubError as exc:
        if exc.status == 404:
            return False
        raise
    writer = CacheWriter(cache, operator=operator)

    def apply() -> None:
        writer.apply([entry["order"]], entry["observations"])
        draft = audit.AuditDraft.of(operator, "hub", str(getattr(client, "base_url", "")), "order.brought_back",
                                    domain_id, "null", "null", json.dumps({"observations": len(entry["observations"])}))  # fmt: skip
        with cache.write() as c:
            audit.append(c, [draft], time.time_ns() // 1_000_000)

    await asyncio.to_thread(apply)
    return True
