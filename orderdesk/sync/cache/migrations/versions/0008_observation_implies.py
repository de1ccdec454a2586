"""observations remember what their status implies; the cache is folded again with the new rules

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27 17:00:00

``implies``: a status that means "at least this far" (a trade closed after a refund was paid). The
fold's rules changed with it (issue 12: axes merged, refunds counted once, late evidence from another
system, exceptions that close). Every observation must be mapped again and every order folded again:
that is ``sync.cache.refold``, which the first sync (or ``orderdesk cache refold``) runs when the
marker written here is present. The cache is backed up first, as for every migration.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("implies", sa.String(length=24), nullable=True))
    op.execute(
        "INSERT INTO sync_state (key, value, updated_at_ms) SELECT 'cache|refold', '0008', 0 "
        "WHERE EXISTS (SELECT 1 FROM orders) ON CONFLICT (key) DO UPDATE SET value = excluded.value"
    )


def downgrade() -> None:
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.drop_column("implies")
