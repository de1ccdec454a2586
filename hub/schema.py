"""Tables of the reference hub. Portable SQLAlchemy Core: SQLite by default, PostgreSQL by URL."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, MetaData, String, Table, Text, UniqueConstraint

metadata = MetaData()
Id = BigInteger().with_variant(Integer, "sqlite")  # SQLite's rowid alias must be INTEGER

meta = Table(
    "hub_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

users = Table(
    "hub_users",
    metadata,
    Column("username", String(64), primary_key=True),
    Column("role", String(16), nullable=False),
    Column("salt", String(64), nullable=False),
    Column("password_hash", String(128), nullable=False),
)

orders = Table(
    "hub_orders",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("domain_id", String(22), nullable=False, unique=True),
    Column("channel", String(64), nullable=False),
    Column("shop", String(64), nullable=False),
    Column("channel_order_no", String(64), nullable=False),
    Column("waybill_no", String(64), nullable=False, index=True),
    Column("record_json", Text, nullable=False),
    Column("record_sha", String(64), nullable=False),
    UniqueConstraint("channel", "shop", "channel_order_no", name="uq_hub_orders_channel_key"),
)

observations = Table(
    "hub_observations",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("key", String(200), nullable=False, unique=True),
    Column("ref_domain_id", String(22), index=True),
    Column("ref_channel_key", String(200), index=True),
    Column("ref_waybill_no", String(64), index=True),
    Column("record_json", Text, nullable=False),
)

# The change feed. `seq` is handed out under a lock held until commit (see store.py), so a change
# committed later never gets a smaller seq than one a reader has already seen.
changes = Table(
    "hub_changes",
    metadata,
    Column("seq", Id, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),  # order, observation, action
    Column("entity_key", String(200), nullable=False),
    Column("body_json", Text, nullable=False),
    Column("committed_at_ms", BigInteger, nullable=False),
)

actions = Table(
    "hub_actions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("idempotency_key", String(128), nullable=False, unique=True),
    Column("actor", String(64), nullable=False),
    Column("role", String(16), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("order_domain_id", String(22), nullable=False),
    Column("request_sha", String(64), nullable=False),
    Column("request_json", Text, nullable=False),
    Column("response_json", Text, nullable=False),
    Column("created_at_ms", BigInteger, nullable=False),
    Index("ix_hub_actions_order", "order_domain_id"),
)
