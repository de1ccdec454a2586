"""The one inventory ledger: every change to a pool is an append-only movement (from pool, to pool,
quantity, reason, actor, reference, idempotency key) written in the same transaction as the level it
changes. The guard is one atomic conditional write — ``UPDATE … SET quantity = quantity - n WHERE …
AND quantity >= n RETURNING`` — never a read followed by a write; a CHECK keeps every level at or above
zero whatever code runs. The same key twice is the same movement, served once.

Run each function inside ``HubStore.guarded()`` (SQLite: BEGIN IMMEDIATE; PostgreSQL: READ COMMITTED,
where a waiting UPDATE re-checks its WHERE on the row the other transaction committed)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, insert, literal, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from orderdesk.inventory.pools import LEVEL_POOLS, POOL_LABELS, Pool
from orderdesk.inventory.schema import levels, movements, skus
from orderdesk.sync.errors import BilingualError

MAX_QUANTITY = 10**9


class InventoryRefused(BilingualError, ValueError):
    """A movement or reservation refused, naming the field and the value, in Chinese and English."""

    def __init__(self, field: str, value: object, *, en: str, zh: str, kind: str = "invalid") -> None:
        super().__init__(en=en, zh=zh)
        self.field, self.value, self.kind = field, value, kind  # kind: invalid, insufficient, conflict


@dataclass(frozen=True, slots=True)
class Movement:
    id: int
    key: str
    sku: str
    warehouse: str
    from_pool: Pool
    to_pool: Pool
    quantity: int
    replayed: bool = False  # this key was served before: nothing moved now


def check_quantity(quantity: Any, field: str = "quantity") -> int:
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity <= 0 or quantity > MAX_QUANTITY:
        raise InventoryRefused(field, quantity, en=f"{field} {quantity!r}: a whole number of units from 1 to {MAX_QUANTITY:,}",
                               zh=f"{field} {quantity!r}:数量应为 1 到 {MAX_QUANTITY:,} 的整数")  # fmt: skip
    return quantity


def _upsert(c: Connection, table: Any = levels) -> Any:
    return pg_insert(table) if c.dialect.name == "postgresql" else sqlite_insert(table)


def known_sku(c: Connection, sku: str) -> bool:
    return c.execute(select(literal(1)).select_from(skus).where(skus.c.sku == sku)).first() is not None


def register_sku(c: Connection, sku: str, title: str | None = "", *, fast_path: bool | None = None) -> None:
    """Name a SKU (and put it on or off the fast path); None leaves what is there. Its version moves, so
    the feed tells the consoles."""
    check_sku(sku)
    values: dict[str, Any] = {"sku": sku, "title": (title or "")[:128]}
    if fast_path is not None:
        values["fast_path"] = int(fast_path)
    statement = _upsert(c, skus).values(**values)
    kept = {"sku"} | ({"title"} if title is None else set())
    c.execute(statement.on_conflict_do_update(index_elements=["sku"],
                                              set_={**{k: statement.excluded[k] for k in values if k not in kept},
                                                    "version": skus.c.version + 1}))  # fmt: skip


def check_sku(sku: Any, field: str = "sku") -> str:
    if (not isinstance(sku, str) or not 1 <= len(sku) <= 64 or not sku.isprintable() or sku != sku.strip()
            or any(c in sku for c in "/?#%\\")):  # fmt: skip
        raise InventoryRefused(field, sku, en=f"{field} {sku!r}: 1 to 64 printable characters, none of / ? # % \\",
                               zh=f"{field} {sku!r}:应为 1 到 64 个可打印字符,且不含 / ? # % \\")  # fmt: skip
    return sku


def touch(c: Connection, sku: str) -> None:
    """A change the consoles should see (a level, a quota, the breaker): the SKU's version moves."""
    statement = _upsert(c, skus).values(sku=sku, title="")
    c.execute(statement.on_conflict_do_update(index_elements=["sku"], set_={"version": skus.c.version + 1}))


def level(c: Connection, sku: str, warehouse: str, pool: Pool) -> int:
    found = c.execute(select(levels.c.quantity).where(levels.c.sku == sku, levels.c.warehouse == warehouse,
                                                      levels.c.pool == pool.value)).scalar()  # fmt: skip
    return int(found or 0)


