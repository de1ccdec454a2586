"""Channel API health: how the calls of POST /v1/ingest/{source} went, per source and hour
(``hub_ingest_stats``), and what GET /v1/ingest/stats answers from it.

A call that stored its body is counted in the ingest's own write transaction, with the records it
accepted (stored, or already held: a repeat is accepted too) and refused (kept, hub/refused.py). A call
refused or failed as a whole (not JSON, too large, multipart, the wrong shape, a server error: nothing
of it stored) is counted as a failed call, in a small transaction of its own that never fails the
request. Not counted: calls refused before the source is known to be one (no or a bad token, a role
that may not ingest, a source without a mapping table) and bodies whose ``Content-Length`` is already
too large (answered before the route runs).

Rates: call success rate = (calls − failed_calls) / calls; record success rate = records_accepted /
(records_accepted + records_refused); each null when its denominator is 0. Hours are UTC hour starts
(China's offset is whole hours, so they are China's hours too)."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import Connection, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from orderdesk.hub.schema import ingest_stats
from orderdesk.hub.store import HubStore, now_ms

log = logging.getLogger(__name__)
HOUR_MS = 3_600_000
HOURS_SHOWN = 48  # the per-hour buckets an answer carries: the last two days
COUNTS = ("calls", "failed_calls", "records_accepted", "records_refused")


def hour_of(at_ms: int) -> int:
    return at_ms - at_ms % HOUR_MS


def count(c: Connection, source: str, at_ms: int, *, failed: bool = False, accepted: int = 0, refused: int = 0) -> None:
    """One call of ``source``'s ingest, added to its hour's row (an upsert, SQLite and PostgreSQL alike)."""
    values = {"source": source, "hour_ms": hour_of(at_ms), "calls": 1, "failed_calls": int(failed),
              "records_accepted": accepted, "records_refused": refused}  # fmt: skip
    upsert = pg_insert(ingest_stats) if c.dialect.name == "postgresql" else sqlite_insert(ingest_stats)
    statement = upsert.values(**values)
    added = {name: ingest_stats.c[name] + statement.excluded[name] for name in COUNTS}
    c.execute(statement.on_conflict_do_update(index_elements=["source", "hour_ms"], set_=added))


def count_failed_call(store: HubStore, source: str) -> None:
    """A call refused or failed as a whole, in a transaction of its own. Never raises: counting must not
    turn a refusal into a server error."""
    try:
        with store.guarded() as c:
            count(c, source, now_ms(), failed=True)
    except Exception:  # the database may be what failed the call: the refusal still goes out
        log.warning("could not count a failed ingest call of %s", source, exc_info=True)


def _rate(good: int, whole: int) -> float | None:
    return good / whole if whole else None


def summary(c: Connection, since_ms: int, now: int, sources: tuple[str, ...]) -> dict[str, Any]:
    """Totals per source from the hour ``since_ms`` falls in (every source with a mapping table, with
    zeros when it made no call), and the per-hour buckets of the last 48 hours (hours with no call left
    out), oldest first."""
    since = hour_of(since_ms)
    t = ingest_stats.c
    sums = [func.coalesce(func.sum(t[name]), 0).label(name) for name in COUNTS]
    rows = c.execute(select(t.source, *sums).where(t.hour_ms >= since).group_by(t.source)).all()
    totals: dict[str, dict[str, int]] = {source: dict.fromkeys(COUNTS, 0) for source in sources}
    for row in rows:
        totals[row.source] = {name: int(row._mapping[name]) for name in COUNTS}
    shown = [
        {"source": source, **counts,
         "call_success_rate": _rate(counts["calls"] - counts["failed_calls"], counts["calls"]),
         "record_success_rate": _rate(counts["records_accepted"],
                                      counts["records_accepted"] + counts["records_refused"])}
        for source, counts in sorted(totals.items())
    ]  # fmt: skip
    first_hour = max(since, hour_of(now) - (HOURS_SHOWN - 1) * HOUR_MS)
    query = select(t.source, t.hour_ms, *(t[name] for name in COUNTS)).where(t.hour_ms >= first_hour)
    hours = [
        {"source": row.source, "hour_ms": int(row.hour_ms), **{name: int(row._mapping[name]) for name in COUNTS}}
        for row in c.execute(query.order_by(t.hour_ms, t.source))
    ]
    return {"since_ms": since, "until_ms": now, "sources": shown, "hours": hours}
