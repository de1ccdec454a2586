"""Map every observation again and fold every order again: after the fold's rules change (migration
0008 leaves a marker for it), or by hand (``orderdesk cache refold``).

The mapping is done on the distinct (source, status field, fields) a cache holds, a few hundred at most,
and written back only where it changed; the orders are then folded again in chunks of a few thousand,
one transaction each, through the same writer a sync uses: each change of state leaves an audit entry
that says why ("refold"). Stopping half-way loses nothing: the marker stays until the last chunk, and
running it again finishes the job."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from orderdesk.sync.cache import audit
from orderdesk.sync.cache.apply import _Transaction, now_ms
from orderdesk.sync.cache.mapping_store import active_registry
from orderdesk.sync.cache.store import Cache
from orderdesk.sync.cache.stored import load_details
from orderdesk.sync.cache.writes import write_batch
from orderdesk.sync.mapping import MappingRegistry

MARKER = "cache|refold"
CHUNK = 2000
_MAPPED_COLUMNS = (
    "mapping_version, rule_id, fulfilment, refund, refund_scope, cancelled, signal, exception, unmapped, implies"
)

Progress = Callable[[int, int], None]  # (orders folded so far, orders in all)


@dataclass(slots=True)
class RefoldReport:
    observations_remapped: int = 0
    orders: int = 0
    state_changes: int = 0
    anomalies_opened: int = 0
    anomalies_resolved: int = 0
    finished: bool = False


def needed(cache: Cache) -> bool:
    with cache.read() as c:
        return c.exec_driver_sql("SELECT 1 FROM sync_state WHERE key = ?", (MARKER,)).first() is not None


def _remap(cache: Cache, registry: MappingRegistry) -> int:
    with cache.write() as c:
        combos = c.exec_driver_sql(
            f"SELECT DISTINCT source, status_field, fields_json, {_MAPPED_COLUMNS} FROM observations"
        ).fetchall()
        changes = []
        for source, status_field, fields_json, *stored in combos:
            if source not in registry:
                continue
            m = registry.table(source).map(json.loads(fields_json), status_field)
            now = [m.mapping_version, m.rule_id, m.fulfilment, m.refund, m.refund_scope, int(m.cancelled), m.signal,
                   int(m.exception), int(m.unmapped), m.implies]  # fmt: skip
            if now != list(stored):
                changes.append((*now, source, status_field, fields_json))
        if not changes:
            return 0
        sets = ", ".join(f"{name.strip()} = ?" for name in _MAPPED_COLUMNS.split(","))
        sql = f"UPDATE observations SET {sets} WHERE source = ? AND status_field = ? AND fields_json = ?"
        return sum(c.exec_driver_sql(sql, change).rowcount for change in changes)


def refold(
    cache: Cache,
    *,
    operator: str = "system",
    progress: Progress | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    registry: MappingRegistry | None = None,
) -> RefoldReport:
    """Map and fold everything again. Returns what changed; ``finished`` is False when cancelled."""
    report = RefoldReport()
    if registry is None:
        with cache.read() as c:
            registry = active_registry(c)
    report.observations_remapped = _remap(cache, registry)
    with cache.read() as c:
        total = c.exec_driver_sql("SELECT count(*) FROM orders").scalar_one()
    after = 0
    while not cancelled():
        with cache.write() as c:
            ids = [
                r[0]
                for r in c.exec_driver_sql("SELECT id FROM orders WHERE id > ? ORDER BY id LIMIT ?", (after, CHUNK))
            ]
            if not ids:
                c.exec_driver_sql("DELETE FROM sync_state WHERE key = ?", (MARKER,))
                report.finished = True
                break
            now = now_ms()
            t = _Transaction(c, registry, now, operator)
            t.why = '{"refold": "the fold\'s rules changed"}'
            t.load_orders(set(ids))
            load_details(c, {i: w.stored for i, w in t.work.items() if w.stored is not None})
            t.fold_all()
            opened, resolved = write_batch(c, t.work.values(), [], now)
            audit.append(c, [d for w in t.work.values() for d in w.audit], now)
            report.state_changes += t.report.state_changes
            report.anomalies_opened += opened
            report.anomalies_resolved += resolved
        report.orders += len(ids)
        after = ids[-1]
        if progress is not None:
            progress(report.orders, total)
    return report
