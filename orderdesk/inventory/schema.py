"""Inventory tables, on the hub's database (created with the hub's own: hub/schema.py's metadata).

Levels are the ledger's sums, kept materialised; the CHECK makes a level below zero impossible whatever
code runs, and every change to a level is a movement in the same transaction (inventory/ledger.py)."""

from __future__ import annotations

from sqlalchemy import BigInteger, CheckConstraint, Column, Index, Integer, String, Table, Text, UniqueConstraint, text

from orderdesk.hub.schema import Id, metadata

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

# One row per SKU: its name, whether it takes the Redis fast path, its breaker, and the version the
# change feed last published (every movement bumps ``version`` in its own transaction; the publisher,
# under the feed lock, sends a snapshot of each SKU whose version moved past ``published_version``).
skus = Table(
    "inv_skus",
    metadata,
    Column("sku", String(64), primary_key=True),
    Column("title", String(128), nullable=False, server_default=""),
    Column("fast_path", Integer, nullable=False, server_default="0"),
    Column("version", BigInteger, nullable=False, server_default="1"),
    Column("published_version", BigInteger, nullable=False, server_default="0"),
    Column("breaker", String(16), nullable=False, server_default="closed"),  # closed, tripped
    Column("breaker_changed_at_ms", BigInteger, nullable=False, server_default="0"),
    Column("breaker_reason", Text, nullable=False, server_default=""),
    Column("trips", Integer, nullable=False, server_default="0"),
    Index("ix_inv_skus_unpublished", "version", "published_version"),
)

# A paid order a channel sold on its own counter (never reserved here): what stock covered it and
# how many units were oversold. The breaker counts these per SKU over its window.
sales = Table(
    "inv_sales",
    metadata,
    Column("idempotency_key", String(128), primary_key=True),
    Column("sku", String(64), nullable=False),
    Column("warehouse", String(32), nullable=False),
    Column("channel", String(64), nullable=False),
    Column("order_ref", String(64), nullable=False),
    Column("quantity", BigInteger, nullable=False),
    Column("covered", BigInteger, nullable=False),
    Column("oversold", BigInteger, nullable=False),
    Column("at_ms", BigInteger, nullable=False),
    CheckConstraint("covered + oversold = quantity AND covered >= 0 AND oversold >= 0", name="ck_inv_sales_adds_up"),
    Index("ix_inv_sales_sku_at", "sku", "at_ms"),
)

# What a channel is asked to do with a listing (pause on a trip, resume after), until it says done.
listing_actions = Table(
    "inv_listing_actions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("sku", String(64), nullable=False),
    Column("channel", String(64), nullable=False),
    Column("action", String(16), nullable=False),  # pause, resume
    Column("state", String(16), nullable=False),  # pending, done
    Column("reason", Text, nullable=False),
    Column("created_at_ms", BigInteger, nullable=False),
    Column("done_at_ms", BigInteger),
    Index("ix_inv_listing_actions_state", "state", "id"),
)

# The breaker's history (tripped, resumed: who, when, why) and the alerts still to be sent.
breaker_audit = Table(
    "inv_breaker_audit",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("sku", String(64), nullable=False),
    Column("event", String(16), nullable=False),  # tripped, resumed
    Column("actor", String(64), nullable=False),
    Column("at_ms", BigInteger, nullable=False),
    Column("detail_json", Text, nullable=False),
    Index("ix_inv_breaker_audit_sku", "sku", "id"),
)

alerts = Table(
    "inv_alerts",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("key", String(128), nullable=False),
    Column("title_zh", Text, nullable=False),
    Column("title_en", Text, nullable=False),
    Column("lines_json", Text, nullable=False),
    Column("at_ms", BigInteger, nullable=False),
    Column("sent_at_ms", BigInteger),
    Index("ix_inv_alerts_unsent", "sent_at_ms", "id"),
)

__all__ = ["alerts", "breaker_audit", "levels", "listing_actions", "movements", "quotas", "reservations", "sales",
           "skus"]  # fmt: skip
