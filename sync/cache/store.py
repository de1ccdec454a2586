"""Opening the cache: SQLite in WAL mode, foreign keys on, writes in BEGIN IMMEDIATE transactions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event

from sync.cache import migrate
from sync.paths import data_dir


def default_cache_path() -> Path:
    return data_dir() / "cache.sqlite3"


def _engine(path: Path, begin: str) -> Engine:
    engine = create_engine(f"sqlite:///{path}", pool_size=4, max_overflow=4)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        for pragma in (
            "journal_mode = WAL",
            "foreign_keys = ON",
            "synchronous = NORMAL",
            "busy_timeout = 10000",
            "temp_store = MEMORY",
            "cache_size = -65536",
            # Checkpoint every 256 MB of WAL, not every 4 MB: each checkpoint writes back (and syncs)
            # every page the WAL holds, and between checkpoints a page that many batches change is
            # written back once (at 1M orders a batch changes pages all over the indexes).
            "wal_autocheckpoint = 65536",
            "journal_size_limit = 67108864",  # the WAL file shrinks back to 64 MB after a checkpoint
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql(f"BEGIN {begin}")

    return engine


class Cache:
    """One cache file. ``write()`` takes the write lock at once; ``read()`` never blocks a writer."""

    def __init__(self, path: Path, *, upgrade: bool = True) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._writer = _engine(path, "IMMEDIATE")
        self._reader = _engine(path, "DEFERRED")
        self.backup: Path | None = migrate.upgrade(self._writer, path) if upgrade else None

    @contextmanager
    def write(self) -> Iterator[Connection]:
        with self._writer.begin() as connection:
            yield connection

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self._reader.begin() as connection:
            yield connection

    @property
    def writer_engine(self) -> Engine:
        return self._writer

    def close(self) -> None:
        self._writer.dispose()
        self._reader.dispose()

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
