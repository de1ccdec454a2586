"""Full-text search for Chinese substrings: each field is indexed as overlapping character bigrams.

"张伟明" is stored as the tokens 张伟 伟明 明, so a query of two or more characters is the phrase of
its bigrams and a single character is a prefix query. This finds any substring, from one character
up, with FTS5's own unicode61 tokenizer (no extension to load, works on every SQLite with FTS5).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

COLUMNS = ("name", "phone", "order_no", "waybill", "address")
# Contentless (migration 0014): the index keeps no copy of what it indexes and no token counts; it is
# only asked for rowids. A row is removed by naming its tokens again (`delete_rows`).
CONTENTLESS = (
    "CREATE VIRTUAL TABLE order_search USING fts5(name, phone, order_no, waybill, address, content = '', "
    "columnsize = 0, tokenize = 'unicode61 remove_diacritics 0')"
)
_DELETE = (
    "INSERT INTO order_search (order_search, rowid, name, phone, order_no, waybill, address) "
    "VALUES ('delete', ?, ?, ?, ?, ?, ?)"
)
# The orders columns a search row is made of, in `row`'s order (address: four columns together).
ORDER_COLUMNS = (
    "receiver_name, receiver_phone, channel_order_no, waybill_no, "
    "receiver_province || receiver_city || receiver_district || receiver_address"
)


def normalise(text: str) -> str:
    """Full-width forms folded to plain ones, case folded, only letters and digits kept."""
    folded = text.lower() if text.isascii() else unicodedata.normalize("NFKC", text).casefold()
    return "".join(filter(str.isalnum, folded))


def tokens(text: str) -> str:
    chars = normalise(text)
    if not chars:
        return ""
    pairs = [chars[i : i + 2] for i in range(len(chars) - 1)]
    pairs.append(chars[-1])
    return " ".join(pairs)


def match_expression(query: str, column: str | None = None) -> str | None:
    """The FTS5 MATCH expression for a user's query, or None when nothing searchable is left."""
    chars = normalise(query)
    if not chars:
        return None
    if len(chars) == 1:
        phrase = f'"{chars}"*'
    else:
        phrase = '"' + " ".join(chars[i : i + 2] for i in range(len(chars) - 1)) + '"'
    if column is not None:
        if column not in COLUMNS:
            raise ValueError(f"unknown search column {column!r}")
        return f"{column} : {phrase}"
    return phrase


def row(name: str, phone: str, order_no: str, waybill: str, address: str) -> tuple[str, str, str, str, str]:
    """The search row of an order; ``address`` is province, city, district and address together."""
    return tokens(name), tokens(phone), tokens(order_no), tokens(waybill), tokens(address)


def delete_rows(connection: Any, rows: Sequence[tuple[Any, ...]]) -> None:
    """Remove search rows: each ``(rowid, *row(...))`` as it was indexed (a contentless index cannot
    look its tokens up itself). ``connection``: SQLAlchemy's or sqlite3's."""
    if not rows:
        return
    run = getattr(connection, "exec_driver_sql", None) or connection.executemany
    run(_DELETE, list(rows))
