"""Preparing a batch before it touches the cache: validate, map, identify. Bad records go to quarantine."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import ValidationError

from sync.contract import ObservationRecord, OrderRecord, RecordError, canonical_json, describe_errors
from sync.fold import FoldObservation
from sync.mapping import MappedStatus, MappingRegistry
from sync.states import SourceSystem

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def to_ms(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(milliseconds=1)


def channel_key(channel: str, shop: str, channel_order_no: str) -> str:
    return f"{channel}\x1f{shop}\x1f{channel_order_no}"


@dataclass(frozen=True, slots=True)
class Quarantined:
    kind: str  # "order" or "observation"
    source: str
    reference: str
    record_json: str
    errors: list[RecordError]

    @property
    def sha(self) -> str:
        return hashlib.sha256(f"{self.kind}\n{self.record_json}".encode()).hexdigest()

    def errors_json(self) -> str:
        return json.dumps([e.model_dump() for e in self.errors], ensure_ascii=False, default=str)


@dataclass(frozen=True, slots=True)
class PreparedOrder:
    record: OrderRecord
    record_json: str
    sha: str

    @property
    def key(self) -> str:
        r = self.record
        return channel_key(r.channel, r.shop, r.channel_order_no)


@dataclass(frozen=True, slots=True)
class PreparedObservation:
    record: ObservationRecord
    key: str
    mapped: MappedStatus
    source_system: str
    status_field: str
    fields_json: str
    payload_json: str

    @property
    def record_json(self) -> str:
        return self.record.model_dump_json()

    def fold_input(self, key: str | None = None) -> FoldObservation:
        r = self.record
        return FoldObservation(
            key=key or self.key,
            observed_at_ms=to_ms(r.observed_at),
            source=r.source,
            source_system=SourceSystem(self.source_system),
            mapped=self.mapped,
            operator=r.operator,
            line_no=r.line_no,
            refund_id=r.refund_id,
            refund_fen=r.refund_fen,
        )


@dataclass(slots=True)
class PreparedBatch:
    orders: list[PreparedOrder] = field(default_factory=list)
    observations: list[PreparedObservation] = field(default_factory=list)
    quarantined: list[Quarantined] = field(default_factory=list)


def _raw_json(raw: Any) -> str:
    try:
        return canonical_json(raw)
    except (TypeError, ValueError):
        return json.dumps(repr(raw), ensure_ascii=False)


def _reference(raw: Any, *names: str) -> str:
    if not isinstance(raw, Mapping):
        return ""
    for name in names:
        value = raw.get(name)
        if isinstance(value, str | int) and value != "":
            return str(value)[:200]
        if isinstance(value, Mapping):
            inner = _reference(value, "domain_id", "channel_order_no", "waybill_no")
            if inner:
                return inner
    return ""


def prepare_order(raw: Any) -> PreparedOrder | Quarantined:
    try:
        record = OrderRecord.model_validate(raw)
    except ValidationError as exc:
        source = str(raw.get("channel", "")) if isinstance(raw, Mapping) else ""
        reference = _reference(raw, "channel_order_no", "domain_id")
        return Quarantined("order", source[:64], reference, _raw_json(raw), describe_errors(exc))
    text = record.model_dump_json(exclude={"domain_id"})  # fields in declared order: stable
    return PreparedOrder(record, text, hashlib.sha256(text.encode()).hexdigest())


_FIELDS_TEXT: dict[tuple[tuple[str, Any], ...], str] = {}  # statuses repeat: serialise each set once


def _fields_text(fields: dict[str, Any]) -> str:
    key = tuple(sorted(fields.items()))
    text = _FIELDS_TEXT.get(key)
    if text is None:
        text = canonical_json(fields)
        if len(_FIELDS_TEXT) < 50_000:
            _FIELDS_TEXT[key] = text
    return text


def prepare_observation(raw: Any, registry: MappingRegistry) -> PreparedObservation | Quarantined:
    source = str(raw.get("source", ""))[:64] if isinstance(raw, Mapping) else ""
    try:
        record = ObservationRecord.model_validate(raw)
        if record.source not in registry:
            known = ", ".join(registry.sources)
            raise _SourceError(f"no mapping table for this source; known sources: {known}", record.source)
    except ValidationError as exc:
        return Quarantined("observation", source, _reference(raw, "order"), _raw_json(raw), describe_errors(exc))
    except _SourceError as exc:
        error = RecordError(field="source", value=exc.value, message=str(exc))
        return Quarantined("observation", source, _reference(raw, "order"), _raw_json(raw), [error])
    table = registry.table(record.source)
    status_field = record.status_field or table.status_field
    fields: dict[str, Any] = {**record.fields, status_field: record.status}
    fields_json = _fields_text(fields)
    return PreparedObservation(
        record=record,
        key=record.identity(),
        mapped=table.map(fields),
        source_system=table.source_system.value,
        status_field=status_field,
        fields_json=fields_json,
        payload_json=fields_json if record.payload is None else canonical_json(record.payload),
    )


class _SourceError(ValueError):
    def __init__(self, message: str, value: str) -> None:
        super().__init__(message)
        self.value = value


def prepare(orders: Iterable[Any], observations: Iterable[Any], registry: MappingRegistry) -> PreparedBatch:
    batch = PreparedBatch()
    latest: dict[str, PreparedOrder] = {}
    for raw in orders:
        prepared = prepare_order(raw)
        if isinstance(prepared, Quarantined):
            batch.quarantined.append(prepared)
        else:
            latest.pop(prepared.key, None)  # a later version of the same order in one batch wins
            latest[prepared.key] = prepared
    batch.orders = list(latest.values())
    seen: set[str] = set()
    for raw in observations:
        prepared_obs = prepare_observation(raw, registry)
        if isinstance(prepared_obs, Quarantined):
            batch.quarantined.append(prepared_obs)
        elif prepared_obs.key not in seen:
            seen.add(prepared_obs.key)
            batch.observations.append(prepared_obs)
    return batch
