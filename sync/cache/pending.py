"""Observations that arrive before their order ("updated" before "created") wait here, never dropped."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import Connection

from sync.cache.ingest import PreparedObservation
from sync.cache.stored import chunks, marks
from sync.mapping import MappingRegistry

if TYPE_CHECKING:
    from sync.cache.writes import OrderWork

_REFS = ("ref_domain_id", "ref_channel_key", "ref_waybill_no")


def park_pending(c: Connection, observations: Sequence[PreparedObservation], now: int) -> int:
    rows = [(o.key, o.ref_domain_id, o.ref_channel_key, o.ref_waybill_no, o.pending_json(), now) for o in observations]
    if rows:
        c.exec_driver_sql(
            "INSERT OR IGNORE INTO pending_observations (key, ref_domain_id, ref_channel_key, ref_waybill_no, "
            "record_json, received_at_ms) VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )
    return len(rows)


def adopt_pending(
    c: Connection, registry: MappingRegistry, works: Sequence[OrderWork]
) -> list[tuple[PreparedObservation, list[int]]]:
    """Take the waiting observations that name one of these orders; they leave the pending table.

    They are mapped again with the tables in force now; one whose source no longer has a table keeps
    waiting."""
    if not works or c.exec_driver_sql("SELECT 1 FROM pending_observations LIMIT 1").first() is None:
        return []
    owners: dict[tuple[str, str], list[int]] = {}
    for w in works:
        assert w.record is not None
        owners.setdefault(("ref_domain_id", w.domain_id), []).append(w.id)
        owners.setdefault(("ref_channel_key", w.record.key), []).append(w.id)
        if w.record.get("waybill_no"):
            owners.setdefault(("ref_waybill_no", w.record.get("waybill_no")), []).append(w.id)
    found: dict[int, tuple[str, list[int]]] = {}
    for column in _REFS:
        values = [v for (col, v) in owners if col == column]
        for part in chunks(values):
            sql = f"SELECT id, {column}, record_json FROM pending_observations WHERE {column} IN ({marks(len(part))})"
            for pending_id, value, text in c.exec_driver_sql(sql, tuple(part)):
                found.setdefault(pending_id, (text, owners[(column, value)]))
    adopted: list[tuple[PreparedObservation, list[int]]] = []
    taken = []
    for pending_id, (text, order_ids) in found.items():
        prepared = PreparedObservation.from_pending_json(text, registry)
        if prepared is None:
            continue
        taken.append((pending_id,))
        adopted.append((prepared, sorted(set(order_ids))))
    if taken:
        c.exec_driver_sql("DELETE FROM pending_observations WHERE id = ?", taken)
    return adopted
