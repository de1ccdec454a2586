"""Observations that arrive before their order ("updated" before "created") wait here, never dropped."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import Connection

from sync.cache.ingest import PreparedObservation, Quarantined, channel_key, prepare_observation
from sync.cache.stored import chunks, marks
from sync.mapping import MappingRegistry

if TYPE_CHECKING:
    from sync.cache.writes import OrderWork


def park_pending(c: Connection, observations: Sequence[PreparedObservation], now: int) -> int:
    rows = []
    for o in observations:
        ref = o.record.order
        key = (
            channel_key(ref.channel, ref.shop, ref.channel_order_no)
            if ref.channel and ref.shop and ref.channel_order_no
            else None
        )
        rows.append((o.key, ref.domain_id, key, ref.waybill_no, o.record_json, now))
    if rows:
        c.exec_driver_sql(
            "INSERT OR IGNORE INTO pending_observations (key, ref_domain_id, ref_channel_key, ref_waybill_no, "
            "record_json, received_at_ms) VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )
    return len(rows)


def adopt_pending(
    c: Connection, registry: MappingRegistry, works: Sequence[OrderWork]
) -> list[tuple[int, PreparedObservation]]:
    """Take the waiting observations that name one of these orders; they leave the pending table."""
    if not works or c.exec_driver_sql("SELECT 1 FROM pending_observations LIMIT 1").first() is None:
        return []
    owners: dict[tuple[str, str], list[int]] = {}
    for w in works:
        assert w.record is not None
        r = w.record.record
        owners.setdefault(("ref_domain_id", w.domain_id), []).append(w.id)
        owners.setdefault(("ref_channel_key", channel_key(r.channel, r.shop, r.channel_order_no)), []).append(w.id)
        if r.waybill_no:
            owners.setdefault(("ref_waybill_no", r.waybill_no), []).append(w.id)
    found: dict[int, tuple[str, list[int]]] = {}
    for column in ("ref_domain_id", "ref_channel_key", "ref_waybill_no"):
        values = [v for (col, v) in owners if col == column]
        for part in chunks(values):
            sql = f"SELECT id, {column}, record_json FROM pending_observations WHERE {column} IN ({marks(len(part))})"
            for pending_id, value, record_json in c.exec_driver_sql(sql, tuple(part)):
                found.setdefault(pending_id, (record_json, owners[(column, value)]))
    adopted: list[tuple[int, PreparedObservation]] = []
    for pending_id, (record_json, order_ids) in found.items():
        prepared = prepare_observation(json.loads(record_json), registry)
        if isinstance(prepared, Quarantined):  # the table that knew its source is gone: keep waiting
            continue
        c.exec_driver_sql("DELETE FROM pending_observations WHERE id = ?", (pending_id,))
        adopted.extend((order_id, prepared) for order_id in sorted(set(order_ids)))
    return adopted
