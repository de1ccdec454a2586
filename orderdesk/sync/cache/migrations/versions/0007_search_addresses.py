"""search covers the receiver's address

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27 18:00:00

A packer or a supervisor looks an order up by city or street as often as by name. The full-text
table gains an `address` column (province, city, district and address as overlapping bigrams, like
the other columns) and is filled again from the orders, 5,000 at a time. The cache is backed up first.
"""

from __future__ import annotations

from alembic import op

from orderdesk.sync.cache.search import tokens

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_TABLE = "CREATE VIRTUAL TABLE order_search USING fts5({columns}, tokenize = 'unicode61 remove_diacritics 0')"


def _refill(with_address: bool) -> None:
    connection = op.get_bind()
    columns = "name, phone, order_no, waybill" + (", address" if with_address else "")
    marks = ", ".join("?" * (len(columns.split(", ")) + 1))
    after = 0
    while True:
        rows = connection.exec_driver_sql(
            "SELECT id, receiver_name, receiver_phone, channel_order_no, waybill_no, "
            "receiver_province || receiver_city || receiver_district || receiver_address "
            "FROM orders WHERE id > ? ORDER BY id LIMIT 5000",
            (after,),
        ).all()
        if not rows:
            return
        connection.exec_driver_sql(
            f"INSERT INTO order_search (rowid, {columns}) VALUES ({marks})",
            [(r[0], *(tokens(v or "") for v in r[1 : 6 if with_address else 5])) for r in rows],
        )
        after = rows[-1][0]


def upgrade() -> None:
    op.execute("DROP TABLE IF EXISTS order_search")
    op.execute(_TABLE.format(columns="name, phone, order_no, waybill, address"))
    _refill(with_address=True)


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS order_search")
    op.execute(_TABLE.format(columns="name, phone, order_no, waybill"))
    _refill(with_address=False)
