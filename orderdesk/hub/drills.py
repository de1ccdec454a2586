"""Concurrency drills as the hub saw them: after a drill (inventory/drill.py) the hub counts, from its own
ledger, the holds it granted on the drill's SKU since the drill began, and checks that no level went
below zero and every level is the ledger's sum. The self-check's row 2 reads the latest."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Column, Connection, Float, String, Table, func, select

from orderdesk.hub.schema import Id, metadata
from orderdesk.inventory import ledger
from orderdesk.inventory.pools import Pool
from orderdesk.inventory.schema import reservations

drills = Table(
    "hub_drills",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("sku", String(64), nullable=False),
    Column("requests", BigInteger, nullable=False),
    Column("stock", BigInteger, nullable=False),
    Column("holds", BigInteger, nullable=False),
    Column("units_held", BigInteger, nullable=False),
    Column("oversold", BigInteger, nullable=False),
    Column("differences", BigInteger, nullable=False),
    Column("p99_ms", Float, nullable=False),
    Column("seconds", Float, nullable=False),
    Column("actor", String(64), nullable=False),
    Column("at_ms", BigInteger, nullable=False),
)


def record(c: Connection, *, sku: str, requests: int, stock: int, started_ms: int, p99_ms: float, seconds: float,
           actor: str, now: int) -> dict[str, Any]:  # fmt: skip
    r = reservations.c
    holds, units = c.execute(select(func.count(), func.coalesce(func.sum(r.quantity), 0))
                             .where(r.sku == sku, r.created_at_ms >= started_ms)).one()  # fmt: skip
    wrong = [d for d in ledger.differences(c) if d.get("sku") == sku]
    negative = any(ledger.level(c, sku, "MAIN", pool) < 0 for pool in Pool if pool is not Pool.OUTSIDE)
    row = {"sku": sku, "requests": requests, "stock": stock, "holds": int(holds), "units_held": int(units),
           "oversold": max(0, int(units) - stock), "differences": len(wrong) + int(negative), "p99_ms": p99_ms,
           "seconds": seconds, "actor": actor, "at_ms": now}  # fmt: skip
    c.execute(drills.insert().values(**row))
    return row


def latest(c: Connection) -> dict[str, Any] | None:
    row = c.execute(select(drills).order_by(drills.c.id.desc()).limit(1)).first()
    return dict(row._mapping) if row else None
