"""The oversell breaker. Channels sell on their own counters, so a paid order can arrive for stock that
was never reserved here: each such sale takes what sellable stock there is (sellable → committed) and
the rest is oversold. Above the threshold (more than 30 units in 5 minutes unless told) the SKU trips,
once: its reservations are refused, every channel that sold it in the window is asked to pause the
listing, an alert is queued for the group robot, and the trip is audited. A supervisor resumes it
(audited too); the window then starts again at the resume, so old oversales cannot re-trip it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from orderdesk.inventory.ledger import InventoryRefused, check_quantity, check_sku, level, move, touch
from orderdesk.inventory.pools import Pool
from orderdesk.inventory.schema import alerts, breaker_audit, listing_actions, sales, skus

MOST_RETRIES = 20  # a concurrent sale took the stock this one saw: read again (the guard never oversells)


@dataclass(frozen=True, slots=True)
class BreakerRule:
    threshold_units: int = 30  # trips on more than this many oversold units…
    window_s: int = 300  # …within this many seconds


@dataclass(frozen=True, slots=True)
class Sale:
    key: str
    sku: str
    quantity: int
    covered: int
    oversold: int
    tripped: bool = False  # this sale tripped the breaker
    replayed: bool = False


def record_sale(c: Connection, *, sku: str, warehouse: str, quantity: int, channel: str, order_ref: str, key: str,
                now_ms: int, rule: BreakerRule | None = None) -> Sale:  # fmt: skip
    """A paid order sold on the channel's own counter: cover it from sellable, count the rest oversold."""
    rule = rule or BreakerRule()
    check_quantity(quantity)
    check_sku(sku)
    check_sku(channel, "channel")
    s = sales.c
    earlier = c.execute(
        select(s.sku, s.quantity, s.covered, s.oversold, s.channel).where(s.idempotency_key == key)
    ).first()
    if earlier is not None:
        if (earlier.sku, earlier.quantity, earlier.channel) != (sku, quantity, channel):
            raise InventoryRefused("idempotency_key", key, en="this key was used for another sale", zh="此幂等键已用于另一笔销售",
                                   kind="conflict")  # fmt: skip
        return Sale(key, sku, quantity, int(earlier.covered), int(earlier.oversold), replayed=True)
    if c.execute(select(skus.c.sku).where(skus.c.sku == sku)).first() is None:
        raise InventoryRefused(
            "sku", sku, en=f"no stock was ever recorded for SKU {sku}", zh=f"SKU {sku} 没有任何库存记录"
        )
    covered = 0
    for _ in range(MOST_RETRIES):
        covered = min(quantity, level(c, sku, warehouse, Pool.SELLABLE))
        if covered == 0:
            break
        try:
            with c.begin_nested():  # a refused attempt leaves nothing behind for the next one
                move(c, sku=sku, warehouse=warehouse, from_pool=Pool.SELLABLE, to_pool=Pool.COMMITTED, quantity=covered,
                     reason="channel_sale", actor=f"channel:{channel}", ref_kind="order", ref_id=order_ref[:64],
                     key=f"sale:{key}", at_ms=now_ms)  # fmt: skip
            break
        except InventoryRefused as exc:
            if exc.kind != "insufficient":
                raise
    else:
        covered = 0
    oversold = quantity - covered
    c.execute(insert(sales).values(idempotency_key=key, sku=sku, warehouse=warehouse, channel=channel,
                                   order_ref=order_ref[:64], quantity=quantity, covered=covered, oversold=oversold,
                                   at_ms=now_ms))  # fmt: skip
    tripped = oversold > 0 and _trip_if_over(c, sku, now_ms, rule)
    if oversold > 0 and not tripped:
        touch(c, sku)  # the oversold count moved: the consoles see it
    return Sale(key, sku, quantity, covered, oversold, tripped=tripped)


def window_start(c: Connection, sku: str, now_ms: int, rule: BreakerRule) -> int:
    changed = c.execute(select(skus.c.breaker_changed_at_ms).where(skus.c.sku == sku)).scalar() or 0
    return max(now_ms - rule.window_s * 1000, int(changed))


def oversold_in_window(c: Connection, sku: str, now_ms: int, rule: BreakerRule) -> int:
    since = window_start(c, sku, now_ms, rule)
    total = c.execute(select(func.coalesce(func.sum(sales.c.oversold), 0))
                      .where(sales.c.sku == sku, sales.c.at_ms >= since)).scalar_one()  # fmt: skip
    return int(total)


