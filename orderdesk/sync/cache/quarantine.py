"""Records refused at the door, kept for a person to review, correct and resubmit, or discard."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection

from orderdesk.sync.cache import audit
from orderdesk.sync.cache.queries import iso
from orderdesk.sync.contract import canonical_json


def _entry(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "received_at": iso(row.received_at_ms),
        "kind": row.kind,
        "source": row.source,
        "reference": row.reference,
        "status": row.status,
        "errors": json.loads(row.errors_json),
        "record": _record(row.record_json),
        "resolved_at": iso(row.resolved_at_ms),
        "resolved_by": row.resolved_by,
    }


def _record(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def list_entries(c: Connection, status: str | None = "open", limit: int = 500) -> list[dict[str, Any]]:
    if status:
        rows = c.exec_driver_sql("SELECT * FROM quarantine WHERE status = ? ORDER BY id DESC LIMIT ?", (status, limit))
    else:
        rows = c.exec_driver_sql("SELECT * FROM quarantine ORDER BY id DESC LIMIT ?", (limit,))
    return [_entry(r) for r in rows]


def get_entry(c: Connection, entry_id: int) -> dict[str, Any] | None:
    row = c.exec_driver_sql("SELECT * FROM quarantine WHERE id = ?", (entry_id,)).first()
    return _entry(row) if row else None


def close_entry(c: Connection, entry_id: int, status: str, operator: str, now_ms: int, reason: str) -> None:
    """Mark an open entry resolved (resubmitted) or discarded, with an audit entry saying why."""
    entry = get_entry(c, entry_id)
    if entry is None or entry["status"] != "open":
        raise LookupError(entry_id)
    c.exec_driver_sql(
        "UPDATE quarantine SET status = ?, resolved_at_ms = ?, resolved_by = ? WHERE id = ?",
        (status, now_ms, operator, entry_id),
    )
    draft = audit.AuditDraft.of(
        operator, "console", entry["source"] or "unknown", f"quarantine.{status}", f"quarantine:{entry_id}",
        canonical_json({"status": "open"}), canonical_json({"status": status, "reason": reason}),
        canonical_json(entry["record"]),
    )  # fmt: skip
    audit.append(c, [draft], now_ms)
