"""The cache's copy of the hub's stock (the feed's ``stock`` changes and ``GET /v1/inventory``), read by
the Inventory workspace and kept for when the hub cannot be reached."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection

log = logging.getLogger(__name__)


def put(c: Connection, bodies: Iterable[dict[str, Any]]) -> int:
    """Keep these SKU snapshots (a newer version replaces an older one, never the other way). How many."""
    count = 0
    for body in bodies:
        if not isinstance(body, dict) or not isinstance(body.get("sku"), str) or not body["sku"]:
            log.warning("a stock change without a SKU was skipped: %.200r", body)
            continue
        breaker = body["breaker"] if isinstance(body.get("breaker"), dict) else {}
        version = body.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or not 0 <= version < 2**62:
            version = 0  # not the hub's counter: kept, and any real snapshot replaces it
        c.exec_driver_sql(
            "INSERT INTO stock (sku, title, breaker, version, body_json) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (sku) DO UPDATE SET title = excluded.title, breaker = excluded.breaker, "
            "version = excluded.version, body_json = excluded.body_json WHERE excluded.version >= stock.version",
            (body["sku"][:64], str(body.get("title") or "")[:128], str(breaker.get("state", "closed"))[:16],
             version, json.dumps(body, ensure_ascii=False, separators=(",", ":"))),
        )  # fmt: skip
        count += 1
    return count


def everything(c: Connection) -> list[dict[str, Any]]:
    """Every SKU, tripped breakers first, then by name; not a concurrency drill's scratch SKU (``DRILL-``,
    inventory/snapshot.py): the drill's verdict is on the Supervision self-check, not the shelf."""
    rows = c.exec_driver_sql(
        "SELECT body_json FROM stock WHERE sku NOT LIKE 'DRILL-%' ORDER BY breaker = 'tripped' DESC, sku"
    )
    return [json.loads(r[0]) for r in rows]


def get(c: Connection, sku: str) -> dict[str, Any] | None:
    row = c.exec_driver_sql("SELECT body_json FROM stock WHERE sku = ?", (sku,)).first()
    return json.loads(row[0]) if row else None
