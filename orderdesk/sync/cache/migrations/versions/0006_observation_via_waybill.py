"""observations remember the waybill that named their order; one key per observation on every order

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 10:00:00

``via_waybill_no``: the waybill an observation reached its order through, when a waybill is what
named it (a carrier's scan). When the order's waybill changes, such observations leave it, as they
leave the order at the hub (NULL in rows from before: those stay where they are).

Before, an observation on a waybill shared by several orders (a merged shipment) was stored under
``key/<unified id>`` on each, but under its plain key when it reached one order only; when a second
order with that waybill came later, the first one got the observation again under the other key.
Keys are unique per order since 0005, so every copy now keeps the observation's own key: the suffix
is taken off (a copy whose plain key the order already holds is the duplicate, and goes), in the
observations, in the anomalies they raised and in the events they made.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# A key ending in "/" + the unified id of its own order (23 characters: "/DB" + 8 + 12).
_SUFFIXED = "{column} GLOB '*/DB*' AND substr({column}, -23) = '/' || (SELECT domain_id FROM orders WHERE orders.id = {table}.order_id)"
_PLAIN = "substr({column}, 1, length({column}) - 23)"


def _strip(table: str, column: str, unique: bool) -> None:
    suffixed = _SUFFIXED.format(column=f"{table}.{column}", table=table)
    plain = _PLAIN.format(column=f"{table}.{column}")
    if unique:  # the order already holds the plain key: this copy is the duplicate
        op.execute(
            f"DELETE FROM {table} WHERE {suffixed} AND EXISTS "
            f"(SELECT 1 FROM {table} AS other WHERE other.order_id = {table}.order_id AND other.{column} = {plain})"
        )
    op.execute(f"UPDATE {table} SET {column} = {plain} WHERE {suffixed}")


def upgrade() -> None:
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("via_waybill_no", sa.String(length=64), nullable=True))
    _strip("observations", "key", unique=True)
    _strip("anomalies", "key", unique=True)
    _strip("anomalies", "observation_key", unique=False)
    _strip("events", "observation_key", unique=False)


def downgrade() -> None:
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.drop_column("via_waybill_no")
