"""One source's compiled mapping table: the first rule whose conditions all hold decides."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sync.states import Fulfilment, LineRefund, SourceSystem

FieldValue = str | int | None


@dataclass(frozen=True, slots=True)
class MappedStatus:
    """What a raw status means canonically. ``unmapped`` when no rule knows it."""

    fulfilment: Fulfilment | None
    refund: LineRefund | None
    refund_scope: str  # "line" (the line the observation names, else every line) or "order"
    cancelled: bool
    signal: str | None
    exception: bool
    unmapped: bool
    rule_id: str | None
    mapping_version: str
    label_zh: str | None
    label_en: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "fulfilment": self.fulfilment.value if self.fulfilment else None,
            "refund": self.refund.value if self.refund else None,
            "refund_scope": self.refund_scope,
            "cancelled": self.cancelled,
            "signal": self.signal,
            "exception": self.exception,
            "unmapped": self.unmapped,
            "rule": self.rule_id,
            "mapping_version": self.mapping_version,
            "label": {"zh": self.label_zh, "en": self.label_en} if self.label_zh else None,
        }


def _text(value: FieldValue) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


@dataclass(frozen=True, slots=True)
class _Condition:
    field: str
    kind: str  # "in", "not_in" or "present"
    values: frozenset[str]
    present: bool

    def holds(self, value: str | None) -> bool:
        if self.kind == "present":
            return (value is not None) == self.present
        if self.kind == "in":
            return value is not None and value in self.values
        return value is not None and value not in self.values


def _condition(field: str, spec: Any) -> _Condition:
    if isinstance(spec, dict) and "present" in spec:
        return _Condition(field, "present", frozenset(), bool(spec["present"]))
    if isinstance(spec, dict):
        return _Condition(field, "not_in", frozenset(str(v) for v in spec["not_in"]), True)
    values = spec if isinstance(spec, list) else [spec]
    return _Condition(field, "in", frozenset(str(v) for v in values), True)


class MappingTable:
    """A validated mapping document, compiled for fast repeated lookups."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        self.source: str = document["source"]
        self.source_system = SourceSystem(document["source_system"])
        self.version: str = document["version"]
        self.status_field: str = document["status_field"]
        self.mapping_version = f"{self.source}@{self.version}"
        self._rules: list[tuple[tuple[_Condition, ...], MappedStatus]] = []
        fields: set[str] = set()
        for rule in document["rules"]:
            conditions = tuple(_condition(f, spec) for f, spec in rule["when"].items())
            fields.update(c.field for c in conditions)
            then = rule["then"]
            self._rules.append(
                (
                    conditions,
                    MappedStatus(
                        fulfilment=Fulfilment(then["fulfilment"]) if then.get("fulfilment") else None,
                        refund=LineRefund(then["refund"]) if then.get("refund") else None,
                        refund_scope=then.get("refund_scope", "line"),
                        cancelled=bool(then.get("cancelled", False)),
                        signal=then.get("signal"),
                        exception=bool(then.get("exception", False)),
                        unmapped=False,
                        rule_id=rule["id"],
                        mapping_version=self.mapping_version,
                        label_zh=rule["label"]["zh"],
                        label_en=rule["label"]["en"],
                    ),
                )
            )
        self._fields = tuple(sorted(fields | {self.status_field}))
        self._unmapped = MappedStatus(
            None, None, "line", False, None, False, True, None, self.mapping_version, None, None
        )
        self._memo: dict[tuple[str | None, ...], MappedStatus] = {}

    def map(self, fields: Mapping[str, FieldValue]) -> MappedStatus:
        """Map one observation's fields (the raw status under ``status_field``, plus context)."""
        key = tuple(_text(fields.get(name)) for name in self._fields)
        found = self._memo.get(key)
        if found is None:
            values = dict(zip(self._fields, key, strict=True))
            found = self._unmapped
            for conditions, mapped in self._rules:
                if all(c.holds(values[c.field]) for c in conditions):
                    found = mapped
                    break
            if len(self._memo) < 100_000:
                self._memo[key] = found
        return found

    def map_status(self, raw_status: FieldValue, **context: FieldValue) -> MappedStatus:
        return self.map({self.status_field: raw_status, **context})
