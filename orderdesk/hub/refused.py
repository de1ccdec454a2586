"""Records the ingest refused, kept at the hub where a supervisor can see them (GET /v1/refused):
the record as sent, its errors in both languages, who sent it, when first and last, and how often.
Kept once per source, kind and content, however often a sender repeats it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from orderdesk.hub.ingest import Refused
from orderdesk.hub.schema import refused_records
from orderdesk.hub.store import now_ms
from orderdesk.sync.contract import canonical_json


def keep(c: Connection, source: str, actor: str, refused: Sequence[Refused]) -> None:
    """Write refused records down (in the ingest's transaction), or count a repeat of one kept."""
    if not refused:
        return
    at = now_ms()
    rows: dict[str, dict[str, Any]] = {}
    for item in refused:
        text = canonical_json(item.raw)
        sha = hashlib.sha256(f"{source}\x1f{item.kind}\x1f{text}".encode()).hexdigest()
        errors = json.dumps([e.model_dump() for e in item.errors], ensure_ascii=False)
        rows.setdefault(sha, {"record_sha": sha, "source": source, "kind": item.kind, "actor": actor,
                              "first_at_ms": at, "last_at_ms": at, "times": 0, "errors_json": errors,
                              "record_json": text})["times"] += 1  # fmt: skip
    known: dict[str, int] = {}
    shas = list(rows)
    for part in range(0, len(shas), 500):
        query = select(refused_records.c.record_sha, refused_records.c.times)
        for sha, times in c.execute(query.where(refused_records.c.record_sha.in_(shas[part : part + 500]))):
            known[sha] = times
    new = [row for sha, row in rows.items() if sha not in known]
    if new:
        c.execute(insert(refused_records), new)
    repeats = [{"sha": sha, "new_times": known[sha] + row["times"], "at": at, "who": actor}
               for sha, row in rows.items() if sha in known]  # fmt: skip
    if repeats:
        statement = update(refused_records).where(refused_records.c.record_sha == bindparam("sha"))
        c.execute(statement.values(times=bindparam("new_times"), last_at_ms=bindparam("at"), actor=bindparam("who")),
                  repeats)  # fmt: skip


def page(c: Connection, after: int, limit: int, source: str | None) -> list[Any]:
    """Kept refusals after the id ``after``, oldest first."""
    query = select(refused_records).where(refused_records.c.id > after)
    if source:
        query = query.where(refused_records.c.source == source)
    return list(c.execute(query.order_by(refused_records.c.id).limit(limit)))
