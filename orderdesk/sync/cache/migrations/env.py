"""Alembic environment: always run programmatically by sync.cache.migrate with a live connection."""

from __future__ import annotations

from alembic import context

from orderdesk.sync.cache.schema import SEARCH_TABLE, metadata


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    # FTS5 keeps shadow tables (order_search_data, …) that are no business of autogenerate.
    return not (type_ == "table" and name and name.startswith(SEARCH_TABLE))


connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things: batch mode copies the table
    include_name=include_name,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
