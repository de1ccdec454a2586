"""observation keys unique per order

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 20:05:00

The key alone is random: with a unique index on it, every batch at 1M orders rewrote pages all over a
270 MB index (9,000 random inserts per 2,000 orders). Unique on (order id, key) instead, the index an
order's observations are found by, and a new order's observations go in at its end. The table is
rebuilt once (SQLite cannot drop a constraint in place); the cache is backed up before.
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("observations", schema=None, recreate="always") as batch_op:
        batch_op.drop_constraint("uq_observations_key", type_="unique")
        batch_op.drop_index("ix_observations_order_id")
        batch_op.create_unique_constraint("uq_observations_order_id_key", ["order_id", "key"])


def downgrade() -> None:
    with op.batch_alter_table("observations", schema=None, recreate="always") as batch_op:
        batch_op.drop_constraint("uq_observations_order_id_key", type_="unique")
        batch_op.create_unique_constraint("uq_observations_key", ["key"])
        batch_op.create_index("ix_observations_order_id", ["order_id"], unique=False)
