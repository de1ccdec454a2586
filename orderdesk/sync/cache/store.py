"""Opening the cache: SQLite in WAL mode, foreign keys on, writes in BEGIN IMMEDIATE transactions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError

from orderdesk.sync.cache import check_record, migrate, open_check
from orderdesk.sync.cache.trouble import classify
from orderdesk.sync.paths import data_dir


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
    """One cache file. ``write()`` takes the write lock at once; ``read()`` never blocks a writer.

    Opening runs the cheap check (``open_check.py``, a few milliseconds) and notes whether the file
    changed outside OrderDesk since OrderDesk last closed it (``check_record.py``); a file that
    cannot be used raises `CacheUnusable` saying why. ``full_check_due()`` says whether the full
    check (``full_check.py``) should run before the file is trusted."""

    def __init__(self, path: Path, *, upgrade: bool = True) -> None:
        self.path = path
        existed = open_check.check_place(path)
        self.checks, noted = check_record.note_open(path, existed)
        if existed:
            known = check_record.known_finding(path, self.checks)
            if known is not None:
                raise known
            open_check.check_file(path)
        if noted:
            check_record.save(path, self.checks)
        self._writer = _engine(path, "IMMEDIATE")
        self._reader = _engine(path, "DEFERRED")
        try:
            self.backup: Path | None = migrate.upgrade(self._writer, path) if upgrade else None
        except DBAPIError as exc:
            self.close(record=False)
            trouble = classify(exc, path)
            if trouble is None:
                raise
            raise trouble from exc

    def full_check_due(self, *, daily: bool = False) -> str | None:
        """Why the full check should run now ("never", "changed", "stale" with ``daily``), or None."""
        return check_record.load(self.path).due(daily=daily)

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

    def close(self, *, record: bool = True) -> None:
        """Close every connection (the last one out checkpoints the WAL) and note how the file was left."""
        self._writer.dispose()
        self._reader.dispose()
        if record:
            check_record.note_closed(self.path)

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
