"""the hub's stock per SKU, kept for the Inventory workspace (issue #14)

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-28 00:00:00

``stock``: each SKU as the hub's feed serves it (``body_json``: pools per warehouse, quotas, holds about
to expire, the breaker), keyed by the SKU; ``version`` is the hub's, so an older snapshot never
replaces a newer one.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stock",
        sa.Column("sku", sa.String(64), primary_key=True),
        sa.Column("title", sa.String(128), nullable=False),
        sa.Column("breaker", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("body_json", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("stock")
