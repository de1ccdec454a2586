"""The cache's copy of the hub's invoices (the feed's ``invoice`` changes and ``GET /v1/invoices``),
read by the Finance workspace, the order detail and ``orderdesk invoices`` even when offline."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection

# The Finance workspace's tabs: which invoices each holds (blue unless said).
TABS: dict[str, str] = {
    "needs_data": "state = 'needs_data'",
    "merge": "state = 'requested' AND json_extract(body_json, '$.merge') = 1",
    "issuing": "red_of IS NULL AND (state IN ('ready', 'submitted', 'failed') OR "
    "(state = 'requested' AND json_extract(body_json, '$.merge') = 0))",
    "issued": "red_of IS NULL AND state IN ('issued', 'partly_red', 'red')",
    "red": "red_of IS NOT NULL AND state <> 'withdrawn'",
}


def put(c: Connection, bodies: Iterable[dict[str, Any]]) -> int:
    """Keep these invoice bodies (newer replace older; a month lock is kept as such). How many."""
    count = 0
    for body in bodies:
        if "lock" in body:
            c.exec_driver_sql("INSERT INTO month_locks (month, actor, at_ms) VALUES (?, ?, 0) ON CONFLICT DO NOTHING",
                              (body["lock"], body.get("actor", "")))  # fmt: skip
            continue
        c.exec_driver_sql(
            "INSERT INTO invoices (order_no, state, red_of, month, body_json, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (order_no) DO UPDATE SET state = excluded.state, body_json = excluded.body_json, "
            "updated_at_ms = excluded.updated_at_ms WHERE excluded.updated_at_ms >= invoices.updated_at_ms",
            (body["order_no"], body["state"], body.get("red_of"), body["month"],
             json.dumps(body, ensure_ascii=False, separators=(",", ":")), int(body.get("updated_at_ms") or 0)),
        )  # fmt: skip
        for domain_id in body.get("orders", ()):
            c.exec_driver_sql("INSERT INTO invoice_orders (order_no, domain_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                              (body["order_no"], domain_id))  # fmt: skip
        count += 1
    return count


def _bodies(rows: Iterable[Any]) -> list[dict[str, Any]]:
    return [json.loads(r[0]) for r in rows]


def tab(c: Connection, name: str, limit: int = 5000) -> list[dict[str, Any]]:
    return _bodies(c.exec_driver_sql(f"SELECT body_json FROM invoices WHERE {TABS[name]} "
                                     f"ORDER BY updated_at_ms DESC LIMIT ?", (limit,)))  # fmt: skip


def counts(c: Connection) -> dict[str, int]:
    return {name: int(c.exec_driver_sql(f"SELECT count(*) FROM invoices WHERE {where}").scalar() or 0)
            for name, where in TABS.items()}  # fmt: skip


def get(c: Connection, order_no: str) -> dict[str, Any] | None:
    row = c.exec_driver_sql("SELECT body_json FROM invoices WHERE order_no = ?", (order_no,)).first()
    return json.loads(row[0]) if row else None


def of_order(c: Connection, domain_id: str) -> list[dict[str, Any]]:
    return _bodies(c.exec_driver_sql(
        "SELECT i.body_json FROM invoice_orders o JOIN invoices i ON i.order_no = o.order_no WHERE o.domain_id = ? "
        "ORDER BY json_extract(i.body_json, '$.requested_at_ms')", (domain_id,)))  # fmt: skip


def in_month(c: Connection, month: str) -> list[dict[str, Any]]:
    """The month's issued invoices, blue and red, by the month they were issued (China time: a red one
    belongs to the month it was issued in, not its blue one's)."""
    return _bodies(c.exec_driver_sql(
        "SELECT body_json FROM invoices WHERE state IN ('issued', 'partly_red', 'red') AND "
        "strftime('%Y-%m', json_extract(body_json, '$.issued_at_ms') / 1000 + 8 * 3600, 'unixepoch') = ? "
        "ORDER BY json_extract(body_json, '$.issued_at_ms')", (month,)))  # fmt: skip


def locks(c: Connection) -> list[str]:
    return [r[0] for r in c.exec_driver_sql("SELECT month FROM month_locks ORDER BY month")]


def by_numbers(c: Connection, order_nos: Sequence[str]) -> list[dict[str, Any]]:
    return [b for b in (get(c, n) for n in order_nos) if b is not None]
