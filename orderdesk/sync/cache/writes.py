"""The write half of applying a batch: every table touched with a few ``executemany`` calls."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from orderdesk.sync.cache import search
from orderdesk.sync.cache.audit import AuditDraft
from orderdesk.sync.cache.first_fold import FirstFold, projection_values
from orderdesk.sync.cache.ingest import RECORD_COLUMNS, PreparedObservation, PreparedOrder, Quarantined
from orderdesk.sync.cache.stored import StoredOrder
from orderdesk.sync.fold import FoldObservation, Projection
from orderdesk.sync.states import EventKind

# Events the fold derives (and may therefore revise); others (invoiced, label_printed…) are appended.
DERIVED_EVENTS = frozenset(
    {
        EventKind.CREATED,
        EventKind.PAID,
        EventKind.SHIPPED,
        EventKind.CARRIER_DELIVERED,
        EventKind.CUSTOMER_CONFIRMED,
        EventKind.SETTLED,
        EventKind.CANCELLED,
        EventKind.REFUND_REQUESTED,
        EventKind.REFUNDED,
    }
)

PROJECTION_COLUMNS = ("fulfilment", "fulfilment_at_ms", "refund", "refunded_fen", "cancelled", "anomaly_count")
OBSERVATION_INSERT = (
    "INSERT INTO observations (key, order_id, source, source_system, status_field, raw_status, fields_json, "
    "observed_at_ms, received_at_ms, operator, line_no, refund_id, refund_fen, payload_json, mapping_version, "
    "rule_id, fulfilment, refund, refund_scope, cancelled, signal, exception, unmapped, via_waybill_no, implies) "
    "VALUES (" + ", ".join("?" * 25) + ")"
)


@dataclass(slots=True)
class OrderWork:
    """What one batch does to one order."""

    stored: StoredOrder | None
    record: PreparedOrder | None = None
    new_id: int | None = None
    new_domain_id: str | None = None
    new_observations: list[tuple[PreparedObservation, FoldObservation]] = field(default_factory=list)
    projection: Projection | None = None
    audit: list[AuditDraft] = field(default_factory=list)
    attached: set[str] = field(default_factory=set)  # observation keys this batch gives the order
    released: list[str] = field(default_factory=list)  # keys it let go of with its old waybill
    first: FirstFold | None = None  # the rows of an order that is new

    @property
    def id(self) -> int:
        return self.stored.id if self.stored else int(self.new_id or 0)

    @property
    def domain_id(self) -> str:
        return str(self.stored.row["domain_id"] if self.stored else self.new_domain_id)

    @property
    def adopts_pending(self) -> bool:
        """New orders, and orders given a new waybill, may own observations that came before them."""
        if self.record is None:
            return False
        return self.stored is None or self.stored.row["waybill_no"] != self.record.get("waybill_no")


def write_batch(c: Connection, works: Iterable[OrderWork], quarantined: list[Quarantined], now: int) -> tuple[int, int]:
    """Write everything the batch decided. Returns (anomalies opened, anomalies resolved)."""
    works = list(works)
    new_orders, order_updates, projection_updates = [], [], []
    line_deletes, line_updates = [], []
    search_inserts, search_deletes = [], []
    # rows of parameters for executemany, each a tuple of one statement's columns
    line_inserts: list[tuple[Any, ...]] = []
    observation_rows: list[tuple[Any, ...]] = []
    event_upserts: list[tuple[Any, ...]] = []
    anomaly_upserts: list[tuple[Any, ...]] = []
    event_deletes, anomaly_resolves = [], []

    for w in works:
        order_id, stored, record = w.id, w.stored, w.record
        for prepared, obs in w.new_observations:
            observation_rows.append(prepared.row(obs, order_id, now))
        if stored is None:
            assert record is not None and w.first is not None
            first = w.first
            new_orders.append((order_id, w.domain_id, *record.values, now, *first.projection))
            search_inserts.append((order_id, *record.search))
            line_inserts.extend((order_id, *line) for line in first.lines)
            event_upserts.extend((order_id, *event) for event in first.events)
            anomaly_upserts.extend((order_id, *anomaly, now) for anomaly in first.anomalies)
            continue
        p = w.projection
        assert p is not None
        if record is not None:
            order_updates.append((*record.values, now, order_id))
            s = stored.row
            old_search = search.row(
                s["receiver_name"], s["receiver_phone"], s["channel_order_no"], s["waybill_no"],
                s["receiver_province"] + s["receiver_city"] + s["receiver_district"] + s["receiver_address"],
            )  # fmt: skip
            new_search = record.search
            if old_search != new_search:
                search_deletes.append((order_id, *old_search))
                search_inserts.append((order_id, *new_search))
        stored_projection = tuple(stored.row.get(c) for c in PROJECTION_COLUMNS[:-1])
        values = projection_values(p)
        if values[:-1] != stored_projection or values[-1] != _open_count(stored) or record is not None:
            projection_updates.append((*values, now, order_id))

        if record is not None and _lines_differ(stored, record):
            line_deletes.append((order_id,))
            for line in record.lines:
                refund = p.lines[line[0]]
                line_inserts.append((order_id, *line, refund.state, refund.refunded_fen))
        else:
            for line_no, refund in p.lines.items():
                old = stored.lines.get(line_no)
                if old and (old["refund"], old["refunded_fen"]) != (refund.state, refund.refunded_fen):
                    line_updates.append((refund.state, refund.refunded_fen, order_id, line_no))

        stored_events = stored.events
        for key, e in p.events.items():
            values = (e.kind, e.at_ms, e.source, e.source_system, e.operator, e.observation_key, e.line_no)
            if stored_events.get(key) != values:
                event_upserts.append((order_id, key, *values))
        for key, values in stored_events.items():
            if key not in p.events and values[0] in DERIVED_EVENTS:
                event_deletes.append((order_id, key))

        stored_anomalies = stored.anomalies
        for key, a in p.anomalies.items():
            if key not in stored_anomalies or stored_anomalies[key] is not None:
                detail = json.dumps(a.detail, ensure_ascii=False, sort_keys=True)
                anomaly_upserts.append((order_id, key, a.kind, a.observation_key, detail, now))
        for key, resolved_at in stored_anomalies.items():
            if resolved_at is None and key not in p.anomalies:
                anomaly_resolves.append((now, order_id, key))

    run = c.exec_driver_sql
    if new_orders:
        columns = ("id", "domain_id", *RECORD_COLUMNS, "updated_at_ms", *PROJECTION_COLUMNS)
        run(f"INSERT INTO orders ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", new_orders)
    if order_updates:
        assignments = ", ".join(f"{c} = ?" for c in (*RECORD_COLUMNS, "updated_at_ms"))
        run(f"UPDATE orders SET {assignments} WHERE id = ?", order_updates)
    if projection_updates:
        assignments = ", ".join(f"{c} = ?" for c in (*PROJECTION_COLUMNS, "updated_at_ms"))
        run(f"UPDATE orders SET {assignments} WHERE id = ?", projection_updates)
    if line_deletes:
        run("DELETE FROM order_lines WHERE order_id = ?", line_deletes)
    if line_inserts:
        run(
            "INSERT INTO order_lines (order_id, line_no, sku, title, quantity, unit_price_fen, discount_fen, "
            "refund, refunded_fen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            line_inserts,
        )
    if line_updates:
        run("UPDATE order_lines SET refund = ?, refunded_fen = ? WHERE order_id = ? AND line_no = ?", line_updates)
    if search_deletes:
        search.delete_rows(c, search_deletes)
    if search_inserts:
        run("INSERT INTO order_search (rowid, name, phone, order_no, waybill, address) VALUES (?, ?, ?, ?, ?, ?)",
            search_inserts)  # fmt: skip
    if observation_rows:
        run(OBSERVATION_INSERT, observation_rows)
    if event_deletes:
        run("DELETE FROM events WHERE order_id = ? AND key = ?", event_deletes)
    if event_upserts:
        run(
            "INSERT INTO events (order_id, key, kind, at_ms, source, source_system, operator, observation_key, "
            "line_no) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (order_id, key) DO UPDATE SET "
            "kind = excluded.kind, at_ms = excluded.at_ms, source = excluded.source, "
            "source_system = excluded.source_system, operator = excluded.operator, "
            "observation_key = excluded.observation_key, line_no = excluded.line_no",
            event_upserts,
        )
    if anomaly_upserts:
        run(
            "INSERT INTO anomalies (order_id, key, kind, observation_key, detail_json, detected_at_ms) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (order_id, key) DO UPDATE SET resolved_at_ms = NULL, "
            "detail_json = excluded.detail_json, detected_at_ms = excluded.detected_at_ms",
            anomaly_upserts,
        )
    if anomaly_resolves:
        run("UPDATE anomalies SET resolved_at_ms = ? WHERE order_id = ? AND key = ?", anomaly_resolves)
    if quarantined:  # the same bad record delivered again is not a second case to review
        run(
            "INSERT INTO quarantine (received_at_ms, kind, source, reference, record_json, record_sha, errors_json, "
            "status) SELECT ?, ?, ?, ?, ?, ?, ?, 'open' WHERE NOT EXISTS "
            "(SELECT 1 FROM quarantine WHERE record_sha = ? AND status = 'open')",
            [(now, q.kind, q.source, q.reference, q.record_json, q.sha, q.errors_json(), q.sha) for q in quarantined],
        )
    return len(anomaly_upserts), len(anomaly_resolves)


def _open_count(stored: StoredOrder) -> int:
    return sum(1 for resolved in stored.anomalies.values() if resolved is None)


def _lines_differ(stored: StoredOrder, record: PreparedOrder) -> bool:
    new = {line[0]: line[1:] for line in record.lines}
    old = {
        no: (line["sku"], line["title"], line["quantity"], line["unit_price_fen"], line["discount_fen"])
        for no, line in stored.lines.items()
    }
    return new != old
