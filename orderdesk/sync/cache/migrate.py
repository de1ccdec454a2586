"""Bring a cache file's schema to the newest revision, taking a backup of the file first."""

from __future__ import annotations

import logging
import sqlite3
import time
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
KEEP_BACKUPS = 3
# The newest revision: a cache file already there opens without importing Alembic (0.3 s of the
# console's start-up, measured). tests/sync/test_cache.py checks it against Alembic's own head.
HEAD = "0014"


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        try:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except OperationalError:  # a new, empty file
            return None


def backup_file(path: Path, label: str) -> Path:
    """A consistent copy through SQLite's online backup (safe even with a WAL in use)."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.{label}-{stamp}.bak")
    source = sqlite3.connect(path)
    try:
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()
    for old in sorted(path.parent.glob(f"{path.name}.*.bak"))[:-KEEP_BACKUPS]:
        old.unlink(missing_ok=True)
    return target


def upgrade(engine: Engine, path: Path | None) -> Path | None:
    """Migrate to head. Returns the backup taken, if the file held an older schema."""
    current = current_revision(engine)
    if current == HEAD:
        return None
    from alembic import command

    head = head_revision()
    backup = None
    if path is not None and current is not None:
        backup = backup_file(path, f"before-{head}")
        log.info("cache %s: schema %s → %s, backup at %s", path, current, head, backup)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return backup
