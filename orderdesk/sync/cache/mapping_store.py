"""Mapping tables imported into a cache: versioned, validated, audited; bundled tables otherwise."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import Connection

from orderdesk.sync.cache import audit
from orderdesk.sync.contract import canonical_json
from orderdesk.sync.mapping import MappingRegistry, MappingTableError, validate_table


def imported_documents(c: Connection) -> list[dict[str, Any]]:
    """The newest imported table of each source."""
    rows = c.exec_driver_sql(
        "SELECT m.document_json FROM mapping_tables m WHERE m.id = "
        "(SELECT MAX(id) FROM mapping_tables n WHERE n.source = m.source) ORDER BY m.source"
    )
    return [json.loads(r[0]) for r in rows]


def active_registry(c: Connection) -> MappingRegistry:
    return MappingRegistry.bundled().with_overrides(imported_documents(c))


def import_table(c: Connection, document: Any, *, operator: str, now_ms: int) -> dict[str, Any]:
    """Validate and store a new table version; it is in force from the next batch on.

    Refused (MappingTableError, nothing stored) when invalid, when that version of the source was
    stored before, or when it claims another kind of source system than the table it replaces.
    """
    validate_table(document)
    current = active_registry(c)
    source, version = document["source"], document["version"]
    if source in current:
        table = current.table(source)
        if table.source_system.value != document["source_system"]:
            raise MappingTableError(
                "$.source_system",
                f"{source} is a {table.source_system.value} source; a table cannot make it {document['source_system']}",
            )
        if table.version == version:
            raise MappingTableError(
                "$.version", f"version {version} of {source} is already in force; give a new version"
            )
    seen = c.exec_driver_sql("SELECT 1 FROM mapping_tables WHERE source = ? AND version = ?", (source, version)).first()
    if seen:
        raise MappingTableError("$.version", f"version {version} of {source} was imported before; give a new version")
    text = canonical_json(document)
    digest = hashlib.sha256(text.encode()).hexdigest()
    c.exec_driver_sql(
        "INSERT INTO mapping_tables (source, version, document_json, sha256, imported_at_ms, imported_by) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (source, version, text, digest, now_ms, operator),
    )
    before = current.table(source).mapping_version if source in current else None
    draft = audit.AuditDraft.of(
        operator, "console", "mapping", "mapping.import", f"mapping:{source}",
        canonical_json({"mapping_version": before}),
        canonical_json({"mapping_version": f"{source}@{version}", "sha256": digest}), text,
    )  # fmt: skip
    audit.append(c, [draft], now_ms)
    return {"source": source, "version": version, "mapping_version": f"{source}@{version}", "sha256": digest}
