"""Putting what `salvage.read` found into a restored or rebuilt cache, without doubling anything.

Mapping tables and outbox actions go back before the sync (the sync maps with those tables and
pushes those actions; an action keeps its idempotency key, so one the hub already took is answered
from the hub's memory, not done twice). Print jobs and their substitutions go back once their orders
are in the cache: a job is known again by its order, creation time, printer and profile, so a job
the restored backup already holds is updated, not copied; reprints keep naming the job they repeat."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from orderdesk.sync.cache.salvage import Salvage


@dataclass
class Placed:
    mapping_tables: int = 0
    outbox: int = 0
    print_jobs: int = 0
    substitutions: int = 0
    not_placed: list[dict[str, Any]] = field(default_factory=list)  # table, id, order, reason

    def as_json(self) -> dict[str, Any]:
        return {"mapping_tables": self.mapping_tables, "outbox": self.outbox, "print_jobs": self.print_jobs,
                "substitutions": self.substitutions, "not_placed": self.not_placed}  # fmt: skip


def before_sync(c: Connection, salvage: Salvage, placed: Placed) -> None:
    """Mapping tables and outbox actions, inside the caller's write transaction."""
    for m in salvage.mapping_tables:
        result = c.exec_driver_sql(
            "INSERT INTO mapping_tables (source, version, document_json, sha256, imported_at_ms, imported_by) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (source, version) DO NOTHING",
            (m["source"], m["version"], m["document_json"], m["sha256"], m["imported_at_ms"], m["imported_by"]),
        )
        placed.mapping_tables += result.rowcount
    for a in salvage.outbox:
        result = c.exec_driver_sql(
            "INSERT INTO outbox (idempotency_key, kind, order_domain_id, payload_json, created_at_ms, status, attempts, "
            "last_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING",
            (a["idempotency_key"], a["kind"], a["order_domain_id"], a["payload_json"], a["created_at_ms"], a["status"],
             a["attempts"] or 0, a["last_error"]),
        )  # fmt: skip
        placed.outbox += result.rowcount


def print_history(c: Connection, salvage: Salvage, placed: Placed) -> None:
    """Print jobs and substitutions whose orders the cache now holds, inside the caller's transaction."""
    order_ids = _order_ids(c, {j["order_domain_id"] for j in salvage.print_jobs + salvage.substitutions})
    new_job_id: dict[int, int] = {}
    for job in salvage.print_jobs:
        order_id = order_ids.get(job["order_domain_id"])
        if order_id is None:
            placed.not_placed.append({"table": "print_jobs", "id": job["id"], "order": job["order_domain_id"],
                                      "reason": "the order is not in the cache"})  # fmt: skip
            continue
        new_job_id[job["id"]] = _place_job(c, order_id, job)
        placed.print_jobs += 1
    for job in salvage.print_jobs:
        if job["id"] in new_job_id and job["reprint_of"] in new_job_id:
            c.exec_driver_sql("UPDATE print_jobs SET reprint_of = ? WHERE id = ?",
                              (new_job_id[job["reprint_of"]], new_job_id[job["id"]]))  # fmt: skip
    for s in salvage.substitutions:
        order_id = order_ids.get(s["order_domain_id"])
        if order_id is None:
            placed.not_placed.append({"table": "label_substitutions", "id": s["id"], "order": s["order_domain_id"],
                                      "reason": "the order is not in the cache"})  # fmt: skip
            continue
        job_id = new_job_id.get(s["job_id"]) if s["job_id"] is not None else None
        seen = c.exec_driver_sql(
            "SELECT 1 FROM label_substitutions WHERE order_id = ? AND job_id IS ? AND field = ? AND original = ? "
            "AND at_ms = ?",
            (order_id, job_id, s["field"], s["original"], s["at_ms"]),
        ).first()
        if seen:
            continue
        c.exec_driver_sql(
            "INSERT INTO label_substitutions (order_id, job_id, field, original, codepoint, replacement, method, "
            "profile, operator, at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (order_id, job_id, s["field"], s["original"], s["codepoint"], s["replacement"], s["method"], s["profile"],
             s["operator"], s["at_ms"]),
        )  # fmt: skip
        placed.substitutions += 1


def _order_ids(c: Connection, domain_ids: set[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for domain_id in domain_ids:
        row = c.exec_driver_sql("SELECT id FROM orders WHERE domain_id = ?", (domain_id,)).first()
        if row:
            found[domain_id] = int(row[0])
    return found


def _place_job(c: Connection, order_id: int, job: dict[str, Any]) -> int:
    same = c.exec_driver_sql(
        "SELECT id, updated_at_ms FROM print_jobs WHERE order_id = ? AND created_at_ms = ? AND printer = ? AND profile = ?",
        (order_id, job["created_at_ms"], job["printer"], job["profile"]),
    ).first()
    values = (job["state"], job["attempts"] or 0, job["error"], job["error_zh"], job["reason"], job["operator"],
              job["document"], job["preflight_json"], job["updated_at_ms"])  # fmt: skip
    if same is not None:
        if (job["updated_at_ms"] or 0) > (same[1] or 0):  # the damaged file knew more of it than the backup
            c.exec_driver_sql(
                "UPDATE print_jobs SET state = ?, attempts = ?, error = ?, error_zh = ?, reason = ?, operator = ?, "
                "document = ?, preflight_json = ?, updated_at_ms = ? WHERE id = ?",
                (*values, same[0]),
            )
        return int(same[0])
    result = c.exec_driver_sql(
        "INSERT INTO print_jobs (order_id, profile, printer, state, attempts, error, error_zh, reason, operator, "
        "document, preflight_json, updated_at_ms, created_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "RETURNING id",
        (order_id, job["profile"], job["printer"], *values, job["created_at_ms"]),
    )
    return int(result.scalar_one())
