"""One source's compiled mapping table.

Rules belong to axes: ``order`` (fulfilment and cancellation, the default), ``refund`` (the default for
a rule that sets a refund) or any axis a table names (``push`` for a carrier's subscription). On each
axis the first rule whose conditions all hold decides; what the axes decide is merged. So one record
carrying an order status and a refund status (Pinduoduo's ``order_status`` 1 with ``refund_status``
4: not shipped, refunded) reads as both, whichever field the observation names as its status.
The observation is unmapped when no rule that reads its own status field knows its value; what the
other fields say still counts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from orderdesk.sync.states import Fulfilment, LineRefund, SourceSystem

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
    implies: Fulfilment | None = None  # "at least this far": never a regression, never held against it

    def as_json(self) -> dict[str, Any]:
        return {
            "fulfilment": self.fulfilment.value if self.fulfilment else None,
            "implies": self.implies.value if self.implies else None,
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
class _Rule:
    conditions: tuple[_Condition, ...]
    mapped: MappedStatus
    reads: frozenset[str]  # the fields its conditions are on


def _first(values: list[Any]) -> Any:
    return next((v for v in values if v is not None), None)


def _merge(parts: list[MappedStatus], unmapped: bool) -> MappedStatus:
    """What several axes decided, as one mapped status (each axis sets its own fields)."""
    refund = next((p for p in parts if p.refund is not None), None)
    signals = [p.signal for p in parts if p.signal]
    labels = [p for p in parts if p.label_zh]
    return MappedStatus(
        fulfilment=_first([p.fulfilment for p in parts]),
        refund=refund.refund if refund else None,
        refund_scope=refund.refund_scope if refund else "line",
        cancelled=any(p.cancelled for p in parts),
        signal=",".join(signals) or None,
        exception=any(p.exception for p in parts),
        unmapped=unmapped,
        rule_id="+".join(p.rule_id for p in parts if p.rule_id),
        mapping_version=parts[0].mapping_version,
        label_zh="；".join(p.label_zh for p in labels if p.label_zh) or None,
        label_en="; ".join(p.label_en for p in labels if p.label_en) or None,
        implies=_first([p.implies for p in parts]),
    )


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
        self._axes: dict[str, list[_Rule]] = {}
        fields: set[str] = set()
        for rule in document["rules"]:
            conditions = tuple(_condition(f, spec) for f, spec in rule["when"].items())
            fields.update(c.field for c in conditions)
            then = rule["then"]
            axis = rule.get("axis") or ("refund" if then.get("refund") else "order")
            mapped = MappedStatus(
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
                implies=Fulfilment(then["implies"]) if then.get("implies") else None,
            )
            self._axes.setdefault(axis, []).append(_Rule(conditions, mapped, frozenset(c.field for c in conditions)))
        self._fields = tuple(sorted(fields | {self.status_field}))
        self._on_field: dict[str, list[_Condition]] = {}
        for rules in self._axes.values():
            for r in rules:
                for c in r.conditions:
                    self._on_field.setdefault(c.field, []).append(c)
        self._unmapped = MappedStatus(
            None, None, "line", False, None, False, True, None, self.mapping_version, None, None
        )
        self._memo: dict[tuple[str | None, ...], MappedStatus] = {}

    def map(self, fields: Mapping[str, FieldValue], status_field: str | None = None) -> MappedStatus:
        """Map one observation's fields: its raw status under ``status_field`` (default: the table's),
        plus whatever other fields the record carried."""
        own = status_field or self.status_field
        key = (own, *(_text(fields.get(name)) for name in self._fields))
        found = self._memo.get(key)
        if found is None:
            values = dict(zip(self._fields, key[1:], strict=True))
            found = self._decide(values, own, _text(fields.get(own)) is not None)
            if len(self._memo) < 100_000:
                self._memo[key] = found
        return found

    def _decide(self, values: dict[str, str | None], own: str, has_status: bool) -> MappedStatus:
        decided = [
            next((rule for rule in rules if all(c.holds(values[c.field]) for c in rule.conditions)), None)
            for rules in self._axes.values()
        ]
        found = [rule for rule in decided if rule is not None]
        if not found:
            return self._unmapped
        knows = own in values and any(c.holds(values[own]) for c in self._on_field.get(own, ()))
        unmapped = has_status and not knows  # no rule knows its own status, whatever else the record said
        if len(found) == 1 and not unmapped:
            return found[0].mapped
        return _merge([rule.mapped for rule in found], unmapped)

    def map_status(self, raw_status: FieldValue, **context: FieldValue) -> MappedStatus:
        return self.map({self.status_field: raw_status, **context})