def _trip_if_over(c: Connection, sku: str, now_ms: int, rule: BreakerRule) -> bool:
    units = oversold_in_window(c, sku, now_ms, rule)
    if units <= rule.threshold_units:
        return False
    minutes = rule.window_s // 60
    reason = json.dumps({"units": units, "window_s": rule.window_s, "threshold_units": rule.threshold_units})
    won = c.execute(update(skus).where(skus.c.sku == sku, skus.c.breaker == "closed")
                    .values(breaker="tripped", breaker_changed_at_ms=now_ms, breaker_reason=reason, trips=skus.c.trips + 1,
                            version=skus.c.version + 1)).rowcount  # fmt: skip
    if won != 1:
        return False  # tripped already (by a sale committed just before this one)
    since = now_ms - rule.window_s * 1000
    channels = sorted(
        c.execute(select(sales.c.channel).distinct().where(sales.c.sku == sku, sales.c.at_ms >= since)).scalars()
    )
    for channel in channels:
        c.execute(insert(listing_actions).values(sku=sku, channel=channel, action="pause", state="pending",
                                                 reason=reason_words(reason)[1], created_at_ms=now_ms))  # fmt: skip
    detail = {"oversold_units": units, "window_s": rule.window_s, "threshold_units": rule.threshold_units,
              "channels": channels}  # fmt: skip
    _audit(c, sku, "tripped", "system:breaker", now_ms, detail)
    title = c.execute(select(skus.c.title).where(skus.c.sku == sku)).scalar() or ""
    c.execute(insert(alerts).values(
        key=f"breaker:{sku}", at_ms=now_ms,
        title_zh=f"超卖熔断:{title or sku}({sku})", title_en=f"Oversell breaker tripped: {title or sku} ({sku})",
        lines_json=json.dumps([f"{minutes} 分钟内超卖 {units} 件(阈值 {rule.threshold_units})",
                               f"已暂停预占,并通知渠道下架:{'、'.join(channels) or '无'}",
                               "主管在 OrderDesk「库存」中核实后恢复"], ensure_ascii=False),
    ))  # fmt: skip
    return True


def reason_words(reason: str) -> tuple[str, str]:
    """Why the breaker tripped, in Chinese and English (it is kept as its figures)."""
    try:
        figures = json.loads(reason)
        units, minutes, threshold = (
            int(figures["units"]),
            int(figures["window_s"]) // 60,
            int(figures["threshold_units"]),
        )
    except (ValueError, KeyError, TypeError):
        return reason, reason
    return (f"{minutes} 分钟内超卖 {units} 件(阈值 {threshold} 件)",
            f"{units} units oversold in {minutes} min (threshold {threshold})")  # fmt: skip


def resume(c: Connection, sku: str, actor: str, now_ms: int, note: str) -> dict[str, Any]:
    """A supervisor lets the SKU sell again: the breaker closes, the paused listings are asked to resume.
    The note (why it is safe) is required: it is what the audit keeps."""
    check_sku(sku)
    if not isinstance(note, str) or not note.strip():
        raise InventoryRefused("note", note, en="a resume says why it is safe to sell again", zh="恢复销售须说明理由")
    row = c.execute(select(skus.c.breaker, skus.c.breaker_changed_at_ms).where(skus.c.sku == sku)).first()
    if row is None:
        raise InventoryRefused("sku", sku, en=f"no SKU {sku}", zh=f"没有 SKU {sku}")
    won = c.execute(update(skus).where(skus.c.sku == sku, skus.c.breaker == "tripped")
                    .values(breaker="closed", breaker_changed_at_ms=now_ms, breaker_reason="",
                            version=skus.c.version + 1)).rowcount  # fmt: skip
    if won != 1:
        raise InventoryRefused(
            "sku", sku, en=f"the breaker of {sku} is not tripped", zh=f"{sku} 未处于熔断状态", kind="conflict"
        )
    a = listing_actions.c
    paused = sorted(c.execute(select(a.channel).distinct().where(a.sku == sku, a.action == "pause",
                                                                a.created_at_ms >= row.breaker_changed_at_ms)).scalars())  # fmt: skip
    for channel in paused:
        c.execute(insert(listing_actions).values(sku=sku, channel=channel, action="resume", state="pending",
                                                 reason=f"resumed by {actor}", created_at_ms=now_ms))  # fmt: skip
    detail = {"note": note[:500], "channels": paused}
    _audit(c, sku, "resumed", actor, now_ms, detail)
    return {"sku": sku, "breaker": "closed", "channels": paused}


def listing_done(c: Connection, action_id: int, now_ms: int) -> str | None:
    """The channel did what it was asked (paused or resumed the listing). Saying so twice is once; None
    when there is no such action."""
    a = listing_actions.c
    sku = c.execute(update(listing_actions).where(a.id == action_id, a.state == "pending")
                    .values(state="done", done_at_ms=now_ms).returning(a.sku)).scalar()  # fmt: skip
    if sku is not None:
        touch(c, sku)
        return "done"
    return "done" if c.execute(select(a.id).where(a.id == action_id)).first() is not None else None


def pending_listing_actions(c: Connection, channel: str | None = None, limit: int = 500) -> list[dict[str, Any]]:
    a = listing_actions.c
    query = select(a.id, a.sku, a.channel, a.action, a.reason, a.created_at_ms).where(a.state == "pending")
    if channel is not None:
        query = query.where(a.channel == channel)
    return [dict(r._mapping) for r in c.execute(query.order_by(a.id).limit(limit))]


def _audit(c: Connection, sku: str, event: str, actor: str, now_ms: int, detail: dict[str, Any]) -> None:
    c.execute(insert(breaker_audit).values(sku=sku, event=event, actor=actor, at_ms=now_ms,
                                           detail_json=json.dumps(detail, ensure_ascii=False)))  # fmt: skip
