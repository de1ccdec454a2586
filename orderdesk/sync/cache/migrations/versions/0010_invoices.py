"""the invoices the hub made, kept for the Finance workspace (issue #13)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27 21:00:00

``invoices``: each invoice as the hub's feed serves it (``body_json``), keyed by its order_no;
``invoice_orders``: which orders it covers; ``month_locks``: the months a clerk locked.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "invoices",
        sa.Column("order_no", sa.String(32), primary_key=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("red_of", sa.String(32)),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("body_json", sa.Text(), nullable=False),
        sa.Column("updated_at_ms", sa.Integer(), nullable=False),
    )
    op.create_index("ix_invoices_state", "invoices", ["state"])
    op.create_table(
        "invoice_orders",
        sa.Column("order_no", sa.String(32), nullable=False),
        sa.Column("domain_id", sa.String(22), nullable=False),
        sa.PrimaryKeyConstraint("order_no", "domain_id", name="pk_invoice_orders"),
    )
    op.create_index("ix_invoice_orders_domain_id", "invoice_orders", ["domain_id"])
    op.create_table(
        "month_locks",
        sa.Column("month", sa.String(7), primary_key=True),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("at_ms", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("month_locks")
    op.drop_index("ix_invoice_orders_domain_id", "invoice_orders")
    op.drop_table("invoice_orders")
    op.drop_index("ix_invoices_state", "invoices")
    op.drop_table("invoices")
