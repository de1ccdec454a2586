"""What POST /v1/ingest/{source} accepts: records in the wire contract for every source, and
Kuaidi100's own push body. A bad record is refused with its errors; the rest goes in."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from sync.contract import ObservationRecord, OrderRecord
from sync.json_input import Unreadable, read_json
from sync.record_errors import describe_errors, shown


@dataclass(slots=True)
class ParsedIngest:
    orders: list[OrderRecord] = field(default_factory=list)
    observations: list[ObservationRecord] = field(default_factory=list)
    refused: list[dict[str, Any]] = field(default_factory=list)

    def refuse(self, kind: str, index: int, errors: list[dict[str, Any]]) -> None:
        self.refused.append({"kind": kind, "index": index, "errors": errors})


class _NotAPush(ValueError):
    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en)
        self.zh = zh


def _kuaidi100_push(body: dict[str, Any]) -> list[dict[str, Any]]:
    """Kuaidi100's subscription push: {status, lastResult: {nu, state, data: [{time, context…}]}}.
    The body may come wrapped as the form field `param` (a JSON string). _NotAPush if it is none."""
    if isinstance(body.get("param"), str):
        param = read_json(body["param"].encode("utf-8", "surrogatepass"))
        if isinstance(param, Unreadable):
            raise _NotAPush(f"param {param.en}", f"param {param.zh}")
        body = param
    if not isinstance(body, dict):
        raise _NotAPush("a Kuaidi100 push is a JSON object", "快递100 推送应为 JSON 对象")
    last = body.get("lastResult") or {}
    data = (last.get("data") or [{}]) if isinstance(last, dict) else None
    if not isinstance(last, dict) or not isinstance(data, list) or not isinstance(data[0], dict):
        raise _NotAPush("lastResult is an object whose data is a list of objects",
                        "lastResult 应为对象,其中 data 应为对象列表")  # fmt: skip
    waybill, newest = last.get("nu"), data[0]
    at = newest.get("ftime") or newest.get("time")
    records = []
    if last.get("state") is not None:
        records.append({"source": "kuaidi100", "status": str(last["state"]), "observed_at": at,
                        "order": {"waybill_no": waybill}, "payload": body})  # fmt: skip
    if body.get("status") in ("abort", "shutdown"):
        records.append({"source": "kuaidi100", "status_field": "push_status", "status": body["status"],
                        "observed_at": at, "order": {"waybill_no": waybill}, "payload": body})  # fmt: skip
    return records


def parse_ingest(source: str, body: Any) -> ParsedIngest:
    parsed = ParsedIngest()
    if not isinstance(body, dict):
        parsed.refuse("body", 0, [{"field": "$", "value": str(body)[:200], "message": "the body is a JSON object",
                                   "message_zh": "请求体应为 JSON 对象"}])  # fmt: skip
        return parsed
    if source == "kuaidi100" and ("lastResult" in body or "param" in body):
        try:
            raw_observations: list[Any] = _kuaidi100_push(body)
        except _NotAPush as exc:
            parsed.refuse("body", 0, [{"field": "$", "value": shown(body), "message": str(exc), "message_zh": exc.zh}])
            return parsed
        raw_orders: list[Any] = []
    else:
        raw_orders = body.get("orders") or []
        raw_observations = body.get("observations") or []
        for name, value in (("orders", raw_orders), ("observations", raw_observations)):
            if not isinstance(value, list):
                parsed.refuse("body", 0, [{"field": name, "value": shown(value), "message": f"{name} is a list",
                                           "message_zh": f"{name} 应为列表"}])  # fmt: skip
                return parsed
    for index, raw in enumerate(raw_orders):
        try:
            parsed.orders.append(OrderRecord.model_validate(raw))
        except ValidationError as exc:
            parsed.refuse("order", index, [e.model_dump() for e in describe_errors(exc)])
    for index, raw in enumerate(raw_observations):
        if isinstance(raw, dict):
            raw = {"source": source, **raw}
        try:
            record = ObservationRecord.model_validate(raw)
        except ValidationError as exc:
            parsed.refuse("observation", index, [e.model_dump() for e in describe_errors(exc)])
            continue
        if record.source != source:
            parsed.refuse("observation", index, [{"field": "source", "value": record.source,
                                                  "message": f"this endpoint takes {source} observations",
                                                  "message_zh": f"此接口只接收 {source} 的状态"}])  # fmt: skip
            continue
        parsed.observations.append(record)
    return parsed
