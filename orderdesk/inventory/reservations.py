"""Reservations with a time limit: reserve (SKU, quantity, channel, campaign, TTL — 15 minutes unless
said) moves sellable → reserved and takes from the channel's quota, if it has one; a payment confirms
it (reserved → committed), a cancellation releases it (reserved → sellable), and the sweeper expires
what is past its deadline through a deadline index — never key-expiry notifications. A key is one
reservation, however often it is asked for; a confirm racing an expiry: exactly one of them wins
(each changes the reservation only ``WHERE state = 'held'``)."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, func, select, update

from orderdesk.inventory.ledger import InventoryRefused, check_quantity, check_sku, level, move, move_bulk, touch
from orderdesk.inventory.pools import Pool
from orderdesk.inventory.schema import movements, quotas, reservations, skus

log = logging.getLogger(__name__)
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
    check_sku(sku)
    check_sku(channel, "channel")
    if not isinstance(key, str) or not 1 <= len(key) <= 128:
        raise InventoryRefused("idempotency_key", key, en="idempotency_key: 1 to 128 characters",
                               zh="idempotency_key:应为 1 到 128 个字符")  # fmt: skip
    if not isinstance(ttl_s, int) or isinstance(ttl_s, bool) or not 0 < ttl_s <= MAX_TTL_S:
        raise InventoryRefused("ttl_s", ttl_s, en=f"ttl_s {ttl_s!r}: from 1 second to a day ({MAX_TTL_S})",
                               zh=f"ttl_s {ttl_s!r}:预占时限应为 1 秒到 1 天({MAX_TTL_S} 秒)")  # fmt: skip
    earlier = find(c, key)
    if earlier is not None:
        if (earlier.sku, earlier.warehouse, earlier.quantity, earlier.channel) != (sku, warehouse, quantity, channel):
            raise InventoryRefused("idempotency_key", key, en="this key was used for another reservation",
                                   zh="此幂等键已用于另一笔预占", kind="conflict")  # fmt: skip
        return _row_replayed(earlier)
    breaker = c.execute(select(skus.c.breaker, skus.c.breaker_reason).where(skus.c.sku == sku)).first()
    if breaker is None:
        raise InventoryRefused(
            "sku", sku, en=f"no stock was ever recorded for SKU {sku}", zh=f"SKU {sku} 没有任何库存记录"
        )
    if breaker.breaker == "tripped":
        from orderdesk.inventory.breaker import reason_words

        zh, en = reason_words(breaker.breaker_reason)
        raise InventoryRefused("sku", sku, en=f"SKU {sku} is paused by the oversell breaker ({en}); a supervisor resumes it",
                               zh=f"SKU {sku} 已被超卖熔断暂停({zh}),需主管恢复", kind="paused")  # fmt: skip
    expires = now_ms + ttl_s * 1000
    c.execute(reservations.insert().values(idempotency_key=key, sku=sku, warehouse=warehouse, quantity=quantity,
                                           channel=channel, campaign=campaign, state="held", expires_at_ms=expires,
                                           created_at_ms=now_ms, detail_json=json.dumps({"actor": actor})))  # fmt: skip
    # The shared rows last (the levels, the SKU's version, the quota), so they stay locked only briefly.
    move(c, sku=sku, warehouse=warehouse, from_pool=Pool.SELLABLE, to_pool=Pool.RESERVED, quantity=quantity,
         reason="reserve", actor=actor, ref_kind="reservation", ref_id=key, key=f"reserve:{key}", at_ms=now_ms)  # fmt: skip
    _take_quota(c, sku, warehouse, channel, campaign, quantity)
    return Reservation(key, sku, warehouse, quantity, channel, campaign, "held", expires)


def _take_quota(c: Connection, sku: str, warehouse: str, channel: str, campaign: str, quantity: int) -> None:
    q = quotas.c
    where = (q.sku == sku, q.warehouse == warehouse, q.channel == channel, q.campaign == campaign)
    if c.execute(select(q.quantity).where(*where)).first() is None:
        # No quota of its own: it may take only what no quota sets aside. The guard just locked the
        # sellable row, so every other reservation of this SKU here waits: this read is consistent.
        set_aside = c.execute(select(func.coalesce(func.sum(q.quantity - q.taken), 0))
                              .where(q.sku == sku, q.warehouse == warehouse)).scalar_one()  # fmt: skip
        left = level(c, sku, warehouse, Pool.SELLABLE)
        if left < int(set_aside):
            raise InventoryRefused("channel", channel, en=f"{channel} has no quota of {sku}{' in ' + campaign if campaign else ''}"
                                   f", and the other {int(set_aside)} sellable are set aside for the quotas",
                                   zh=f"{channel} 没有 {sku} 的配额{'(活动 ' + campaign + ')' if campaign else ''},"
                                   f"其余 {int(set_aside)} 件可售已留给配额", kind="insufficient")  # fmt: skip
        return
    taken = c.execute(update(quotas).where(*where, q.taken + quantity <= q.quantity)
                      .values(taken=q.taken + quantity).returning(q.taken)).first()  # fmt: skip
    if taken is None:
        raise InventoryRefused("channel", channel, en=f"{channel}'s quota of {sku} is used up",
                               zh=f"{channel} 的 {sku} 配额已用完", kind="insufficient")  # fmt: skip


def _give_back_quota(c: Connection, r: Reservation) -> None:
    q = quotas.c
    c.execute(update(quotas).where(q.sku == r.sku, q.warehouse == r.warehouse, q.channel == r.channel,
                                   q.campaign == r.campaign, q.taken >= r.quantity)
              .values(taken=q.taken - r.quantity))  # fmt: skip


def _settle(c: Connection, key: str, to_state: str, to_pool: Pool, now_ms: int, actor: str) -> Reservation:
    r = find(c, key)
    if r is None:
        raise InventoryRefused("reservation", key, en=f"no reservation {key}", zh=f"没有预占 {key}", kind="invalid")
    if r.state == to_state:
        return _row_replayed(r)  # the same settlement again: done once
    won = c.execute(update(reservations).where(reservations.c.idempotency_key == key, reservations.c.state == "held")
                    .values(state=to_state)).rowcount  # fmt: skip
    if won != 1:
        raise InventoryRefused("reservation", key, en=f"reservation {key} is {r.state} already", zh=f"预占 {key} 已是 {r.state}",
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
    """Expire up to ``limit`` holds past their deadline (the sweeper calls this in a loop); how many.

    In bulk, one SKU at a time in its own savepoint: its holds are claimed with one ``UPDATE … WHERE
    state = 'held' RETURNING`` (a confirm or release that got there first keeps its hold), its reserved →
    sellable is one guarded write for all of them, and every hold still gets its own ledger row. A SKU
    whose reserved level cannot cover its holds (a fault) is logged and left; the others still expire."""
    r = reservations.c
    due = c.execute(select(r.idempotency_key, r.sku, r.warehouse).where(r.state == "held", r.expires_at_ms <= now_ms)
                    .order_by(r.expires_at_ms).limit(limit)).all()  # fmt: skip
    groups: dict[tuple[str, str], list[str]] = {}
    for key, sku, warehouse in due:
        groups.setdefault((sku, warehouse), []).append(key)
    done = 0
    for (sku, warehouse), keys in sorted(groups.items()):
        try:
            with c.begin_nested():
                done += _expire_group(c, sku, warehouse, keys, now_ms)
        except InventoryRefused as exc:
            log.error("holds of %s @ %s not expired: %s (orderdesk inventory differences)", sku, warehouse, exc)
    return done


def _expire_group(c: Connection, sku: str, warehouse: str, keys: list[str], now_ms: int) -> int:
    r = reservations.c
    won = c.execute(update(reservations).where(r.idempotency_key.in_(keys), r.state == "held").values(state="expired")
                    .returning(r.idempotency_key, r.quantity, r.channel, r.campaign)).all()  # fmt: skip
    if not won:
        return 0
    move_bulk(c, sku, warehouse, Pool.RESERVED, Pool.SELLABLE, sum(int(row.quantity) for row in won))
    c.execute(movements.insert(), [
        {"idempotency_key": f"expired:{row.idempotency_key}", "sku": sku, "warehouse": warehouse,
         "from_pool": Pool.RESERVED.value, "to_pool": Pool.SELLABLE.value, "quantity": int(row.quantity),
         "reason": "expired", "actor": "system:sweeper", "ref_kind": "reservation", "ref_id": row.idempotency_key,
         "at_ms": now_ms} for row in won])  # fmt: skip
    quota_back: dict[tuple[str, str], int] = {}
    for row in won:
        quota_back[(row.channel, row.campaign)] = quota_back.get((row.channel, row.campaign), 0) + int(row.quantity)
    q = quotas.c
    c.execute(update(quotas).where(q.sku == sku, q.warehouse == warehouse, q.channel == bindparam("ch"),
                                   q.campaign == bindparam("cp"), q.taken >= bindparam("n"))
              .values(taken=q.taken - bindparam("n")),
              [{"ch": ch, "cp": cp, "n": n} for (ch, cp), n in quota_back.items()])  # fmt: skip
    touch(c, sku)
    return len(won)


def set_quota(
    c: Connection, *, sku: str, warehouse: str, channel: str, quantity: int, campaign: str = ANY
) -> dict[str, Any]:
    """Give ``channel`` (in ``campaign``) at most ``quantity`` units of the SKU here. The quotas split the
    sellable stock: what all of them still allow together may not exceed what is sellable."""
    check_sku(sku)
    check_sku(channel, "channel")
    if not isinstance(quantity, int) or isinstance(quantity, bool) or not 0 <= quantity <= 10**9:
        raise InventoryRefused("quantity", quantity, en=f"quantity {quantity!r}: a whole number from 0",
                               zh=f"quantity {quantity!r}:应为不小于 0 的整数")  # fmt: skip
    if c.execute(select(skus.c.sku).where(skus.c.sku == sku)).first() is None:
        raise InventoryRefused(
            "sku", sku, en=f"no stock was ever recorded for SKU {sku}", zh=f"SKU {sku} 没有任何库存记录"
        )
    q = quotas.c
    mine = (q.sku == sku, q.warehouse == warehouse, q.channel == channel, q.campaign == campaign)
    taken = int(c.execute(select(q.taken).where(*mine)).scalar() or 0)
    if quantity < taken:
        raise InventoryRefused("quantity", quantity, en=f"{channel} has taken {taken} already; the quota cannot be lower",
                               zh=f"{channel} 已占用 {taken},配额不能更低")  # fmt: skip
    others = c.execute(select(func.coalesce(func.sum(q.quantity - q.taken), 0)).where(
        q.sku == sku, q.warehouse == warehouse, ~((q.channel == channel) & (q.campaign == campaign)))).scalar_one()  # fmt: skip
    sellable = level(c, sku, warehouse, Pool.SELLABLE)
    if int(others) + quantity - taken > sellable:
        raise InventoryRefused("quantity", quantity, en=f"quota above the stock: {sellable} sellable, other quotas still "
                               f"allow {others}", zh=f"配额超过库存:可售 {sellable},其他配额仍可用 {others}")  # fmt: skip
    if taken or c.execute(select(q.quantity).where(*mine)).first() is not None:
        c.execute(update(quotas).where(*mine).values(quantity=quantity))
    else:
        c.execute(quotas.insert().values(sku=sku, warehouse=warehouse, channel=channel, campaign=campaign,
                                         quantity=quantity, taken=0))  # fmt: skip
    touch(c, sku)
    return {"sku": sku, "warehouse": warehouse, "channel": channel, "campaign": campaign, "quantity": quantity,
            "taken": taken}  # fmt: skip
