"""The local order cache: SQLite through SQLAlchemy, schema only through Alembic migrations."""

from orderdesk.sync.cache.store import Cache, default_cache_path

__all__ = ["Cache", "default_cache_path"]
