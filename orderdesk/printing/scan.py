"""Batch scan: which recent orders' labels would need a fallback on a profile, before anyone prints.

One pass in C finds the candidates (each profile compiles "a character it cannot print as written"
into one regular expression); only those orders get the full per-character preflight. The findings
go into the handling queue the packing station shows (`label_queue`)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from orderdesk.printing.coverage import policy
from orderdesk.printing.label_data import mask_phone
from orderdesk.printing.preflight import Substitution, check_text
from orderdesk.printing.profiles import PrinterProfile, load_template
from orderdesk.sync.cache import Cache
from orderdesk.sync.contract import canonical_json

DAY_MS = 86_400_000
_ORDERS = (
    "SELECT id, receiver_name, receiver_province, receiver_city, receiver_district, receiver_address, carrier "
    "FROM orders WHERE created_at_ms >= ? ORDER BY id"
)
_DETAILS = (
    "SELECT o.id, o.domain_id, o.receiver_name, o.receiver_phone, o.receiver_province, o.receiver_city, "
    "o.receiver_district, o.receiver_address, o.carrier, o.channel_order_no, "
    "(SELECT group_concat(title, ';') FROM order_lines l WHERE l.order_id = o.id) AS titles "
    "FROM orders o WHERE o.id IN ({}) ORDER BY o.id"
)


@dataclass(frozen=True)
class Finding:
    order_id: int
    domain_id: str
    substitutions: list[Substitution]

    def as_json(self) -> dict[str, Any]:
        return {
            "order": self.domain_id,
            "substitutions": [
                {"field": s.field, "char": s.char, "codepoint": s.codepoint, "method": s.method,
                 "replacement": s.replacement}
                for s in self.substitutions
            ],
        }  # fmt: skip


def _fields(row: Any) -> dict[str, str]:
    region = (row.receiver_province or "") + (row.receiver_city or "") + (row.receiver_district or "")
    return {
        "receiver_name": row.receiver_name or "",
        "receiver_phone": mask_phone(row.receiver_phone or ""),
        "receiver_address": f"{region} {row.receiver_address or ''}",
        "carrier": row.carrier or "",
        "channel_order_no": row.channel_order_no or "",
        "items": row.titles or "",
    }


def find(
    c: Connection,
    profile: PrinterProfile,
    *,
    days: float,
    now_ms: int | None = None,
    on_progress: Callable[[int], bool] | None = None,
) -> tuple[int, list[Finding]]:
    """(orders scanned, findings). ``on_progress(scanned)`` is called every 10,000 orders; returning
    False cancels (what was found so far is returned)."""
    now_ms = now_ms or time.time_ns() // 1_000_000
    since = now_ms - int(days * DAY_MS)
    needs_attention = policy(profile).needs_attention.search
    printed_fields = {spec["field"] for spec in load_template(profile.template)["fields"] if spec["kind"] == "text"}
    candidates: set[int] = set()
    if "items" in printed_fields:  # item titles repeat across orders: look at each distinct one once
        titles = [t for (t,) in c.exec_driver_sql("SELECT DISTINCT title FROM order_lines") if needs_attention(t)]
        for first in range(0, len(titles), 500):
            chunk = titles[first : first + 500]
            candidates.update(
                i for (i,) in c.exec_driver_sql(
                    f"SELECT DISTINCT l.order_id FROM order_lines l JOIN orders o ON o.id = l.order_id "
                    f"WHERE o.created_at_ms >= ? AND l.title IN ({', '.join('?' * len(chunk))})",
                    (since, *chunk),
                )
            )  # fmt: skip
    scanned = 0
    result = c.exec_driver_sql(_ORDERS, (since,))
    while rows := result.fetchmany(20_000):
        # One regular-expression pass in C per order; only the hits get the per-character preflight.
        candidates.update(row[0] for row in rows if needs_attention("".join(filter(None, row[1:]))))
        scanned += len(rows)
        if on_progress is not None and on_progress(scanned) is False:
            break
    findings: list[Finding] = []
    ordered = sorted(candidates)
    for first in range(0, len(ordered), 500):
        chunk = ordered[first : first + 500]
        for row in c.exec_driver_sql(_DETAILS.format(", ".join("?" * len(chunk))), tuple(chunk)):
            substitutions: list[Substitution] = []
            for name, value in _fields(row).items():
                if name in printed_fields:
                    substitutions.extend(check_text(profile, name, value)[1])
            if substitutions:
                findings.append(Finding(row.id, row.domain_id, substitutions))
    return scanned, findings


def enqueue(cache: Cache, profile: PrinterProfile, findings: list[Finding]) -> int:
    """Put findings in the handling queue (an order already handled stays handled). Returns how many
    are open in the queue now."""
    now = time.time_ns() // 1_000_000
    with cache.write() as c:
        if findings:  # an INSERT with no rows is an error to the driver, not a no-op
            c.exec_driver_sql(
                "INSERT INTO label_queue (order_id, profile, substitutions_json, found_at_ms) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (order_id) DO UPDATE SET profile = excluded.profile, "
                "substitutions_json = excluded.substitutions_json, found_at_ms = excluded.found_at_ms "
                "WHERE label_queue.resolved_at_ms IS NULL",
                [(f.order_id, profile.name, canonical_json(f.as_json()["substitutions"]), now) for f in findings],
            )
        return int(c.exec_driver_sql("SELECT count(*) FROM label_queue WHERE resolved_at_ms IS NULL").scalar_one())


def open_queue(c: Connection, limit: int = 1000) -> list[dict[str, Any]]:
    """The handling queue, oldest finding first."""
    return [
        {"order": r.domain_id, "receiver": r.receiver_name, "profile": r.profile, "found_at_ms": r.found_at_ms,
         "substitutions": json.loads(r.substitutions_json)}
        for r in c.exec_driver_sql(
            "SELECT o.domain_id, o.receiver_name, q.profile, q.found_at_ms, q.substitutions_json FROM label_queue q "
            "JOIN orders o ON o.id = q.order_id WHERE q.resolved_at_ms IS NULL ORDER BY q.found_at_ms, q.order_id "
            "LIMIT ?",
            (limit,),
        )
    ]  # fmt: skip
