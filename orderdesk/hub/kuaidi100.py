"""Kuaidi100's own subscription push, as POST /v1/ingest/kuaidi100 takes it besides the wire contract:
``{status, message, lastResult: {nu, com, state, data: [{time, ftime, context…}]}}``, as a JSON body or
as the form field ``param`` (a JSON string, as Kuaidi100 really sends it).

The push's shape is checked first (a ``lastResult`` that is no object, ``data`` that is no list of
objects…: 422 naming the field); then it becomes one observation of the carrier's state (and one of
the push status when the subscription was aborted or shut down), which the wire contract checks.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, ValidationError

from orderdesk.hub.refusals import Refusal, invalid
from orderdesk.sync.record_errors import describe_errors

PUSH_KEYS = frozenset({"lastResult", "param"})
ENDED = ("abort", "shutdown")  # push statuses that end the subscription: worth an observation


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="allow")  # Kuaidi100 adds fields; only the ones read are checked


class Kuaidi100Track(_Lenient):
    time: StrictStr | None = None
    ftime: StrictStr | None = None
    context: StrictStr | None = None


class Kuaidi100Result(_Lenient):
    nu: StrictStr | None = None
    com: StrictStr | None = None
    state: StrictStr | StrictInt | None = None
    data: list[Kuaidi100Track] = []


class Kuaidi100Push(_Lenient):
    """Kuaidi100's subscription push (its `status` is the subscription's: polling, shutdown, abort,
    updateall; `lastResult.state` is the waybill's tracking state)."""

    status: StrictStr | None = None
    message: StrictStr | None = None
    last_result: Kuaidi100Result | None = Field(None, alias="lastResult")


def is_push(document: dict[str, Any]) -> bool:
    return not PUSH_KEYS.isdisjoint(document)


def observations(push: dict[str, Any], where: str) -> list[dict[str, Any]]:
    """The observations a push carries; ``where`` prefixes field names (``param`` for the form field)."""
    try:
        checked = Kuaidi100Push.model_validate(push)
    except ValidationError as exc:
        errors = describe_errors(exc)
        if where != "$":
            for error in errors:
                error.field = f"{where}.{error.field}" if error.field != "$" else where
        raise invalid(errors) from None
    last = checked.last_result or Kuaidi100Result()
    newest = last.data[0] if last.data else Kuaidi100Track()
    at = newest.ftime or newest.time
    order = {"waybill_no": last.nu}
    records = []
    if last.state is not None:
        records.append({"source": "kuaidi100", "status": str(last.state), "observed_at": at, "order": order,
                        "payload": push})  # fmt: skip
    if checked.status in ENDED:
        records.append({"source": "kuaidi100", "status_field": "push_status", "status": checked.status,
                        "observed_at": at, "order": order, "payload": push})  # fmt: skip
    if not records:
        field = "lastResult.state" if where == "$" else f"{where}.lastResult.state"
        raise Refusal(422, en=f"{field}: the push carries no tracking state and no ended subscription",
                      zh=f"{field}:推送既没有物流状态,也没有结束订阅的状态", field=field)  # fmt: skip
    return records
