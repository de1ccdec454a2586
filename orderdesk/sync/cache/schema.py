"""Tables of the local cache (SQLAlchemy Core). Changes here need a migration in migrations/versions."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

SEARCH_TABLE = "order_search"  # FTS5 over bigrams, created in the migration (not reflected here)

orders = Table(
    "orders",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("domain_id", String(22), nullable=False, unique=True),
    Column("channel", String(64), nullable=False),
    Column("shop", String(64), nullable=False),
    Column("channel_order_no", String(64), nullable=False),
    Column("created_at_ms", Integer, nullable=False),
    Column("updated_at_ms", Integer, nullable=False),
    Column("receiver_name", String(64), nullable=False),
    Column("receiver_phone", String(32), nullable=False),
    Column("receiver_phone_tail", String(4), nullable=False),
    Column("receiver_province", String(32), nullable=False),
    Column("receiver_city", String(32), nullable=False),
    Column("receiver_district", String(32), nullable=False),
    Column("receiver_address", String(256), nullable=False),
    Column("waybill_no", String(64), nullable=False),
    Column("carrier", String(32), nullable=False),
    Column("buyer_note", String(512), nullable=False),
    Column("paid_amount_fen", Integer),
    Column("discount_fen", Integer, nullable=False),
    Column("platform_commission_fen", Integer, nullable=False),
    Column("freight_insurance_fen", Integer, nullable=False),
    Column("freight_fen", Integer, nullable=False),
    Column("invoice_json", Text),  # the buyer's invoice request (contract InvoiceRequest), when there is one
    Column("fulfilment", String(24)),
    Column("fulfilment_at_ms", Integer),
    Column("refund", String(24), nullable=False),
    Column("refunded_fen", Integer, nullable=False),
    Column("cancelled", Integer, nullable=False),
    Column("anomaly_count", Integer, nullable=False),
    Column("record_sha", String(64), nullable=False),
    UniqueConstraint("channel", "shop", "channel_order_no"),
    Index(None, "waybill_no"),
    Index(None, "receiver_phone_tail"),
    Index(None, "created_at_ms"),
    Index(None, "fulfilment", "created_at_ms"),
    Index(None, "channel", "created_at_ms"),
    Index("ix_orders_open_anomalies", "anomaly_count", sqlite_where=text("anomaly_count > 0")),
    # For the console at 1M orders (bench console): a scanned channel order no. alone; two filters
    # at once; the anomaly filter already in display order.
    Index(None, "channel_order_no"),
    Index(None, "channel", "fulfilment", "created_at_ms"),
    Index("ix_orders_anomalous_created_at_ms", "created_at_ms", sqlite_where=text("anomaly_count > 0")),
)

order_lines = Table(
    "order_lines",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("order_id", Integer, ForeignKey("orders.id", ondelete="CASCADE"), nullable=False),
    Column("line_no", Integer, nullable=False),
    Column("sku", String(64), nullable=False),
    Column("title", String(256), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("unit_price_fen", Integer, nullable=False),
    Column("discount_fen", Integer, nullable=False),
    Column("refund", String(24), nullable=False),
    Column("refunded_fen", Integer, nullable=False),
    UniqueConstraint("order_id", "line_no"),
)

observations = Table(
    "observations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(200), nullable=False),
    Column("order_id", Integer, ForeignKey("orders.id", ondelete="CASCADE"), nullable=False),
    Column("source", String(64), nullable=False),
    Column("source_system", String(16), nullable=False),
    Column("status_field", String(64), nullable=False),
    Column("raw_status", String(256), nullable=False),
    Column("fields_json", Text, nullable=False),
    Column("observed_at_ms", Integer, nullable=False),
    Column("received_at_ms", Integer, nullable=False),
    Column("operator", String(64), nullable=False),
    Column("line_no", Integer),
    Column("refund_id", String(64)),
    Column("refund_fen", Integer),
    # '' when the raw payload is the fields themselves (fields_json; migration 0014), else text or a
    # BLOB deflated with a dictionary (deflate.py): `stored_payload` / `payload_of` in ingest.py.
    Column("payload_json", Text, nullable=False),
    Column("mapping_version", String(64), nullable=False),
    Column("rule_id", String(80)),
    Column("fulfilment", String(24)),
    Column("refund", String(24)),
    Column("refund_scope", String(8), nullable=False),
    Column("cancelled", Integer, nullable=False),
    Column("signal", String(40)),
    Column("exception", Integer, nullable=False),
    Column("unmapped", Integer, nullable=False),
    # The waybill that named the order, when a waybill is what named it (a carrier's scan): such an
    # observation leaves the order if its waybill changes (migration 0006; NULL in rows from before).
    Column("via_waybill_no", String(64)),
    Column("implies", String(24)),  # "at least this far" (migration 0008; NULL: implies nothing)
    Index("ix_observations_unmapped", "source", sqlite_where=text("unmapped = 1")),
    # Unique per order, not across the cache: an order's observations are looked up through it, and a
    # new order's go in at its end (a key alone is random: at 1M orders every batch rewrote pages all
    # over a 270 MB index; migration 0005).
    UniqueConstraint("order_id", "key"),
)

# Observations whose order is not in the cache yet (an "updated" that came before its "created").
pending_observations = Table(
    "pending_observations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(200), nullable=False, unique=True),
    Column("ref_domain_id", String(22)),
    Column("ref_channel_key", String(200)),
    Column("ref_waybill_no", String(64)),
    Column("record_json", Text, nullable=False),
    Column("received_at_ms", Integer, nullable=False),
    Index(None, "ref_domain_id"),
    Index(None, "ref_channel_key"),
    Index(None, "ref_waybill_no"),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("order_id", Integer, ForeignKey("orders.id", ondelete="CASCADE"), nullable=False),
    Column("key", String(200), nullable=False),
    Column("kind", String(24), nullable=False),
    Column("at_ms", Integer, nullable=False),
    Column("source", String(64), nullable=False),
    Column("source_system", String(16), nullable=False),
    Column("operator", String(64), nullable=False),
    Column("observation_key", String(200)),
    Column("line_no", Integer),
    UniqueConstraint("order_id", "key"),
    Index(None, "kind", "at_ms"),
)

anomalies = Table(
    "anomalies",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("order_id", Integer, ForeignKey("orders.id", ondelete="CASCADE"), nullable=False),
    Column("key", String(240), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("observation_key", String(200)),
    Column("detail_json", Text, nullable=False),
    Column("detected_at_ms", Integer, nullable=False),
    Column("resolved_at_ms", Integer),
    UniqueConstraint("order_id", "key"),
    Index("ix_anomalies_open_kind", "kind", sqlite_where=text("resolved_at_ms IS NULL")),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at_ms", Integer, nullable=False),
    Column("operator", String(64), nullable=False),
    Column("source_system", String(16), nullable=False),
    Column("source", String(64), nullable=False),
    Column("action", String(40), nullable=False),
    Column("entity_key", String(200), nullable=False, index=True),
    # The state before and after: inline, or (fold states, which recur) a number in audit_texts
    # (audit.py; migration 0014).
    Column("before_json", Text),
    Column("after_json", Text),
    Column("before_text", Integer, ForeignKey("audit_texts.id")),
    Column("after_text", Integer, ForeignKey("audit_texts.id")),
    Column("payload_json", Text, nullable=False),  # text, or a BLOB deflated with a dictionary (deflate.py)
    Column("hash", LargeBinary(32), nullable=False),  # the chain hash; the previous one is the previous row's
)

audit_texts = Table(
    "audit_texts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("body", Text, nullable=False, unique=True),
)

# Where the chain starts after pruning (retention.py): the last entry written to an archive file and removed.
audit_anchor = Table(
    "audit_anchor",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("hash", LargeBinary(32), nullable=False),
    Column("archive", Text, nullable=False),
    Column("entries", Integer, nullable=False),
    Column("at_ms", Integer, nullable=False),
)

quarantine = Table(
    "quarantine",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("received_at_ms", Integer, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("source", String(64), nullable=False),
    Column("reference", String(200), nullable=False),
    Column("record_json", Text, nullable=False),
    Column("record_sha", String(64), nullable=False, index=True),
    Column("errors_json", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("resolved_at_ms", Integer),
    Column("resolved_by", String(64)),
    Index("ix_quarantine_open", "received_at_ms", sqlite_where=text("status = 'open'")),
)

mapping_tables = Table(
    "mapping_tables",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source", String(32), nullable=False),
    Column("version", String(32), nullable=False),
    Column("document_json", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("imported_at_ms", Integer, nullable=False),
    Column("imported_by", String(64), nullable=False),
    UniqueConstraint("source", "version"),
)


# What the sync layer keeps between runs: the change-feed cursor, per hub.
sync_state = Table(
    "sync_state",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("value", Text, nullable=False),
    Column("updated_at_ms", Integer, nullable=False),
)

# Actions for the hub, written in the same transaction as the local change they belong to. The
# idempotency key is made once per business intent and sent with every retry.
outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("idempotency_key", String(128), nullable=False, unique=True),
    Column("kind", String(40), nullable=False),
    Column("order_domain_id", String(22), nullable=False),
    Column("payload_json", Text, nullable=False),
    Column("created_at_ms", Integer, nullable=False),
    Column("status", String(16), nullable=False),  # pending, sent, refused
    Column("attempts", Integer, nullable=False),
    Column("last_error", Text),
    Column("response_json", Text),
    Column("sent_at_ms", Integer),
    Index("ix_outbox_pending", "id", sqlite_where=text("status = 'pending'")),
)

# Label printing (printing/jobs.py). One document per job, so a failure never reprints another; a
# reprint is a new job that names the one it repeats and why.
print_jobs = Table(
    "print_jobs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("order_id", Integer, ForeignKey("orders.id"), nullable=False),
    Column("profile", String(64), nullable=False),
    Column("printer", String(200), nullable=False),  # the transport, in words (host:port, queue, folder)
    Column("state", String(16), nullable=False),  # queued, rendering, sent, done, failed
    Column("attempts", Integer, nullable=False),
    Column("error", Text),
    Column("error_zh", Text),
    Column("reprint_of", Integer, ForeignKey("print_jobs.id")),
    Column("reason", Text),
    Column("operator", String(64), nullable=False),
    Column("document", LargeBinary),  # the bytes sent: a retry sends the same document again
    Column("preflight_json", Text, nullable=False),
    Column("created_at_ms", Integer, nullable=False),
    Column("updated_at_ms", Integer, nullable=False),
    Index("ix_print_jobs_order_id", "order_id"),
    Index("ix_print_jobs_open", "state", "id", sqlite_where=text("state NOT IN ('done')")),
)

# Every character a label printed differently from the order (for customer-service traces).
label_substitutions = Table(
    "label_substitutions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("order_id", Integer, ForeignKey("orders.id"), nullable=False),
    Column("job_id", Integer, ForeignKey("print_jobs.id")),
    Column("field", String(32), nullable=False),
    Column("original", String(8), nullable=False),
    Column("codepoint", String(10), nullable=False),
    Column("replacement", String(64), nullable=False),
    Column("method", String(8), nullable=False),  # font, pinyin, marker
    Column("profile", String(64), nullable=False),
    Column("operator", String(64), nullable=False),
    Column("at_ms", Integer, nullable=False),
    Index("ix_label_substitutions_order_id", "order_id"),
)

# The rare-character handling queue the batch scan fills and the packing station works through.
label_queue = Table(
    "label_queue",
    metadata,
    Column("order_id", Integer, ForeignKey("orders.id"), primary_key=True, autoincrement=False),
    Column("profile", String(64), nullable=False),
    Column("substitutions_json", Text, nullable=False),
    Column("found_at_ms", Integer, nullable=False),
    Column("resolved_at_ms", Integer),
    Column("resolution", Text),
    Index("ix_label_queue_open", "found_at_ms", sqlite_where=text("resolved_at_ms IS NULL")),
)

# Invoices as the hub's feed serves them (hub/invoice_store.py), for the Finance workspace; migration 0010.
invoices = Table(
    "invoices",
    metadata,
    Column("order_no", String(32), primary_key=True),
    Column("state", String(16), nullable=False),
    Column("red_of", String(32)),
    Column("month", String(7), nullable=False),
    Column("body_json", Text, nullable=False),
    Column("updated_at_ms", Integer, nullable=False),
    Index("ix_invoices_state", "state"),
)

invoice_orders = Table(
    "invoice_orders",
    metadata,
    Column("order_no", String(32), primary_key=True),
    Column("domain_id", String(22), primary_key=True),
    Index("ix_invoice_orders_domain_id", "domain_id"),
)

month_locks = Table(
    "month_locks",
    metadata,
    Column("month", String(7), primary_key=True),
    Column("actor", String(64), nullable=False),
    Column("at_ms", Integer, nullable=False),
)

# The hub's stock per SKU (sync/cache/stock.py), for the Inventory workspace (migration 0011).
stock = Table(
    "stock",
    metadata,
    Column("sku", String(64), primary_key=True),
    Column("title", String(128), nullable=False),
    Column("breaker", String(16), nullable=False),
    Column("version", Integer, nullable=False),
    Column("body_json", Text, nullable=False),
)

# The console's own record of its calls to the hub, per minute (sync/call_record.py; migration 0012).
hub_calls = Table(
    "hub_calls",
    metadata,
    Column("minute_ms", Integer, primary_key=True, autoincrement=False),
    Column("ok", Integer, nullable=False),
    Column("failed", Integer, nullable=False),
)

# The health score per day and shop ("*": all shops), with its dimensions (insights/health.py).
health_history = Table(
    "health_history",
    metadata,
    Column("day", String(10), primary_key=True),
    Column("shop", String(64), primary_key=True),
    Column("score", Float),
    Column("coverage", Float, nullable=False),
    Column("dimensions_json", Text, nullable=False),
    Column("computed_at_ms", Integer, nullable=False),
)

# Supervision figures kept per day and month, and the per-day change counts triggers keep (insights/kept.py;
# migration 0013, which also holds the triggers).
insight_changes = Table(
    "insight_changes",
    metadata,
    Column("scope", String(1), primary_key=True),
    Column("day", Integer, primary_key=True, autoincrement=False),
    Column("n", Integer, nullable=False),
)

insight_days = Table(
    "insight_days",
    metadata,
    Column("kind", String(40), primary_key=True),
    Column("day", Integer, primary_key=True, autoincrement=False),
    Column("basis", Integer, nullable=False),
    Column("computed_at_ms", Integer, nullable=False),
    Column("body", LargeBinary, nullable=False),
)

insight_months = Table(
    "insight_months",
    metadata,
    Column("kind", String(60), primary_key=True),
    Column("month", String(7), primary_key=True),
    Column("basis", String(200), nullable=False),
    Column("computed_at_ms", Integer, nullable=False),
    Column("body", LargeBinary, nullable=False),
)
