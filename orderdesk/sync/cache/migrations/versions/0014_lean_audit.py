"""a leaner cache: fold states kept once, payloads deflated, 32-byte chain hashes, an anchor for pruning (issue #17)

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-28 13:00:00

The audit log held 2,480 of a demo order's 5,749 bytes: the same few fold states as JSON in every
entry, each order record in full, the chain hash twice (its own and, again, the previous entry's) as
64 hex characters. Now (audit.py): fold states are numbers into ``audit_texts``; payloads of 96 bytes
and more are deflated with a preset dictionary where that saves a third (deflate.py); the chain hash
is 32 bytes and the previous one is the previous row's. Nothing that is hashed changes, so every
existing entry still verifies: the log is rewritten row for row (the cache is backed up first, as
before every migration). ``audit_anchor`` is where the chain starts once the oldest entries have been
archived and pruned (retention.py); deleting an entry is refused unless it is at or below the anchor.

Observations: a raw payload that is the fields themselves (most of them) is stored as '' (the fields
are in ``fields_json``); other payloads are deflated where it pays.

The search index no longer keeps a copy of the bigrams it indexes (``content=''``, contentless: 295
of its 592 bytes per demo order) nor each row's token counts (``columnsize=0``): it is only ever asked
for rowids. Changing or removing a row then names the old tokens (``search.delete_rows``).
"""

from __future__ import annotations

import sqlite3

import sqlalchemy as sa
from alembic import op

from orderdesk.sync.cache import deflate
from orderdesk.sync.cache.search import CONTENTLESS, tokens

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

INTERNED = ("order.state", "order.created")
NO_UPDATE = "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
NO_DELETE = (
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
    "WHEN OLD.seq > (SELECT COALESCE(MAX(seq), 0) FROM audit_anchor) "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
)
BATCH = 20_000


def _raw() -> sqlite3.Connection:
    """The sqlite3 connection under Alembic's (plain executemany, no SQLAlchemy per row)."""
    connection = op.get_bind().connection.driver_connection
    assert isinstance(connection, sqlite3.Connection)
    return connection


