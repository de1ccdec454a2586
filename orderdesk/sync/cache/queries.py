"""Reading orders out of the cache: lookup by any key, the full-chain document, and export."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

from orderdesk.sync.anomaly_text import describe
from orderdesk.sync.cache import audit, search
from orderdesk.sync.cache import invoices as cached_invoices
from orderdesk.sync.cache.deflate import observation_payload
from orderdesk.sync.cache.stored import ORDER_COLUMNS, StoredOrder, chunks, load_details, marks
from orderdesk.sync.domain_id import CHINA_TZ, is_domain_id
from orderdesk.sync.fold import fold
from orderdesk.sync.states import ANOMALY_LABELS, FULFILMENT_LABELS, OUTCOME_LABELS, AnomalyKind, Fulfilment, outcome


def iso(ms: int | None) -> str | None:
    if ms is None:
        return None
    return datetime.fromtimestamp(ms / 1000, UTC).astimezone(CHINA_TZ).isoformat(timespec="seconds")


def find_orders(c: Connection, key: str) -> list[int]:
    """Order ids for a unified id, a channel order no., or a waybill no. (in that order of precedence)."""
    key = key.strip()
    if is_domain_id(key.upper()):  # a scanner or a person may type it in lower case
        row = c.exec_driver_sql("SELECT id FROM orders WHERE domain_id = ?", (key.upper(),)).first()
        if row:
            return [row[0]]
    for candidate in dict.fromkeys((key, key.upper())):  # as scanned, then upper case (sf123… for SF123…)
        for column in ("channel_order_no", "waybill_no"):
            sql = f"SELECT id FROM orders WHERE {column} = ? ORDER BY id"
            ids = [r[0] for r in c.exec_driver_sql(sql, (candidate,))]
            if ids:
                return ids
    return []


def search_orders(c: Connection, text: str, limit: int = 200) -> list[int]:
    """Ids of orders whose receiver name, phone, channel order no. or waybill no. contain ``text``."""
    expression = search.match_expression(text)
    if expression is None:
        return []
    sql = "SELECT rowid FROM order_search WHERE order_search MATCH ? ORDER BY rowid DESC LIMIT ?"
    return [r[0] for r in c.exec_driver_sql(sql, (expression, limit))]


def _money(row: dict[str, Any]) -> dict[str, Any]:
    names = ("paid_amount_fen", "discount_fen", "platform_commission_fen", "freight_insurance_fen", "freight_fen")
    return {name: row[name] for name in names}


def _summary(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "domain_id": row["domain_id"],
        "channel": row["channel"],
        "shop": row["shop"],
        "channel_order_no": row["channel_order_no"],
        "created_at": iso(row["created_at_ms"]),
        "fulfilment": row["fulfilment"],
        "refund": row["refund"],
        "refunded_fen": row["refunded_fen"],
        "cancelled": bool(row["cancelled"]),
        "outcome": outcome(row["fulfilment"], row["refund"], bool(row["cancelled"])).value,
        "invoice": json.loads(row["invoice_json"]) if row.get("invoice_json") else None,
        "waybill_no": row["waybill_no"],
        "carrier": row["carrier"],
        "receiver": {
            "name": row["receiver_name"],
            "phone": row["receiver_phone"],
            "province": row["receiver_province"],
            "city": row["receiver_city"],
            "district": row["receiver_district"],
            "address": row["receiver_address"],
        },
        "buyer_note": row["buyer_note"],
        **_money(row),
    }


def _lines(stored: StoredOrder) -> list[dict[str, Any]]:
    return [
        {
            k: line[k]
            for k in ("line_no", "sku", "title", "quantity", "unit_price_fen", "discount_fen", "refund", "refunded_fen")
        }
        for _, line in sorted(stored.lines.items())
    ]


def order_document(c: Connection, order_id: int) -> dict[str, Any]:
    """The canonical order with everything that explains it: observations, events, anomalies, audit."""
    row = c.exec_driver_sql(f"SELECT {ORDER_COLUMNS} FROM orders WHERE id = ?", (order_id,)).first()
    if row is None:
        raise KeyError(order_id)
    stored = StoredOrder(dict(row._mapping))
    load_details(c, {order_id: stored})
    projection = fold(
        stored.observations,
        money=stored.money(),
        created_at_ms=stored.row["created_at_ms"],
        channel=stored.row["channel"],
    )
    document = _summary(stored.row)
    fulfilment = stored.row["fulfilment"]
    document["fulfilment_label"] = (
        dict(zip(("zh", "en"), FULFILMENT_LABELS[Fulfilment(fulfilment)], strict=True)) if fulfilment else None
    )
    closing = outcome(fulfilment, stored.row["refund"], bool(stored.row["cancelled"]))
    document["outcome_label"] = dict(zip(("zh", "en"), OUTCOME_LABELS[closing], strict=True))
    document["lines"] = _lines(stored)
    document["observations"] = [
        {
            "key": r.key,
            "source": r.source,
            "source_system": r.source_system,
            "status_field": r.status_field,
            "raw_status": r.raw_status,
            "fields": json.loads(r.fields_json),
            "observed_at": iso(r.observed_at_ms),
            "received_at": iso(r.received_at_ms),
            "operator": r.operator,
            "line_no": r.line_no,
            "refund_id": r.refund_id,
            "refund_fen": r.refund_fen,
            "mapping_version": r.mapping_version,
            "rule": r.rule_id,
            "mapped": {
                "fulfilment": r.fulfilment,
                "implies": r.implies,
                "refund": r.refund,
                "cancelled": bool(r.cancelled),
                "signal": r.signal,
                "unmapped": bool(r.unmapped),
            },
            "outcome": projection.outcomes.get(r.key),
            "payload": json.loads(observation_payload(r.payload_json, r.fields_json)),
        }
        for r in c.exec_driver_sql(
            "SELECT * FROM observations WHERE order_id = ? ORDER BY observed_at_ms, id", (order_id,)
        )
    ]
    document["events"] = [
        {
            "kind": r.kind,
            "at": iso(r.at_ms),
            "source": r.source,
            "source_system": r.source_system,
            "operator": r.operator,
            "observation": r.observation_key,
            "line_no": r.line_no,
        }
        for r in c.exec_driver_sql("SELECT * FROM events WHERE order_id = ? ORDER BY at_ms, id", (order_id,))
    ]
    document["invoices"] = [_invoice_summary(b) for b in cached_invoices.of_order(c, stored.row["domain_id"])
                            if b["state"] != "withdrawn"]  # fmt: skip
    for invoice in document["invoices"]:  # 开票 / 红冲: the order's sixth atomic event, from the invoice
        if invoice["issued_at"]:
            document["events"].append({"kind": "red_invoiced" if invoice["red_of"] else "invoiced",
                                       "at": invoice["issued_at"], "source": "invoicing", "source_system": "finance",
                                       "operator": "system:invoicer", "observation": invoice["number"], "line_no": None})  # fmt: skip
    document["events"].sort(key=lambda e: e["at"] or "")
    sources = {o["key"]: o["source"] for o in document["observations"]}
    document["anomalies"] = [
        {
            "kind": r.kind,
            "label": dict(zip(("zh", "en"), ANOMALY_LABELS[AnomalyKind(r.kind)], strict=True)),
            "text": describe(r.kind, json.loads(r.detail_json), sources.get(r.observation_key)),
            "open": r.resolved_at_ms is None,
            "observation": r.observation_key,
            "detail": json.loads(r.detail_json),
            "detected_at": iso(r.detected_at_ms),
            "resolved_at": iso(r.resolved_at_ms),
        }
        for r in c.exec_driver_sql("SELECT * FROM anomalies WHERE order_id = ? ORDER BY id", (order_id,))
    ]
    document["audit"] = [
        {
            "seq": e.seq,
            "at": iso(e.at_ms),
            "operator": e.operator,
            "source_system": e.source_system,
            "source": e.source,
            "action": e.action,
            "before": json.loads(e.before_json),
            "after": json.loads(e.after_json),
            "payload": json.loads(e.payload_json),
        }
        for e in audit.entries(c, "a.entity_key = ?", (stored.row["domain_id"],))
    ]
    return document


def _invoice_summary(b: dict[str, Any]) -> dict[str, Any]:
    """An invoice as the order detail and ``orders show --json`` give it (the red numbers are the note)."""
    return {"order_no": b["order_no"], "state": b["state"], "number": b.get("number"), "red_of": b.get("red_of"),
            "blue_number": b.get("blue_number"), "kind": b["kind"], "buyer": b["buyer"].get("title", ""),
            "total_fen": b["total_fen"], "tax_fen": b["tax_fen"], "balance_fen": b.get("balance_fen"),
            "issued_at": iso(b["issued_at_ms"]) if b.get("issued_at_ms") else None,
            "red_numbers": b.get("red_numbers", []), "orders": b["orders"], "has_pdf": bool(b.get("has_pdf"))}  # fmt: skip


def export_orders(c: Connection, page: int = 5000) -> Iterator[dict[str, Any]]:
    """Every cached order with its lines, in id order, read in keyset pages."""
    after = 0
    while True:
        rows = [
            dict(r._mapping)
            for r in c.exec_driver_sql(
                f"SELECT {ORDER_COLUMNS} FROM orders WHERE id > ? ORDER BY id LIMIT ?", (after, page)
            )
        ]
        if not rows:
            return
        lines: dict[int, list[dict[str, Any]]] = {}
        ids = [r["id"] for r in rows]
        for part in chunks(ids):
            for line in c.exec_driver_sql(
                "SELECT order_id, line_no, sku, title, quantity, unit_price_fen, discount_fen, refund, refunded_fen "
                f"FROM order_lines WHERE order_id IN ({marks(len(part))}) ORDER BY order_id, line_no",
                tuple(part),
            ):
                lines.setdefault(line.order_id, []).append({k: v for k, v in line._mapping.items() if k != "order_id"})
        for row in rows:
            yield {**_summary(row), "lines": lines.get(row["id"], [])}
        after = rows[-1]["id"]
