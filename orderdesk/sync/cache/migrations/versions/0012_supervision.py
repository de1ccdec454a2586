"""the console's record of its calls to the hub, and the daily health-score history (issue #15)

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-28 00:00:00

``hub_calls``: per minute (epoch ms of its start), how many calls to the hub were answered (any HTTP
answer below 500) and how many failed (no answer, or 5xx): availability as this console saw it.
``health_history``: the health score per day and shop (``*`` for all shops), with its dimensions.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hub_calls",
        sa.Column("minute_ms", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("ok", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
    )
    op.create_table(
        "health_history",
        sa.Column("day", sa.String(10), primary_key=True),
        sa.Column("shop", sa.String(64), primary_key=True),
        sa.Column("score", sa.Float()),
        sa.Column("coverage", sa.Float(), nullable=False),
        sa.Column("dimensions_json", sa.Text(), nullable=False),
        sa.Column("computed_at_ms", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("health_history")
    op.drop_table("hub_calls")
