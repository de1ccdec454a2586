"""What the sync layer remembers in the cache between runs (the feed cursor per hub)."""

from __future__ import annotations

import time

from sqlalchemy import Connection


def _key(hub_url: str, name: str) -> str:
    return f"{hub_url.rstrip('/')}|{name}"


def load(c: Connection, hub_url: str, name: str) -> str | None:
    row = c.exec_driver_sql("SELECT value FROM sync_state WHERE key = ?", (_key(hub_url, name),)).first()
    return str(row[0]) if row else None


def save(c: Connection, hub_url: str, name: str, value: str) -> None:
    c.exec_driver_sql(
        "INSERT INTO sync_state (key, value, updated_at_ms) VALUES (?, ?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at_ms = excluded.updated_at_ms",
        (_key(hub_url, name), value, time.time_ns() // 1_000_000),
    )
