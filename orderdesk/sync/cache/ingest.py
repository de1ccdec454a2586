"""Preparing a batch before it touches the cache: validate, map, identify, and turn every record into
the plain rows the transaction writes. Bad records go to quarantine.

Prepared records hold only strings, numbers and tuples (and the shared mapping results), so a batch
can be prepared in another process and handed over cheaply; the transaction never touches pydantic.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from pydantic import ValidationError

from orderdesk.sync.cache import search
from orderdesk.sync.cache.deflate import stored_observation_payload
from orderdesk.sync.cache.first_fold import FirstFold, fold_new_order
from orderdesk.sync.contract import (
    JsonMemo,
    ObservationRecord,
    OrderRecord,
    canonical_json,
    channel_key,
    deciding_reference,
)
from orderdesk.sync.domain_id import CHINA_TZ, new_domain_id_for_day
from orderdesk.sync.fold import FoldObservation
from orderdesk.sync.mapping import MappingRegistry
from orderdesk.sync.order_money import OrderMoney, order_money
from orderdesk.sync.record_errors import RecordError, cut_value, describe_errors
from orderdesk.sync.states import SourceSystem

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# The order columns a record sets, in the order PreparedOrder.values holds them.
RECORD_COLUMNS = (
    "channel", "shop", "channel_order_no", "created_at_ms", "receiver_name", "receiver_phone",
    "receiver_phone_tail", "receiver_province", "receiver_city", "receiver_district", "receiver_address",
    "waybill_no", "carrier", "buyer_note", "paid_amount_fen", "discount_fen", "platform_commission_fen",
    "freight_insurance_fen", "freight_fen", "invoice_json", "record_sha",
)  # fmt: skip
RECORD_INDEX = {name: index for index, name in enumerate(RECORD_COLUMNS)}


def to_ms(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(milliseconds=1)


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


LINE_KEPT = 1_000_000  # characters of a refused line kept in quarantine


@dataclass(frozen=True, slots=True)
class RefusedLine:
    """A line of an import file that is no record at all (not UTF-8, not JSON, nested too deep, a
    number too long): it travels with the records of its batch, so that with or without a preparing
    worker it goes to quarantine the same way, as it was read, with why."""

    reference: str  # file name:line number
    text: str  # the line (bytes that are not UTF-8 as \xNN), cut at LINE_KEPT characters
    error: RecordError

    @classmethod
    def of(cls, reference: str, text: str, error: RecordError) -> RefusedLine:
        if len(text) > LINE_KEPT:
            text = f"{text[:LINE_KEPT]}… ({len(text) - LINE_KEPT:,} more characters)"
        return cls(reference[:200], text, error.model_copy(update={"value": cut_value(error.value)}))

    def quarantined(self) -> Quarantined:
        return Quarantined("line", "", self.reference, json.dumps(self.text, ensure_ascii=False), [self.error])


class PreparedOrder(NamedTuple):
    key: str  # channel + shop + channel order no.
    domain_id: str | None  # when the record carries one
    fresh_id: str  # the unified id the order gets if it is new and carries none (drawn here, used once)
    values: tuple[Any, ...]  # RECORD_COLUMNS
    lines: tuple[tuple[int, str, str, int, int, int], ...]  # line_no, sku, title, quantity, unit price, discount
    search: tuple[str, str, str, str, str]  # search.row: name, phone, order no., waybill, address
    record_json: str

    def get(self, column: str) -> Any:
        return self.values[RECORD_INDEX[column]]

    @property
    def sha(self) -> str:
        return str(self.values[-1])

    @property
    def paid_known(self) -> bool:
        return self.get("paid_amount_fen") is not None

    def money(self) -> OrderMoney:
        return order_money(
            ((no, quantity, price, discount) for no, _, _, quantity, price, discount in self.lines),
            discount_fen=self.get("discount_fen"),
            freight_fen=self.get("freight_fen"),
            paid_amount_fen=self.get("paid_amount_fen"),
        )


class PreparedObservation(NamedTuple):
    fold: FoldObservation
    status_field: str
    raw_status: str
    fields_json: str
    payload_json: str
    ref_domain_id: str | None
    ref_channel_key: str | None
    ref_waybill_no: str | None

    @property
    def key(self) -> str:
        return self.fold.key

    @property
    def deciding(self) -> tuple[str, str] | None:
        """The reference that names its order (contract.deciding_reference)."""
        return deciding_reference(self.ref_domain_id, self.ref_channel_key, self.ref_waybill_no)

    @property
    def via_waybill(self) -> str | None:
        """The waybill it reaches its orders through, when that is what names them (else None): such an
        observation leaves an order whose waybill changes."""
        return None if self.ref_domain_id or self.ref_channel_key else self.ref_waybill_no

    def row(self, obs: FoldObservation, order_id: int, now: int) -> tuple[Any, ...]:
        m = obs.mapped
        return (
            obs.key, order_id, obs.source, obs.source_system, self.status_field, self.raw_status,
            self.fields_json, obs.observed_at_ms, now, obs.operator, obs.line_no, obs.refund_id, obs.refund_fen,
            stored_observation_payload(self.payload_json, self.fields_json), m.mapping_version, m.rule_id,
            m.fulfilment, m.refund, m.refund_scope,
            int(m.cancelled), m.signal, int(m.exception),
            int(m.unmapped), self.via_waybill, m.implies,
        )  # fmt: skip

    def pending_json(self) -> str:
        """What waits in pending_observations: enough to map it again when its order comes."""
        f = self.fold
        return canonical_json(
            {
                "key": f.key, "source": f.source, "observed_at_ms": f.observed_at_ms, "operator": f.operator,
                "line_no": f.line_no, "refund_id": f.refund_id, "refund_fen": f.refund_fen,
                "status_field": self.status_field, "raw_status": self.raw_status, "fields_json": self.fields_json,
                "payload_json": self.payload_json,
                "ref": [self.ref_domain_id, self.ref_channel_key, self.ref_waybill_no],
            }
        )  # fmt: skip

    @classmethod
    def from_pending_json(cls, text: str, registry: MappingRegistry) -> PreparedObservation | None:
        """Map a waiting observation again with the tables in force; None if its source has none now."""
        d = json.loads(text)
        if d["source"] not in registry:
            return None
        table = registry.table(d["source"])
        fold = FoldObservation(
            key=d["key"], observed_at_ms=d["observed_at_ms"], source=d["source"], source_system=table.source_system,
            mapped=table.map(json.loads(d["fields_json"]), d["status_field"]), operator=d["operator"], line_no=d["line_no"],
            refund_id=d["refund_id"], refund_fen=d["refund_fen"],
        )  # fmt: skip
        return cls(fold, d["status_field"], d["raw_status"], d["fields_json"], d["payload_json"], *d["ref"])


@dataclass(slots=True)
class PreparedBatch:
    orders: list[PreparedOrder] = field(default_factory=list)
    observations: list[PreparedObservation] = field(default_factory=list)
    quarantined: list[Quarantined] = field(default_factory=list)
    first_folds: dict[str, FirstFold] = field(default_factory=dict)  # order key → its rows, were it new
    repeated: int = 0  # observations given twice in the batch (kept once)


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


def _phone_tail(phone: str) -> str:
    return "".join([c for c in phone if c.isdigit()][-4:])


def prepare_order(raw: Any) -> PreparedOrder | Quarantined:
    try:
        r = OrderRecord.model_validate(raw)
    except ValidationError as exc:
        source = str(raw.get("channel", "")) if isinstance(raw, Mapping) else ""
        reference = _reference(raw, "channel_order_no", "domain_id")
        return Quarantined("order", source[:64], reference, _raw_json(raw), describe_errors(exc))
    # fields in declared order: stable; no invoice block, no invoice key (the text of orders from before it)
    text = r.model_dump_json(exclude={"domain_id", "invoice"} if r.invoice is None else {"domain_id"})
    invoice = r.invoice.model_dump_json() if r.invoice is not None else None
    receiver = r.receiver
    values = (
        r.channel, r.shop, r.channel_order_no, to_ms(r.created_at), receiver.name, receiver.phone,
        _phone_tail(receiver.phone), receiver.province, receiver.city, receiver.district, receiver.address,
        r.waybill_no, r.carrier, r.buyer_note, r.paid_amount_fen, r.discount_fen, r.platform_commission_fen,
        r.freight_insurance_fen, r.freight_fen, invoice, hashlib.sha256(text.encode()).hexdigest(),
    )  # fmt: skip
    return PreparedOrder(
        key=channel_key(r.channel, r.shop, r.channel_order_no),
        domain_id=r.domain_id,
        fresh_id=r.domain_id or new_domain_id_for_day(r.created_at.astimezone(CHINA_TZ).strftime("%Y%m%d")),
        values=values,
        lines=tuple((x.line_no, x.sku, x.title, x.quantity, x.unit_price_fen, x.discount_fen) for x in r.lines),
        search=search.row(
            receiver.name,
            receiver.phone,
            r.channel_order_no,
            r.waybill_no,
            receiver.province + receiver.city + receiver.district + receiver.address,
        ),
        record_json=text,
    )


_FIELDS_TEXT = JsonMemo()  # statuses repeat: serialise each set of fields once


def _fields_text(fields: dict[str, Any]) -> str:
    return _FIELDS_TEXT.text(tuple(sorted(fields.items())), fields)


class _SourceError(ValueError):
    def __init__(self, value: str, known: str) -> None:
        super().__init__(value)
        self.value, self.known = value, known


def prepare_observation(raw: Any, registry: MappingRegistry) -> PreparedObservation | Quarantined:
    source = str(raw.get("source", ""))[:64] if isinstance(raw, Mapping) else ""
    try:
        r = ObservationRecord.model_validate(raw)
        if r.source not in registry:
            raise _SourceError(r.source, ", ".join(registry.sources))
    except ValidationError as exc:
        return Quarantined("observation", source, _reference(raw, "order"), _raw_json(raw), describe_errors(exc))
    except _SourceError as exc:
        error = RecordError(
            field="source",
            value=exc.value,
            message=f"no mapping table for this source; known sources: {exc.known}",
            message_zh=f"此来源没有映射表;已有的来源:{exc.known}",
        )
        return Quarantined("observation", source, _reference(raw, "order"), _raw_json(raw), [error])
    table = registry.table(r.source)
    status_field = r.status_field or table.status_field
    fields: dict[str, Any] = {**r.fields, status_field: r.status}
    fields_json = _fields_text(fields)
    ref = r.order
    fold = FoldObservation(
        key=r.identity(),
        observed_at_ms=to_ms(r.observed_at),
        source=r.source,
        source_system=SourceSystem(table.source_system),
        mapped=table.map(fields, status_field),
        operator=r.operator,
        line_no=r.line_no,
        refund_id=r.refund_id,
        refund_fen=r.refund_fen,
    )
    return PreparedObservation(
        fold=fold,
        status_field=status_field,
        raw_status=str(r.status),
        fields_json=fields_json,
        payload_json=fields_json if r.payload is None else canonical_json(r.payload),
        ref_domain_id=ref.domain_id,
        ref_channel_key=ref.channel_key(),
        ref_waybill_no=ref.waybill_no,
    )


def first_folds(
    orders: list[PreparedOrder], observations: list[PreparedObservation], operator: str
) -> dict[str, FirstFold]:
    """Each order's rows as if it were new, from the batch's observations that name it, resolved as the
    writer resolves them (by the reference that decides: unified id, channel key, or a waybill no other
    order in the batch has). The writer checks each guess before it takes it (first_fold.py)."""
    by_channel = {o.key: o for o in orders}
    by_domain = {o.domain_id: o for o in orders if o.domain_id}
    waybills = Counter(o.get("waybill_no") for o in orders if o.get("waybill_no"))
    by_waybill = {o.get("waybill_no"): o for o in orders if waybills[o.get("waybill_no")] == 1}
    arrivals: dict[str, list[tuple[str, FoldObservation]]] = defaultdict(list)
    index = {"domain_id": by_domain, "channel_key": by_channel, "waybill_no": by_waybill}
    for obs in observations:
        deciding = obs.deciding
        target = index[deciding[0]].get(deciding[1]) if deciding else None
        if target is not None:
            arrivals[target.key].append((obs.payload_json, obs.fold))
    return {o.key: fold_new_order(o, o.fresh_id, operator, arrivals.get(o.key, ())) for o in orders}


def prepare(
    orders: Iterable[Any],
    observations: Iterable[Any],
    registry: MappingRegistry,
    *,
    fold_new_as: str | None = None,
) -> PreparedBatch:
    """Validate, map and identify a batch, turning every record into plain rows. With ``fold_new_as``
    (the writer's operator) also work out each order's rows as if it were new: worth it only where
    another process does that work while the writer is busy (pipeline.py)."""
    batch = PreparedBatch()
    latest: dict[str, PreparedOrder] = {}
    for raw in orders:
        if isinstance(raw, RefusedLine):
            batch.quarantined.append(raw.quarantined())
            continue
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
        else:
            batch.repeated += 1
    if fold_new_as is not None:
        batch.first_folds = first_folds(batch.orders, batch.observations, fold_new_as)
    return batch