def move(c: Connection, *, sku: str, warehouse: str, from_pool: Pool, to_pool: Pool, quantity: int, reason: str,
         actor: str, ref_kind: str, ref_id: str, key: str, at_ms: int) -> Movement:  # fmt: skip
    """Move ``quantity`` units; InventoryRefused (kind ``insufficient``) when ``from_pool`` holds fewer."""
    check_quantity(quantity)
    check_sku(sku)
    check_sku(warehouse, "warehouse")
    if from_pool == to_pool:
        raise InventoryRefused(
            "to_pool", to_pool.value, en="a movement goes from one pool to another", zh="移动须在两个不同的池之间"
        )
    m = movements.c
    earlier = c.execute(select(m.id, m.sku, m.warehouse, m.from_pool, m.to_pool, m.quantity)
                        .where(m.idempotency_key == key)).first()  # fmt: skip
    if earlier is not None:
        if (earlier.sku, earlier.warehouse, earlier.from_pool, earlier.to_pool, earlier.quantity) != (
                sku, warehouse, from_pool.value, to_pool.value, quantity):  # fmt: skip
            raise InventoryRefused("idempotency_key", key, en="this key was used for another movement",
                                   zh="此幂等键已用于另一次库存移动", kind="conflict")  # fmt: skip
        return Movement(earlier.id, key, sku, warehouse, from_pool, to_pool, quantity, replayed=True)
    # The ledger row first (no shared row is locked yet), then the levels in one fixed order, so two
    # transactions moving between the same pools in opposite directions never wait on each other in a
    # cycle; the hot rows stay locked only from here to the commit.
    made = c.execute(insert(movements).values(idempotency_key=key, sku=sku, warehouse=warehouse, from_pool=from_pool.value,
                                              to_pool=to_pool.value, quantity=quantity, reason=reason, actor=actor,
                                              ref_kind=ref_kind, ref_id=ref_id, at_ms=at_ms).returning(m.id)).scalar_one()  # fmt: skip
    _shift(c, sku, warehouse, from_pool, to_pool, quantity)
    touch(c, sku)
    return Movement(int(made), key, sku, warehouse, from_pool, to_pool, quantity)


def move_bulk(c: Connection, sku: str, warehouse: str, from_pool: Pool, to_pool: Pool, quantity: int) -> None:
    """The levels' half of many movements at once (the caller inserts their ledger rows in the same
    transaction): one guarded write out of ``from_pool``, one upsert into ``to_pool``."""
    _shift(c, sku, warehouse, from_pool, to_pool, quantity)


def _shift(c: Connection, sku: str, warehouse: str, from_pool: Pool, to_pool: Pool, quantity: int) -> None:
    """Take ``quantity`` out of ``from_pool`` (the guard: one conditional UPDATE) and put it into ``to_pool``,
    the two rows in the order of their pool names (a fixed lock order: no deadlocks between directions)."""
    for pool in sorted({from_pool, to_pool} - {Pool.OUTSIDE}, key=lambda p: p.value):
        if pool is from_pool:
            guard = (update(levels)
                     .where(levels.c.sku == sku, levels.c.warehouse == warehouse, levels.c.pool == pool.value,
                            levels.c.quantity >= quantity)
                     .values(quantity=levels.c.quantity - quantity).returning(levels.c.quantity))  # fmt: skip
            if c.execute(guard).first() is None:
                has = level(c, sku, warehouse, pool)
                zh, en = POOL_LABELS[pool]
                raise InventoryRefused("quantity", quantity, en=f"{sku} @ {warehouse}: {en} holds {has}, fewer than {quantity}",
                                       zh=f"{sku} @ {warehouse}:{zh}仅剩 {has},不足 {quantity}", kind="insufficient")  # fmt: skip
        else:
            statement = _upsert(c).values(sku=sku, warehouse=warehouse, pool=pool.value, quantity=quantity)
            c.execute(statement.on_conflict_do_update(index_elements=["sku", "warehouse", "pool"],
                                                      set_={"quantity": levels.c.quantity + statement.excluded.quantity}))  # fmt: skip


def differences(c: Connection) -> list[dict[str, Any]]:
    """Every level that is not the ledger's sum (pool levels are kept materialised: this checks them)."""
    m = movements.c
    sums: dict[tuple[str, str, str], int] = {}
    into = select(m.sku, m.warehouse, m.to_pool, func.sum(m.quantity)).group_by(m.sku, m.warehouse, m.to_pool)
    out = select(m.sku, m.warehouse, m.from_pool, func.sum(m.quantity)).group_by(m.sku, m.warehouse, m.from_pool)
    for sign, query in ((1, into), (-1, out)):
        for sku, warehouse, pool, total in c.execute(query):
            if pool != Pool.OUTSIDE.value:
                sums[(sku, warehouse, pool)] = sums.get((sku, warehouse, pool), 0) + sign * int(total)
    held = {(r.sku, r.warehouse, r.pool): int(r.quantity) for r in c.execute(select(levels))}
    found = []
    for key in sorted(set(sums) | set(held)):
        if sums.get(key, 0) != held.get(key, 0):
            found.append({"sku": key[0], "warehouse": key[1], "pool": key[2], "level": held.get(key, 0),
                          "ledger": sums.get(key, 0)})  # fmt: skip
    return found


__all__ = ["LEVEL_POOLS", "InventoryRefused", "Movement", "check_quantity", "check_sku", "differences", "known_sku",
           "level", "move", "register_sku", "touch"]  # fmt: skip
