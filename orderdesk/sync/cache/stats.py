"""What the cache file holds: rows and bytes per table (its indexes and, for the search index, its
FTS5 shadow tables counted with it), and per order. `orderdesk cache stats` and `bench cache_size`.

Bytes are pages as SQLite's `dbstat` counts them (a table's and its indexes' pages, whole), so the
figures add up to the file's size less free pages and the schema."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from orderdesk.sync.cache.schema import SEARCH_TABLE


@dataclass(frozen=True, slots=True)
class TableFigures:
    table: str
    rows: int
    table_bytes: int
    index_bytes: int

    @property
    def bytes(self) -> int:
        return self.table_bytes + self.index_bytes


@dataclass(frozen=True, slots=True)
class CacheFigures:
    path: str
    file_bytes: int
    free_bytes: int
    orders: int
    tables: list[TableFigures] = field(default_factory=list)

    def per_order(self, amount: int) -> float:
        return amount / self.orders if self.orders else 0.0

    @property
    def used_bytes(self) -> int:
        return sum(t.bytes for t in self.tables)

    def as_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "file_bytes": self.file_bytes,
            "free_bytes": self.free_bytes,
            "orders": self.orders,
            "bytes_per_order": round(self.per_order(self.used_bytes), 1),
            "rows_per_order": round(self.per_order(sum(t.rows for t in self.tables if t.table != SEARCH_TABLE)), 2),
            "tables": [
                {
                    "table": t.table,
                    "rows": t.rows,
                    "bytes": t.bytes,
                    "table_bytes": t.table_bytes,
                    "index_bytes": t.index_bytes,
                    "bytes_per_order": round(self.per_order(t.bytes), 1),
                }
                for t in self.tables
            ],
        }


def measure(path: Path) -> CacheFigures:
    """Read-only: opens the file with ``mode=ro``; takes about a second per 100 MB (dbstat reads every page)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        free = db.execute("PRAGMA freelist_count").fetchone()[0] * page_size
        owner = dict(db.execute("SELECT name, tbl_name FROM sqlite_master WHERE type IN ('table', 'index')").fetchall())
        kinds = dict(db.execute("SELECT name, type FROM sqlite_master WHERE type IN ('table', 'index')").fetchall())
        sizes: dict[str, list[int]] = {}
        for name, pages in db.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name"):
            table = owner.get(name, name)
            if table.startswith(SEARCH_TABLE + "_"):  # FTS5's shadow tables belong to the search index
                table = SEARCH_TABLE
            if name.startswith("sqlite_autoindex_"):
                table = name.removeprefix("sqlite_autoindex_").rsplit("_", 1)[0]
            if table == "sqlite_schema" or table == "sqlite_master":
                continue
            share = sizes.setdefault(table, [0, 0])
            share[1 if kinds.get(name) == "index" or name.startswith("sqlite_autoindex_") else 0] += int(pages)
        orders = db.execute("SELECT COUNT(*) FROM orders").fetchone()[0]
        tables = []
        for table, (table_bytes, index_bytes) in sorted(sizes.items(), key=lambda kv: -sum(kv[1])):
            if kinds.get(table) != "table" and table != SEARCH_TABLE:
                continue
            if table == SEARCH_TABLE:  # contentless: it cannot be counted; one row per order
                rows = orders
            else:
                rows = db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
            tables.append(TableFigures(table, int(rows), table_bytes, index_bytes))
    finally:
        db.close()
    return CacheFigures(str(path), path.stat().st_size, int(free), int(orders), tables)
