"""Validation of mapping documents and the set of tables in force (bundled, or imported later)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema.exceptions import best_match

from orderdesk.sync.mapping.table import MappingTable
from orderdesk.sync.resources import MAPPINGS_DIR
from orderdesk.sync.states import EVIDENCE, Fulfilment, SourceSystem

SCHEMA_FILE = MAPPINGS_DIR / "mapping.schema.json"


class MappingTableError(ValueError):
    """A mapping document was refused; ``json_path`` points at the first offending place."""

    def __init__(self, json_path: str, message: str) -> None:
        super().__init__(f"{json_path}: {message}")
        self.json_path = json_path
        self.message = message


@cache
def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def validate_table(document: Any) -> None:
    """Raise :class:`MappingTableError` unless ``document`` is a usable mapping table."""
    error = best_match(_validator().iter_errors(document))
    if error is not None:
        raise MappingTableError(error.json_path, error.message)
    system = SourceSystem(document["source_system"])
    seen: dict[str, int] = {}
    for index, rule in enumerate(document["rules"]):
        if rule["id"] in seen:
            raise MappingTableError(f"$.rules[{index}].id", f"rule id {rule['id']!r} repeats rule {seen[rule['id']]}")
        seen[rule["id"]] = index
        for claim in ("fulfilment", "implies"):
            state = rule["then"].get(claim)
            if state and system not in EVIDENCE[Fulfilment(state)]:
                allowed = ", ".join(sorted(EVIDENCE[Fulfilment(state)]))
                raise MappingTableError(
                    f"$.rules[{index}].then.{claim}",
                    f"a {system} source cannot evidence {state} (only {allowed} can)",
                )


def load_table_file(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise MappingTableError("$", f"not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from exc
    validate_table(document)
    return document


@cache
def bundled_documents() -> tuple[dict[str, Any], ...]:
    paths = sorted(p for p in MAPPINGS_DIR.glob("*.json") if p != SCHEMA_FILE)
    return tuple(load_table_file(p) for p in paths)


class MappingRegistry:
    """The mapping tables in force, one per source; imported tables override bundled ones."""

    def __init__(self, documents: Iterable[Mapping[str, Any]]) -> None:
        self._tables: dict[str, MappingTable] = {}
        for document in documents:
            self._tables[document["source"]] = MappingTable(document)

    @classmethod
    def bundled(cls) -> MappingRegistry:
        return cls(bundled_documents())

    def with_overrides(self, documents: Iterable[Mapping[str, Any]]) -> MappingRegistry:
        merged = {t.source: t.document for t in self._tables.values()}
        merged.update({d["source"]: d for d in documents})
        return MappingRegistry(merged.values())

    @property
    def sources(self) -> list[str]:
        return sorted(self._tables)

    def table(self, source: str) -> MappingTable:
        try:
            return self._tables[source]
        except KeyError:
            known = ", ".join(self.sources)
            raise KeyError(f"unknown source {source!r}; known sources: {known}") from None

    def __contains__(self, source: str) -> bool:
        return source in self._tables
