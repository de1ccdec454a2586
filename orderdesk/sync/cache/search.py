"""Full-text search for Chinese substrings: each field is indexed as overlapping character bigrams.

"张伟明" is stored as the tokens 张伟 伟明 明, so a query of two or more characters is the phrase of
its bigrams and a single character is a prefix query. This finds any substring, from one character
up, with FTS5's own unicode61 tokenizer (no extension to load, works on every SQLite with FTS5).
"""

from __future__ import annotations

import unicodedata

COLUMNS = ("name", "phone", "order_no", "waybill", "address")


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
