"""What a console sees of a SKU (the feed's ``stock`` change and ``GET /v1/inventory``): its pools per
warehouse, quotas, holds about to expire, the breaker and oversold units, pending listing actions —
made for many SKUs at once, one query per table (never one per SKU) — and the figures the health
score will read (how long stock stays reserved, oversold units, breaker trips)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, and_, func, select

from orderdesk.inventory.breaker import BreakerRule, reason_words
from orderdesk.inventory.pools import LEVEL_POOLS
from orderdesk.inventory.schema import levels, listing_actions, movements, quotas, reservations, sales, skus

EXPIRING_SHOWN = 10  # the holds nearest their deadline, per SKU


def snapshots(
    c: Connection, names: Sequence[str], now_ms: int, rule: BreakerRule | None = None
) -> list[dict[str, Any]]:
    rule = rule or BreakerRule()
    names = list(dict.fromkeys(names))
    if not names:
        return []
    bodies: dict[str, dict[str, Any]] = {}
    for row in c.execute(select(skus).where(skus.c.sku.in_(names))):
        bodies[row.sku] = {
            "sku": row.sku, "title": row.title, "fast_path": bool(row.fast_path), "version": int(row.version),
            "breaker": {"state": row.breaker, "since_ms": int(row.breaker_changed_at_ms),
                        "reason": reason_words(row.breaker_reason)[1] if row.breaker_reason else "",
                        "reason_zh": reason_words(row.breaker_reason)[0] if row.breaker_reason else "",
                        "trips": int(row.trips)},
            "levels": {}, "totals": {p.value: 0 for p in LEVEL_POOLS}, "quotas": [],
            "held": {"count": 0, "units": 0, "next_expiry_ms": None, "expiring": []},
            "oversold_window_units": 0, "oversold_total_units": 0, "listing_actions": [], "at_ms": now_ms,
        }  # fmt: skip
    found = list(bodies)
    for row in c.execute(select(levels).where(levels.c.sku.in_(found))):
        body = bodies[row.sku]
        body["levels"].setdefault(row.warehouse, {p.value: 0 for p in LEVEL_POOLS})[row.pool] = int(row.quantity)
        body["totals"][row.pool] = body["totals"].get(row.pool, 0) + int(row.quantity)
    for row in c.execute(select(quotas).where(quotas.c.sku.in_(found)).order_by(quotas.c.channel, quotas.c.campaign)):
        bodies[row.sku]["quotas"].append({"warehouse": row.warehouse, "channel": row.channel, "campaign": row.campaign,
                                          "quantity": int(row.quantity), "taken": int(row.taken)})  # fmt: skip
    r = reservations.c
    held = select(r.sku, func.count(), func.sum(r.quantity), func.min(r.expires_at_ms)).where(
        r.sku.in_(found), r.state == "held").group_by(r.sku)  # fmt: skip
    for sku, count, units, first in c.execute(held):
        bodies[sku]["held"].update(
            count=int(count), units=int(units or 0), next_expiry_ms=int(first) if first else None
        )
    ranked = select(r.sku, r.idempotency_key, r.quantity, r.channel, r.campaign, r.expires_at_ms,
                    func.row_number().over(partition_by=r.sku, order_by=r.expires_at_ms).label("n")).where(
        r.sku.in_(found), r.state == "held").subquery()  # fmt: skip
    for row in c.execute(select(ranked).where(ranked.c.n <= EXPIRING_SHOWN).order_by(ranked.c.sku, ranked.c.n)):
        bodies[row.sku]["held"]["expiring"].append({"key": row.idempotency_key, "quantity": int(row.quantity),
                                                    "channel": row.channel, "campaign": row.campaign,
                                                    "expires_at_ms": int(row.expires_at_ms)})  # fmt: skip
    s = sales.c
    for sku, total in c.execute(
        select(s.sku, func.sum(s.oversold)).where(s.sku.in_(found), s.oversold > 0).group_by(s.sku)
    ):
        bodies[sku]["oversold_total_units"] = int(total or 0)
    recent = select(s.sku, s.at_ms, s.oversold).where(s.sku.in_(found), s.oversold > 0,
                                                      s.at_ms >= now_ms - rule.window_s * 1000)  # fmt: skip
    for sku, at_ms, oversold in c.execute(recent):
        breaker = bodies[sku]["breaker"]
        if breaker["state"] == "tripped" or at_ms >= breaker["since_ms"]:  # the window starts again at a resume
            bodies[sku]["oversold_window_units"] += int(oversold)
    a = listing_actions.c
    for row in c.execute(select(a.id, a.sku, a.channel, a.action, a.state, a.created_at_ms)
                         .where(a.sku.in_(found), a.state == "pending").order_by(a.id)):  # fmt: skip
        bodies[row.sku]["listing_actions"].append({"id": int(row.id), "channel": row.channel, "action": row.action,
                                                   "created_at_ms": int(row.created_at_ms)})  # fmt: skip
    for body in bodies.values():
        body["window"] = {"threshold_units": rule.threshold_units, "window_s": rule.window_s}
    return [bodies[name] for name in names if name in bodies]


def page(c: Connection, after: str, limit: int, now_ms: int, rule: BreakerRule | None = None) -> list[dict[str, Any]]:
    """A keyset page of SKUs by name (the console's first load; the feed keeps it current), without the
    concurrency drills' scratch SKUs (still found by name)."""
    names = list(c.execute(select(skus.c.sku).where(skus.c.sku > after, ~skus.c.sku.startswith(DRILL_PREFIX))
                           .order_by(skus.c.sku).limit(limit)).scalars())  # fmt: skip
    return snapshots(c, names, now_ms, rule)


def movements_of(c: Connection, sku: str, before_id: int | None, limit: int) -> list[dict[str, Any]]:
    """The SKU's movements, newest first (keyset on the id)."""
    m = movements.c
    query = select(m.id, m.warehouse, m.from_pool, m.to_pool, m.quantity, m.reason, m.actor, m.ref_kind, m.ref_id,
                   m.at_ms).where(m.sku == sku)  # fmt: skip
    if before_id is not None:
        query = query.where(m.id < before_id)
    return [dict(row._mapping) for row in c.execute(query.order_by(m.id.desc()).limit(limit))]


DRILL_PREFIX = "DRILL-"  # concurrency drills' scratch SKUs (orderdesk inventory drill): not the business's stock


def figures(c: Connection, now_ms: int, since_ms: int) -> dict[str, Any]:
    """For the health score: how long stock stayed reserved (settled holds since ``since_ms``), holds now,
    oversold units, breaker trips and SKUs tripped now. A drill's holds are left out."""
    r, m = reservations.c, movements.c
    settling = and_(m.ref_kind == "reservation", m.ref_id == r.idempotency_key,
                    m.reason.in_(["confirmed", "released", "expired"]))  # fmt: skip
    settled = (
        select(m.at_ms - r.created_at_ms).select_from(reservations.join(movements, settling))
        .where(m.at_ms >= since_ms, ~r.sku.startswith(DRILL_PREFIX))
    )  # fmt: skip
    spans = sorted(int(v) for v in c.execute(settled).scalars())
    by_state: dict[str, int] = dict(c.execute(select(r.state, func.count()).where(r.created_at_ms >= since_ms, ~r.sku.startswith(DRILL_PREFIX))
                              .group_by(r.state)).all())  # fmt: skip
    held_now = c.execute(select(func.count(), func.coalesce(func.sum(r.quantity), 0)).where(r.state == "held")).one()
    s = sales.c
    oversold = c.execute(select(func.coalesce(func.sum(s.oversold), 0), func.count())
                         .where(s.at_ms >= since_ms, s.oversold > 0)).one()  # fmt: skip
    trips = c.execute(select(func.coalesce(func.sum(skus.c.trips), 0))).scalar_one()
    tripped_now = list(c.execute(select(skus.c.sku).where(skus.c.breaker == "tripped").order_by(skus.c.sku)).scalars())

    def pct(q: float) -> int | None:
        return spans[min(len(spans) - 1, int(q * len(spans)))] if spans else None

    return {
        "since_ms": since_ms, "at_ms": now_ms,
        "reserved_ms": {"settled": len(spans), "mean": (sum(spans) // len(spans)) if spans else None, "p50": pct(0.5),
                        "p90": pct(0.9), "max": spans[-1] if spans else None},
        "reservations": {state: int(n) for state, n in by_state.items()},
        "held_now": {"count": int(held_now[0]), "units": int(held_now[1])},
        "oversold": {"units": int(oversold[0]), "sales": int(oversold[1])},
        "breaker": {"trips": int(trips), "tripped_now": tripped_now},
    }  # fmt: skip