def upgrade() -> None:
    op.create_table(
        "audit_texts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_texts")),
        sa.UniqueConstraint("body", name=op.f("uq_audit_texts_body")),
    )
    op.create_table(
        "audit_anchor",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("archive", sa.Text(), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("at_ms", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_anchor")),
    )
    op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    op.execute("DROP INDEX IF EXISTS ix_audit_log_entity_key")
    op.execute("ALTER TABLE audit_log RENAME TO audit_log_0013")
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at_ms", sa.Integer(), nullable=False),
        sa.Column("operator", sa.String(length=64), nullable=False),
        sa.Column("source_system", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("entity_key", sa.String(length=200), nullable=False),
        sa.Column("before_json", sa.Text(), nullable=True),
        sa.Column("after_json", sa.Text(), nullable=True),
        sa.Column("before_text", sa.Integer(), nullable=True),
        sa.Column("after_text", sa.Integer(), nullable=True),
        sa.Column("payload_json", sa.Text(), nullable=False),
        sa.Column("hash", sa.LargeBinary(length=32), nullable=False),
        sa.ForeignKeyConstraint(["before_text"], ["audit_texts.id"], name=op.f("fk_audit_log_before_text_audit_texts")),
        sa.ForeignKeyConstraint(["after_text"], ["audit_texts.id"], name=op.f("fk_audit_log_after_text_audit_texts")),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_log")),
    )
    connection = _raw()  # the sqlite3 connection: plain executemany
    texts: dict[str, int] = {}
    last = 0
    while True:
        rows = connection.execute(
            "SELECT seq, at_ms, operator, source_system, source, action, entity_key, before_json, after_json, "
            "payload_json, hash FROM audit_log_0013 WHERE seq > ? ORDER BY seq LIMIT ?",
            (last, BATCH),
        ).fetchall()
        if not rows:
            break
        out = []
        for seq, at_ms, operator, system, source, action, entity, before, after, payload, digest in rows:
            numbers: list[int | None] = [None, None]
            if action in INTERNED:
                for i, body in enumerate((before, after)):
                    if body not in texts:
                        added = connection.execute("INSERT INTO audit_texts (body) VALUES (?)", (body,)).lastrowid
                        assert added is not None
                        texts[body] = added
                    numbers[i] = texts[body]
                before = after = None
            out.append((seq, at_ms, operator, system, source, action, entity, before, after, *numbers,
                        deflate.pack(payload), bytes.fromhex(digest)))  # fmt: skip
        connection.executemany(f"INSERT INTO audit_log VALUES ({', '.join('?' * 13)})", out)
        last = rows[-1][0]
    op.execute("DROP TABLE audit_log_0013")
    op.create_index(op.f("ix_audit_log_entity_key"), "audit_log", ["entity_key"], unique=False)
    op.execute(NO_UPDATE)
    op.execute(NO_DELETE)
    # Observations: '' where the payload is the fields; deflated where that pays.
    op.execute("UPDATE observations SET payload_json = '' WHERE payload_json = fields_json")
    rows = connection.execute(
        f"SELECT id, payload_json FROM observations WHERE length(payload_json) >= {deflate.WORTH_IT // 3}"
    ).fetchall()
    packed = [(value, row_id) for row_id, text in rows if isinstance(value := deflate.pack(text), bytes)]
    connection.executemany("UPDATE observations SET payload_json = ? WHERE id = ?", packed)
    _search_table(CONTENTLESS)


def _search_table(definition: str) -> None:
    """The search index made again with ``definition``, filled from the orders 5,000 at a time."""
    connection = _raw()
    connection.execute("DROP TABLE IF EXISTS order_search")
    connection.execute(definition)
    after = 0
    while True:
        rows = connection.execute(
            "SELECT id, receiver_name, receiver_phone, channel_order_no, waybill_no, "
            "receiver_province || receiver_city || receiver_district || receiver_address "
            "FROM orders WHERE id > ? ORDER BY id LIMIT 5000",
            (after,),
        ).fetchall()
        if not rows:
            return
        connection.executemany(
            "INSERT INTO order_search (rowid, name, phone, order_no, waybill, address) VALUES (?, ?, ?, ?, ?, ?)",
            [(r[0], *(tokens(v or "") for v in r[1:6])) for r in rows],
        )
        after = rows[-1][0]


def downgrade() -> None:
    """Back to the 0013 layout, row for row (hashes unchanged; a pruned file's chain then starts at its anchor)."""
    connection = _raw()
    op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    op.execute("DROP INDEX IF EXISTS ix_audit_log_entity_key")
    op.execute("ALTER TABLE audit_log RENAME TO audit_log_0014")
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at_ms", sa.Integer(), nullable=False),
        sa.Column("operator", sa.String(length=64), nullable=False),
        sa.Column("source_system", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("entity_key", sa.String(length=200), nullable=False),
        sa.Column("before_json", sa.Text(), nullable=False),
        sa.Column("after_json", sa.Text(), nullable=False),
        sa.Column("payload_json", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_log")),
    )
    anchor = connection.execute("SELECT hash FROM audit_anchor ORDER BY seq DESC LIMIT 1").fetchone()
    prev = bytes(anchor[0]).hex() if anchor else "0" * 64
    last = 0
    while True:
        rows = connection.execute(
            "SELECT a.seq, a.at_ms, a.operator, a.source_system, a.source, a.action, a.entity_key, "
            "COALESCE(a.before_json, b.body), COALESCE(a.after_json, f.body), a.payload_json, a.hash "
            "FROM audit_log_0014 a LEFT JOIN audit_texts b ON b.id = a.before_text "
            "LEFT JOIN audit_texts f ON f.id = a.after_text WHERE a.seq > ? ORDER BY a.seq LIMIT ?",
            (last, BATCH),
        ).fetchall()
        if not rows:
            break
        out = []
        for *fields, payload, digest in rows:
            out.append((*fields, deflate.unpack(payload), prev, bytes(digest).hex()))
            prev = bytes(digest).hex()
        connection.executemany(f"INSERT INTO audit_log VALUES ({', '.join('?' * 12)})", out)
        last = rows[-1][0]
    op.execute("DROP TABLE audit_log_0014")
    op.drop_table("audit_anchor")
    op.drop_table("audit_texts")
    op.create_index(op.f("ix_audit_log_entity_key"), "audit_log", ["entity_key"], unique=False)
    for verb in ("UPDATE", "DELETE"):
        op.execute(f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
                   "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END")  # fmt: skip
    op.execute("UPDATE observations SET payload_json = fields_json WHERE payload_json = ''")
    packed = connection.execute(
        "SELECT id, payload_json FROM observations WHERE typeof(payload_json) = 'blob'"
    ).fetchall()
    connection.executemany("UPDATE observations SET payload_json = ? WHERE id = ?",
                           [(deflate.unpack(blob), row_id) for row_id, blob in packed])  # fmt: skip
    _search_table("CREATE VIRTUAL TABLE order_search USING fts5(name, phone, order_no, waybill, address, "
                  "tokenize = 'unicode61 remove_diacritics 0')")  # fmt: skip
