"""The SKU tax table (`resources/invoicing/tax_codes.json`, editable): what an order line becomes on an
invoice — goods name, tax classification code, rate, unit, spec."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema.exceptions import best_match

from orderdesk.sync.resources import RESOURCES

TABLE_FILE = RESOURCES / "invoicing" / "tax_codes.json"
SCHEMA_FILE = RESOURCES / "invoicing" / "tax_codes.schema.json"


class TaxTableError(ValueError):
    def __init__(self, json_path: str, message: str) -> None:
        super().__init__(f"{json_path}: {message}")
        self.json_path = json_path


@dataclass(frozen=True, slots=True)
class TaxItem:
    goods_name: str
    code: str  # 19 digits
    rate_bp: int  # basis points: 1300 is 13 %
    unit: str = ""
    spec: str = ""

    @property
    def rate_text(self) -> str:
        """As the platform takes it: "0.13"."""
        return "0" if self.rate_bp == 0 else f"{self.rate_bp / 10000:.2f}".rstrip("0")


def rate_bp(text: str) -> int:
    whole, _, part = text.partition(".")
    return int(whole) * 10000 + int((part + "0000")[:4])


class TaxTable:
    def __init__(self, document: Mapping[str, Any]) -> None:
        error = best_match(jsonschema.Draft202012Validator(_schema()).iter_errors(document))
        if error is not None:
            raise TaxTableError(error.json_path, error.message)
        self.version: str = document["version"]
        self._exact: dict[str, TaxItem] = {}
        self._prefixes: list[tuple[str, TaxItem]] = []
        self._seen: dict[str, TaxItem | None] = {}  # every SKU looked up, answered once
        for entry in document["entries"]:
            item = TaxItem(entry["goods_name"], entry["code"], rate_bp(entry["rate"]), entry.get("unit", ""),
                           entry.get("spec", ""))  # fmt: skip
            for sku in entry.get("skus", ()):
                self._exact.setdefault(sku, item)
            if "prefix" in entry:
                self._prefixes.append((entry["prefix"], item))

    def item(self, sku: str) -> TaxItem | None:
        """The entry for a SKU, or None when no entry covers it (the invoice then needs data)."""
        try:
            return self._seen[sku]
        except KeyError:
            pass
        found = self._exact.get(sku)
        if found is None:
            found = next((item for prefix, item in self._prefixes if sku.startswith(prefix)), None)
        if len(self._seen) < 1_000_000:
            self._seen[sku] = found
        return found

    @classmethod
    def load(cls, path: Path = TABLE_FILE) -> TaxTable:
        return cls(json.loads(path.read_text(encoding="utf-8")))


@cache
def _schema() -> dict[str, Any]:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


@cache
def bundled() -> TaxTable:
    return TaxTable.load()
