"""The action outbox: an action for the hub is written in the same local transaction as the change it
belongs to, with an idempotency key made once per business intent; the pusher sends it until the hub
acknowledges, reusing the key on every retry, across restarts."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from orderdesk.sync.contract import canonical_json


def _now() -> int:
    return time.time_ns() // 1_000_000


def enqueue(c: Connection, kind: str, order_domain_id: str, payload: dict[str, Any], key: str | None = None) -> str:
    """Add an action inside the caller's write transaction. Returns its idempotency key. Enqueuing the
    same key again (the same intent, recorded twice) changes nothing."""
    key = key or f"od-{uuid.uuid4().hex}"
    c.exec_driver_sql(
        "INSERT INTO outbox (idempotency_key, kind, order_domain_id, payload_json, created_at_ms, status, attempts) "
        "VALUES (?, ?, ?, ?, ?, 'pending', 0) ON CONFLICT (idempotency_key) DO NOTHING",
        (key, kind, order_domain_id, canonical_json(payload), _now()),
    )
    return key


@dataclass(frozen=True, slots=True)
class PendingAction:
    id: int
    key: str
    kind: str
    order: str
    payload: dict[str, Any]
    attempts: int


def pending(c: Connection, limit: int = 500) -> list[PendingAction]:
    rows = c.exec_driver_sql(
        "SELECT id, idempotency_key, kind, order_domain_id, payload_json, attempts FROM outbox "
        "WHERE status = 'pending' ORDER BY id LIMIT ?",
        (limit,),
    )
    return [PendingAction(r[0], r[1], r[2], r[3], json.loads(r[4]), r[5]) for r in rows]


def count_pending(c: Connection) -> int:
    return int(c.exec_driver_sql("SELECT COUNT(*) FROM outbox WHERE status = 'pending'").scalar() or 0)


def mark_sent(c: Connection, key: str, response: dict[str, Any]) -> None:
    c.exec_driver_sql(
        "UPDATE outbox SET status = 'sent', attempts = attempts + 1, response_json = ?, sent_at_ms = ?, "
        "last_error = NULL WHERE idempotency_key = ? AND status = 'pending'",
        (canonical_json(response), _now(), key),
    )


def mark_attempt(c: Connection, key: str, error: str, *, refused: bool) -> None:
    """A failed try: kept pending to try again, or refused for good (the hub said no; a person must see it)."""
    c.exec_driver_sql(
        "UPDATE outbox SET attempts = attempts + 1, last_error = ?, status = ? WHERE idempotency_key = ?",
        (error[:2000], "refused" if refused else "pending", key),
    )
