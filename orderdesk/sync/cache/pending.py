"""Observations that arrive before their order ("updated" before "created") wait here, never dropped;
so do those an order lets go of when its waybill changes, until an order with that waybill comes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import Connection

from orderdesk.sync.cache.deflate import observation_payload
from orderdesk.sync.cache.ingest import PreparedObservation
from orderdesk.sync.cache.stored import chunks, fetch, marks
from orderdesk.sync.contract import canonical_json
from orderdesk.sync.mapping import MappingRegistry

if TYPE_CHECKING:
    from orderdesk.sync.cache.writes import OrderWork

# Each reference names the order only when no more specific one is given (contract.deciding_reference).
_DECIDING = {
    "ref_domain_id": "",
    "ref_channel_key": " AND ref_domain_id IS NULL",
    "ref_waybill_no": " AND ref_domain_id IS NULL AND ref_channel_key IS NULL",
}


def park_pending(c: Connection, observations: Sequence[PreparedObservation], now: int) -> int:
    rows = [(o.key, o.ref_domain_id, o.ref_channel_key, o.ref_waybill_no, o.pending_json(), now) for o in observations]
    _park_rows(c, rows)
    return len(rows)


def _park_rows(c: Connection, rows: Sequence[tuple[object, ...]]) -> None:
    if rows:
        c.exec_driver_sql(
            "INSERT OR IGNORE INTO pending_observations (key, ref_domain_id, ref_channel_key, ref_waybill_no, "
            "record_json, received_at_ms) VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )


_RELEASED_NAMES = ("source", "observed_at_ms", "operator", "line_no", "refund_id", "refund_fen", "status_field",
                   "raw_status", "fields_json", "payload_json")  # fmt: skip
_RELEASED = f"key, {', '.join(_RELEASED_NAMES)}, via_waybill_no"


def release_left_waybills(c: Connection, waybills: dict[int, str], now: int) -> dict[int, list[str]]:
    """Orders whose waybill changes (order id → the new waybill) let go of the observations that reached
    them through another waybill: those wait again, for an order that has it (as at the hub, which
    gives an order the observations its waybill names now). Returns the keys each order let go."""
    released: dict[int, list[str]] = {}
    rows, gone = [], []
    for part in chunks(sorted(waybills)):
        sql = (
            f"SELECT order_id, {_RELEASED} FROM observations "
            f"WHERE order_id IN ({marks(len(part))}) AND via_waybill_no IS NOT NULL"
        )
        for order_id, key, *values, via in fetch(c, sql, part):
            if via == waybills[order_id]:
                continue
            released.setdefault(order_id, []).append(key)
            gone.append((order_id, key))
            record = {"key": key, **dict(zip(_RELEASED_NAMES, values, strict=True)), "ref": [None, None, via]}
            record["payload_json"] = observation_payload(record["payload_json"], record["fields_json"])
            rows.append((key, None, None, via, canonical_json(record), now))
    if gone:
        c.exec_driver_sql("DELETE FROM observations WHERE order_id = ? AND key = ?", gone)
        _park_rows(c, rows)
    return released


def adopt_pending(
    c: Connection, registry: MappingRegistry, works: Sequence[OrderWork]
) -> list[tuple[PreparedObservation, list[int]]]:
    """Take the waiting observations that name one of these orders (by the reference that decides);
    they leave the pending table.

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
    for column, deciding in _DECIDING.items():
        values = [v for (col, v) in owners if col == column]
        for part in chunks(values):
            sql = (
                f"SELECT id, {column}, record_json FROM pending_observations "
                f"WHERE {column} IN ({marks(len(part))}){deciding}"
            )
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
