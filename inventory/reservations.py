"""Reservations with a time limit: reserve (SKU, quantity, channel, campaign, TTL — 15 minutes unless
said) moves sellable → reserved and takes from the channel's quota, if it has one; a payment confirms
it (reserved → committed), a cancellation releases it (reserved → sellable), and the sweeper expires
what is past its deadline through a deadline index — never key-expiry notifications. A key is one
reservation, however often it is asked for; a confirm racing an expiry: exactly one of them wins
(each changes the reservation only ``WHERE state = 'held'``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select, update

from inventory.ledger import InventoryRefused, check_quantity, known_sku, move
from inventory.pools import Pool
from inventory.schema import quotas, reservations

DEFAULT_TTL_S = 15 * 60
MAX_TTL_S = 24 * 3600
ANY = ""  # a reservation without a campaign


@dataclass(frozen=True, slots=True)
class Reservation:
    key: str
    sku: str
    warehouse: str
    quantity: int
    channel: str
    campaign: str
    state: str
    expires_at_ms: int
    replayed: bool = False


def _row(r: Any, replayed: bool = False) -> Reservation:
    return Reservation(r.idempotency_key, r.sku, r.warehouse, int(r.quantity), r.channel, r.campaign, r.state,
                       int(r.expires_at_ms), replayed)  # fmt: skip


def find(c: Connection, key: str) -> Reservation | None:
    row = c.execute(select(reservations).where(reservations.c.idempotency_key == key)).first()
    return _row(row) if row is not None else None


def reserve(c: Connection, *, sku: str, warehouse: str, quantity: int, channel: str, key: str, now_ms: int,
            campaign: str = ANY, ttl_s: int = DEFAULT_TTL_S, actor: str = "system") -> Reservation:  # fmt: skip
    check_quantity(quantity)
    if not isinstance(ttl_s, int) or isinstance(ttl_s, bool) or not 0 < ttl_s <= MAX_TTL_S:
        raise InventoryRefused("ttl_s", ttl_s, f"ttl_s {ttl_s!r}: from 1 second to a day ({MAX_TTL_S})",
                               f"ttl_s {ttl_s!r}:预占时限应为 1 秒到 1 天({MAX_TTL_S} 秒)")  # fmt: skip
    earlier = find(c, key)
    if earlier is not None:
        if (earlier.sku, earlier.warehouse, earlier.quantity, earlier.channel) != (sku, warehouse, quantity, channel):
            raise InventoryRefused("idempotency_key", key, "this key was used for another reservation",
                                   "此幂等键已用于另一笔预占", kind="conflict")  # fmt: skip
        return _row_replayed(earlier)
    if not known_sku(c, sku):
        raise InventoryRefused("sku", sku, f"no stock was ever recorded for SKU {sku}", f"SKU {sku} 没有任何库存记录")
    _take_quota(c, sku, warehouse, channel, campaign, quantity)
    move(c, sku=sku, warehouse=warehouse, from_pool=Pool.SELLABLE, to_pool=Pool.RESERVED, quantity=quantity,
         reason="reserve", actor=actor, ref_kind="reservation", ref_id=key, key=f"reserve:{key}", at_ms=now_ms)  # fmt: skip
    expires = now_ms + ttl_s * 1000
    c.execute(reservations.insert().values(idempotency_key=key, sku=sku, warehouse=warehouse, quantity=quantity,
                                           channel=channel, campaign=campaign, state="held", expires_at_ms=expires,
                                           created_at_ms=now_ms, detail_json=json.dumps({"actor": actor})))  # fmt: skip
    return Reservation(key, sku, warehouse, quantity, channel, campaign, "held", expires)


def _take_quota(c: Connection, sku: str, warehouse: str, channel: str, campaign: str, quantity: int) -> None:
    q = quotas.c
    where = (q.sku == sku, q.warehouse == warehouse, q.channel == channel, q.campaign == campaign)
    if c.execute(select(q.quantity).where(*where)).first() is None:
        return  # no quota for this channel and campaign: the sellable pool alone decides
    taken = c.execute(update(quotas).where(*where, q.taken + quantity <= q.quantity)
                      .values(taken=q.taken + quantity).returning(q.taken)).first()  # fmt: skip
    if taken is None:
        raise InventoryRefused("channel", channel, f"{channel}'s quota of {sku} is used up",
                               f"{channel} 的 {sku} 配额已用完", kind="insufficient")  # fmt: skip


def _give_back_quota(c: Connection, r: Reservation) -> None:
    q = quotas.c
    c.execute(update(quotas).where(q.sku == r.sku, q.warehouse == r.warehouse, q.channel == r.channel,
                                   q.campaign == r.campaign, q.taken >= r.quantity)
              .values(taken=q.taken - r.quantity))  # fmt: skip


def _settle(c: Connection, key: str, to_state: str, to_pool: Pool, now_ms: int, actor: str) -> Reservation:
    r = find(c, key)
    if r is None:
        raise InventoryRefused("reservation", key, f"no reservation {key}", f"没有预占 {key}", kind="invalid")
    if r.state == to_state:
        return _row_replayed(r)  # the same settlement again: done once
    won = c.execute(update(reservations).where(reservations.c.idempotency_key == key, reservations.c.state == "held")
                    .values(state=to_state)).rowcount  # fmt: skip
    if won != 1:
        raise InventoryRefused("reservation", key, f"reservation {key} is {r.state} already", f"预占 {key} 已是 {r.state}",
                               kind="conflict")  # fmt: skip
    move(c, sku=r.sku, warehouse=r.warehouse, from_pool=Pool.RESERVED, to_pool=to_pool, quantity=r.quantity,
         reason=to_state, actor=actor, ref_kind="reservation", ref_id=key, key=f"{to_state}:{key}", at_ms=now_ms)  # fmt: skip
    if to_pool is Pool.SELLABLE:
        _give_back_quota(c, r)
    return Reservation(r.key, r.sku, r.warehouse, r.quantity, r.channel, r.campaign, to_state, r.expires_at_ms)


def _row_replayed(r: Reservation) -> Reservation:
    return Reservation(r.key, r.sku, r.warehouse, r.quantity, r.channel, r.campaign, r.state, r.expires_at_ms, True)


def confirm(c: Connection, key: str, now_ms: int, actor: str = "system") -> Reservation:
    """Paid: reserved → committed."""
    return _settle(c, key, "confirmed", Pool.COMMITTED, now_ms, actor)


def release(c: Connection, key: str, now_ms: int, actor: str = "system") -> Reservation:
    """Cancelled: reserved → sellable, and the quota given back."""
    return _settle(c, key, "released", Pool.SELLABLE, now_ms, actor)


def expire_due(c: Connection, now_ms: int, limit: int = 1000) -> int:
    """Expire up to ``limit`` holds past their deadline (the sweeper calls this in a loop); how many."""
    r = reservations.c
    due = [k for (k,) in c.execute(select(r.idempotency_key).where(r.state == "held", r.expires_at_ms <= now_ms)
                                   .order_by(r.expires_at_ms).limit(limit))]  # fmt: skip
    done = 0
    for key in due:
        try:
            _settle(c, key, "expired", Pool.SELLABLE, now_ms, "system:sweeper")
            done += 1
        except InventoryRefused:  # confirmed or released meanwhile: it is theirs
            continue
    return done
