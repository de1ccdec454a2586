"""What POST /v1/ingest/{source} accepts: ``{orders: [...], observations: [...]}`` in the wire contract
for every source that has a mapping table, and Kuaidi100's own push body (hub/kuaidi100.py).

A body of the wrong shape is refused whole (422 naming the field: ``orders`` that is no list, a field
the body does not have, a push whose ``lastResult`` is no object…), as is one with more records than
a request may carry (413). Otherwise each bad record is refused with its errors and kept at the hub
(hub/refused.py), and the rest goes in. The answer lists the first refusals only, with their count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from orderdesk.hub import kuaidi100
from orderdesk.hub.body import IngestLimits, parse_json
from orderdesk.hub.refusals import ERRORS_SHOWN, Refusal, key_name
from orderdesk.sync.contract import Code, ObservationRecord, OrderRecord
from orderdesk.sync.record_errors import RecordError, describe_errors

ENVELOPE_KEYS = ("orders", "observations")
REFUSALS_SHOWN = 20  # an answer lists the first refused records; refused_count says how many there were


class RefusedRecord(BaseModel):
    kind: str
    index: int
    errors: list[RecordError]
    error_count: int


@dataclass(slots=True)
class Refused:
    """A refused record: what was sent and why it was refused."""

    kind: str
    index: int
    raw: Any
    errors: list[RecordError]

    def shown(self) -> RefusedRecord:
        return RefusedRecord(kind=self.kind, index=self.index, errors=self.errors[:ERRORS_SHOWN],
                             error_count=len(self.errors))  # fmt: skip


@dataclass(slots=True)
class ParsedIngest:
    orders: list[OrderRecord] = field(default_factory=list)
    observations: list[ObservationRecord] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)


class IngestObservation(ObservationRecord):
    """An observation as the ingest takes it: ``source`` defaults to the path's. It describes the body
    (the OpenAPI document) and is never used as an ObservationRecord."""

    source: Code | None = None  # type: ignore[assignment]  # pydantic widens the field here; see the docstring


class IngestBody(BaseModel):
    """The wire contract's batch (docs/orders.md, "Records the cache takes")."""

    model_config = ConfigDict(extra="forbid")
    orders: list[OrderRecord] = []
    observations: list[IngestObservation] = []


def _not_an_object(where: str, value: Any) -> Refusal:
    return Refusal(422, en=f"{where}: should be a JSON object", zh=f"{where}:应为 JSON 对象", field=where,
                   value=value)  # fmt: skip


def _envelope(document: dict[str, Any], limits: IngestLimits) -> tuple[list[Any], list[Any]]:
    unknown = [key for key in document if key not in ENVELOPE_KEYS]
    if unknown:
        name = key_name(unknown[0])
        raise Refusal(422, en=f"{name}: not a field of an ingest body (it holds orders and observations)",
                      zh=f"{name}:不是导入请求体的字段(请求体只有 orders 和 observations)", field=name)  # fmt: skip
    lists = []
    for key in ENVELOPE_KEYS:
        value = document.get(key, [])
        if not isinstance(value, list):
            raise Refusal(
                422, en=f"{key}: should be a list of records", zh=f"{key}:应为记录列表", field=key, value=value
            )
        lists.append(value)
    return lists[0], lists[1]


def parse_ingest(source: str, document: Any, limits: IngestLimits, where: str = "$") -> ParsedIngest:
    """Records from a parsed body; ``where`` names the body in refusals (``param`` for Kuaidi100's form)."""
    if not isinstance(document, dict):
        raise _not_an_object(where, document)
    if source == "kuaidi100" and kuaidi100.is_push(document):
        both = [key for key in ENVELOPE_KEYS if key in document]
        if both:  # the push's own fields are not checked strictly: the batch would be lost unseen
            raise Refusal(422, en=f"{both[0]}: a body is either a batch or Kuaidi100's push, not both",
                          zh=f"{both[0]}:请求体要么是批量记录,要么是快递100 推送,不能两者都有", field=both[0])  # fmt: skip
        if "param" in document:  # the form's field, sent inside a JSON body
            param = document["param"]
            if not isinstance(param, str):
                raise Refusal(422, en="param: should be the push as a JSON string", zh="param:应为推送内容的 JSON 字符串",
                              field="param", value=param)  # fmt: skip
            document, where = parse_json(param.encode(), "param", limits), "param"
            if not isinstance(document, dict):
                raise _not_an_object(where, document)
        raw_orders: list[Any] = []
        raw_observations: list[Any] = kuaidi100.observations(document, where)
    elif where != "$":  # a form's param holds Kuaidi100's push, nothing else
        raise Refusal(422, en=f"{where}: should be Kuaidi100's push (with lastResult)",
                      zh=f"{where}:应为快递100 的推送内容(含 lastResult)", field=where)  # fmt: skip
    else:
        raw_orders, raw_observations = _envelope(document, limits)
    count = len(raw_orders) + len(raw_observations)
    if count > limits.max_records:
        raise Refusal(413, en=f"{count:,} records: at most {limits.max_records:,} in one request, send smaller batches",
                      zh=f"共 {count:,} 条记录:每次最多 {limits.max_records:,} 条,请分批发送", field="$",
                      extra={"records": count})  # fmt: skip
    parsed = ParsedIngest()
    for index, raw in enumerate(raw_orders):
        try:
            parsed.orders.append(OrderRecord.model_validate(raw))
        except ValidationError as exc:
            parsed.refused.append(Refused("order", index, raw, describe_errors(exc)))
    for index, raw in enumerate(raw_observations):
        if isinstance(raw, dict):
            raw = {"source": source, **raw}
        try:
            record = ObservationRecord.model_validate(raw)
        except ValidationError as exc:
            parsed.refused.append(Refused("observation", index, raw, describe_errors(exc)))
            continue
        if record.source != source:
            error = RecordError(field="source", value=record.source, message=f"this endpoint takes {source} observations",
                                message_zh=f"此接口只接收 {source} 的状态")  # fmt: skip
            parsed.refused.append(Refused("observation", index, raw, [error]))
            continue
        parsed.observations.append(record)
    return parsed
