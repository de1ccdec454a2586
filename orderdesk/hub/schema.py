"""Tables of the reference hub. Portable SQLAlchemy Core: SQLite by default, PostgreSQL by URL.

The token-signing secret is not among them (hub/secret.py)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, LargeBinary, MetaData, String, Table, Text, UniqueConstraint

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

# Sign-in throttling (hub/throttle.py): one row per sign-in attempt not (yet) known to be good, per
# user name and per client address. In the database, so every hub process on it counts the same.
sign_in_failures = Table(
    "hub_sign_in_failures",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("key", String(200), nullable=False),  # "user:<name>" or "address:<ip>"
    Column("at_ms", BigInteger, nullable=False),
    Index("ix_hub_sign_in_failures_key_at", "key", "at_ms"),
    Index("ix_hub_sign_in_failures_at", "at_ms"),
)

# Tokens signed out before they expire (hub/revocation.py); kept until they would have expired.
revoked_tokens = Table(
    "hub_revoked_tokens",
    metadata,
    Column("token_id", String(64), primary_key=True),
    Column("expires_at", BigInteger, nullable=False, index=True),  # seconds since the epoch, as the token's exp
    Column("revoked_at_ms", BigInteger, nullable=False),
)

# Records the ingest refused (hub/refused.py), kept once however often they are sent, for a person to see.
refused_records = Table(
    "hub_refused_records",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("record_sha", String(64), nullable=False, unique=True),
    Column("source", String(64), nullable=False),
    Column("kind", String(16), nullable=False),  # order, observation
    Column("actor", String(64), nullable=False),
    Column("first_at_ms", BigInteger, nullable=False),
    Column("last_at_ms", BigInteger, nullable=False),
    Column("times", Integer, nullable=False),
    Column("errors_json", Text, nullable=False),
    Column("record_json", Text, nullable=False),
)

# Calls of POST /v1/ingest/{source} per source and hour (hub/ingest_stats.py): each channel's API health.
ingest_stats = Table(
    "hub_ingest_stats",
    metadata,
    Column("source", String(64), primary_key=True),
    Column("hour_ms", BigInteger, primary_key=True, autoincrement=False),  # the hour's start, ms since the epoch
    Column("calls", BigInteger, nullable=False),
    Column("failed_calls", BigInteger, nullable=False),  # refused or failed as a whole: nothing of it stored
    Column("records_accepted", BigInteger, nullable=False),
    Column("records_refused", BigInteger, nullable=False),
)

# Invoicing (hub/invoicer.py, invoicing/): the orders that asked for an invoice as the invoicer last
# folded them, the invoices (blue and red) with the orders they cover, each move of an invoice, and
# the months a clerk has locked for the close.
invoice_orders = Table(
    "hub_invoice_orders",
    metadata,
    Column("domain_id", String(22), primary_key=True),
    Column("due", Integer, nullable=False),  # 1: outcome completed, paid, signed: its invoice is due
    Column("facts_json", Text, nullable=False),  # invoicing.hub_facts.OrderFacts
    Column("updated_at_ms", BigInteger, nullable=False),
    Index("ix_hub_invoice_orders_due", "due"),
)

invoices = Table(
    "hub_invoices",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("order_no", String(32), nullable=False, unique=True),  # the platform's idempotency key
    Column("state", String(16), nullable=False),
    Column("red_of", String(32)),  # a red invoice: the blue one's order_no
    Column("month", String(7), nullable=False),  # the month its orders were signed in (the close it belongs to)
    Column("issued_month", String(7), index=True),  # China time; the monthly list's month
    Column("body_json", Text, nullable=False),  # as served (hub/invoice_store.py)
    Column("pdf", LargeBinary),
    Column("xml", LargeBinary),
    Column("updated_at_ms", BigInteger, nullable=False),
    Index("ix_hub_invoices_state", "state"),
)

invoice_links = Table(
    "hub_invoice_links",
    metadata,
    Column("order_no", String(32), nullable=False),
    Column("domain_id", String(22), nullable=False),
    UniqueConstraint("order_no", "domain_id", name="uq_hub_invoice_links"),
    Index("ix_hub_invoice_links_order", "domain_id"),
)

invoice_audit = Table(
    "hub_invoice_audit",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("order_no", String(32), nullable=False, index=True),
    Column("at_ms", BigInteger, nullable=False),
    Column("actor", String(64), nullable=False),
    Column("before", String(16)),
    Column("after", String(16), nullable=False),
    Column("detail_json", Text, nullable=False),
)

month_locks = Table(
    "hub_month_locks",
    metadata,
    Column("month", String(7), primary_key=True),
    Column("actor", String(64), nullable=False),
    Column("at_ms", BigInteger, nullable=False),
)

# What changed after its month was locked: kept for a person, never applied to the locked figures.
locked_month_changes = Table(
    "hub_locked_month_changes",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("month", String(7), nullable=False),
    Column("domain_id", String(22), nullable=False),
    Column("detail_json", Text, nullable=False),
    Column("at_ms", BigInteger, nullable=False),
    UniqueConstraint("domain_id", "detail_json", name="uq_hub_locked_month_changes"),
)

# The monthly list (invoicing/monthly_list.py) the invoicer makes by the 5th for the month before.
monthly_lists = Table(
    "hub_monthly_lists",
    metadata,
    Column("month", String(7), primary_key=True),
    Column("xlsx", LargeBinary, nullable=False),
    Column("csv", LargeBinary, nullable=False),
    Column("invoices", Integer, nullable=False),
    Column("made_at_ms", BigInteger, nullable=False),
)
