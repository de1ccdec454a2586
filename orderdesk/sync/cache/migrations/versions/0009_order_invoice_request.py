"""orders keep the buyer's invoice request

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27 18:00:00

``invoice_json``: the order's ``invoice`` block (issue #13), as the channel or the own mini-program
sent it; NULL for orders without one (every order from before).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("orders", sa.Column("invoice_json", sa.Text(), nullable=True))


def downgrade() -> None:
    # In place (SQLite >= 3.35): a batch copy would drop and recreate `orders`, and dropping it cascades
    # to every order's lines, observations and events.
    op.execute("ALTER TABLE orders DROP COLUMN invoice_json")
