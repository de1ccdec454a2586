"""figures kept per day for the Supervision workspace, and the change counts that say when they are stale (issue #15)

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-28 06:00:00

``insight_changes``: per day, how many times something the Supervision figures read has changed —
scope ``o`` counts changes to the orders created that day (China time) and to their observations and
events; scope ``e`` counts events dated that day (an order joins a month's reconciliation through its
paid or settled event). Triggers keep the counts, so every writer (sync, refold, salvage, a repair by
hand in sqlite3) is seen without being told.
``insight_days``: a figure (``kind``: consistency, quality…) of one day, with the count it was
computed at (``basis``): it is good while the day's count is still that (insights/kept.py).
``insight_months``: the same for a month's reconciliation, with the sum of the counts it read.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

DAY_MS = 86_400_000
CHINA_MS = 8 * 3_600_000


def _day(ms: str) -> str:
    return f"(({ms}) + {CHINA_MS}) / {DAY_MS}"


def _bump(scope: str, ms: str) -> str:
    return (f"INSERT INTO insight_changes (scope, day, n) VALUES ('{scope}', {_day(ms)}, 1) "
            "ON CONFLICT (scope, day) DO UPDATE SET n = n + 1;")  # fmt: skip


def _bump_order(order_id: str) -> str:
    return (f"INSERT INTO insight_changes (scope, day, n) SELECT 'o', {_day('created_at_ms')}, 1 FROM orders "
            f"WHERE id = {order_id} ON CONFLICT (scope, day) DO UPDATE SET n = n + 1;")  # fmt: skip


def _bump_waybill(waybill: str) -> str:
    """Every day with an order carrying the waybill: a duplicate waybill is two orders' business."""
    return (f"INSERT INTO insight_changes (scope, day, n) SELECT DISTINCT 'o', {_day('created_at_ms')}, 1 "
            f"FROM orders WHERE waybill_no = {waybill} AND {waybill} != '' "
            "ON CONFLICT (scope, day) DO UPDATE SET n = n + 1;")  # fmt: skip


# The order columns a Supervision figure reads (consistency, quality, reconciliation).
ORDER_COLUMNS = ("channel", "shop", "created_at_ms", "channel_order_no", "domain_id", "refund", "refunded_fen",
                 "cancelled", "paid_amount_fen", "waybill_no", "receiver_phone", "receiver_address",
                 "anomaly_count")  # fmt: skip
OBSERVATION_COLUMNS = ("order_id", "source_system", "raw_status", "fulfilment", "observed_at_ms", "unmapped",
                       "fields_json", "key")  # fmt: skip

TRIGGERS = {
    "insight_orders_insert": f"AFTER INSERT ON orders BEGIN {_bump('o', 'NEW.created_at_ms')} "
    f"{_bump_waybill('NEW.waybill_no')} END",
    "insight_orders_update": "AFTER UPDATE ON orders WHEN "
    + " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in ORDER_COLUMNS)
    + f" BEGIN {_bump('o', 'OLD.created_at_ms')} {_bump('o', 'NEW.created_at_ms')} "
    f"{_bump_waybill('OLD.waybill_no')} {_bump_waybill('NEW.waybill_no')} END",
    "insight_orders_delete": f"AFTER DELETE ON orders BEGIN {_bump('o', 'OLD.created_at_ms')} "
    f"{_bump_waybill('OLD.waybill_no')} END",
    "insight_observations_insert": f"AFTER INSERT ON observations BEGIN {_bump_order('NEW.order_id')} END",
    "insight_observations_update": "AFTER UPDATE ON observations WHEN "
    + " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in OBSERVATION_COLUMNS)
    + f" BEGIN {_bump_order('OLD.order_id')} {_bump_order('NEW.order_id')} END",
    "insight_observations_delete": f"AFTER DELETE ON observations BEGIN {_bump_order('OLD.order_id')} END",
    "insight_events_insert": f"AFTER INSERT ON events BEGIN {_bump_order('NEW.order_id')} "
    f"{_bump('e', 'NEW.at_ms')} END",
    "insight_events_update": "AFTER UPDATE ON events WHEN OLD.kind IS NOT NEW.kind OR OLD.at_ms IS NOT NEW.at_ms "
    f"OR OLD.order_id IS NOT NEW.order_id BEGIN {_bump_order('OLD.order_id')} {_bump_order('NEW.order_id')} "
    f"{_bump('e', 'OLD.at_ms')} {_bump('e', 'NEW.at_ms')} END",
    "insight_events_delete": f"AFTER DELETE ON events BEGIN {_bump_order('OLD.order_id')} {_bump('e', 'OLD.at_ms')} END",
}


def upgrade() -> None:
    op.create_table(
        "insight_changes",
        sa.Column("scope", sa.String(1), primary_key=True),
        sa.Column("day", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("n", sa.Integer(), nullable=False),
    )
    op.create_table(
        "insight_days",
        sa.Column("kind", sa.String(40), primary_key=True),
        sa.Column("day", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("basis", sa.Integer(), nullable=False),
        sa.Column("computed_at_ms", sa.Integer(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
    )
    op.create_table(
        "insight_months",
        sa.Column("kind", sa.String(60), primary_key=True),
        sa.Column("month", sa.String(7), primary_key=True),
        sa.Column("basis", sa.String(200), nullable=False),
        sa.Column("computed_at_ms", sa.Integer(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
    )
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("insight_months")
    op.drop_table("insight_days")
    op.drop_table("insight_changes")
