"""Inventory tables, on the hub's database (created with the hub's own: hub/schema.py's metadata).

Levels are the ledger's sums, kept materialised; the CHECK makes a level below zero impossible whatever
code runs, and every change to a level is a movement in the same transaction (inventory/ledger.py)."""

from __future__ import annotations

from sqlalchemy import BigInteger, CheckConstraint, Column, Index, Integer, String, Table, Text, UniqueConstraint, text

from hub.schema import Id, metadata

levels = Table(
    "inv_levels",
    metadata,
    Column("sku", String(64), primary_key=True),
    Column("warehouse", String(32), primary_key=True),
    Column("pool", String(16), primary_key=True),
    Column("quantity", BigInteger, nullable=False),
    CheckConstraint("quantity >= 0", name="ck_inv_levels_not_negative"),
)

movements = Table(
    "inv_movements",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("idempotency_key", String(128), nullable=False),
    Column("sku", String(64), nullable=False),
    Column("warehouse", String(32), nullable=False),
    Column("from_pool", String(16), nullable=False),
    Column("to_pool", String(16), nullable=False),
    Column("quantity", BigInteger, nullable=False),
    Column("reason", String(32), nullable=False),
    Column("actor", String(64), nullable=False),
    Column("ref_kind", String(16), nullable=False),  # order, reservation, transfer, receipt, count
    Column("ref_id", String(64), nullable=False),
    Column("at_ms", BigInteger, nullable=False),
    CheckConstraint("quantity > 0", name="ck_inv_movements_positive"),
    UniqueConstraint("idempotency_key", name="uq_inv_movements_key"),
    Index("ix_inv_movements_sku", "sku", "warehouse", "id"),
)

reservations = Table(
    "inv_reservations",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("idempotency_key", String(128), nullable=False, unique=True),
    Column("sku", String(64), nullable=False),
    Column("warehouse", String(32), nullable=False),
    Column("quantity", BigInteger, nullable=False),
    Column("channel", String(64), nullable=False),
    Column("campaign", String(64), nullable=False),
    Column("state", String(16), nullable=False),  # held, confirmed, released, expired
    Column("expires_at_ms", BigInteger, nullable=False),
    Column("created_at_ms", BigInteger, nullable=False),
    Column("detail_json", Text, nullable=False),
    # The sweeper's deadline index: only holds that can still expire.
    Index(
        "ix_inv_reservations_deadline",
        "expires_at_ms",
        sqlite_where=text("state = 'held'"),
        postgresql_where=text("state = 'held'"),
    ),
)

quotas = Table(
    "inv_quotas",
    metadata,
    Column("sku", String(64), primary_key=True),
    Column("warehouse", String(32), primary_key=True),
    Column("channel", String(64), primary_key=True),
    Column("campaign", String(64), primary_key=True),
    Column("quantity", BigInteger, nullable=False),
    Column("taken", BigInteger, nullable=False),
    CheckConstraint("taken >= 0 AND taken <= quantity", name="ck_inv_quotas_within"),
)

__all__ = ["Integer", "levels", "movements", "quotas", "reservations"]
