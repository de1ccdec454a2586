"""Why the hub said no, in words, in Chinese and in English, and small whatever was sent.

Every 4xx answer is one JSON document::

    {"detail": "English", "detail_zh": "中文", "field": "orders", "value": "5",
     "errors": [{field, value, message, message_zh}…], "error_count": 3}

``detail`` stays a plain string (what clients read first); ``field`` names where the problem is
(``$`` for the body as a whole); ``value`` and every echoed value are cut short; ``errors`` holds the
first few of ``error_count`` errors. Starlette's own refusals (no such route, wrong method, the body
limit) and request validation are put into the same shape here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError
from starlette.exceptions import HTTPException
from starlette.middleware.body_limit import MAX_BODY_SIZE_SCOPE_KEY

from orderdesk.sync.errors import BilingualError
from orderdesk.sync.record_errors import RecordError, cut_value, describe_error_list
from orderdesk.sync.said import Said

ERRORS_SHOWN = 10  # an answer lists at most this many errors; error_count says how many there were
_UNSET: Any = object()


def key_name(key: str) -> str:
    """A JSON object key as a field name: itself when it reads as a name, else quoted (and cut short)."""
    if key.isidentifier() and key.isascii():
        return key
    return str(cut_value(json.dumps(key, ensure_ascii=False), 64))


class Refusal(HTTPException, BilingualError):
    """A 4xx the hub answers on purpose: ``said`` is why (``detail`` the English form, ``detail_zh`` the
    Chinese one in the answer's body)."""

    def __init__(
        self,
        status: int,
        *,
        en: str,
        zh: str,
        field: str | None = None,
        value: Any = _UNSET,
        errors: list[RecordError] | None = None,
        headers: Mapping[str, str] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        BilingualError.__init__(self, en=en, zh=zh)
        HTTPException.__init__(self, status, en, dict(headers) if headers else None)
        self.field, self.value = field, value
        self.errors = errors
        self.extra = dict(extra or {})

    def body(self) -> dict[str, Any]:
        document: dict[str, Any] = {"detail": self.said.en, "detail_zh": self.said.zh}
        if self.field is not None:
            document["field"] = self.field
        if self.value is not _UNSET:
            document["value"] = cut_value(self.value)
        if self.errors is not None:
            document["errors"] = [e.model_dump() for e in self.errors[:ERRORS_SHOWN]]
            document["error_count"] = len(self.errors)
        return {**document, **self.extra}


class RefusalBody(BaseModel):
    """What every 4xx answer of the hub holds (the OpenAPI document declares it for each code)."""

    detail: str
    detail_zh: str
    field: str | None = None
    value: Any = None
    errors: list[RecordError] | None = None
    error_count: int | None = None
    retry_after: int | None = None


_DESCRIPTIONS = {
    400: "malformed: not JSON, or a cursor or page token this hub did not hand out",
    401: "no valid bearer token (missing, forged, expired, signed out, or its user is gone)",
    403: "the caller's role may not do this",
    404: "no such order, invoice or file, or no mapping table for this source",
    409: "the invoice is in a state that does not allow this now",
    410: "the changes after this cursor are no longer kept: relist",
    413: "the body is too large (bytes, JSON containers or records): send smaller batches",
    415: "a body type the hub does not read",
    422: "invalid: the field and value are named (the first errors, with their count)",
    429: "too many failed sign-ins: wait Retry-After seconds",
}


def responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for the 4xx a route can answer, each with the refusal body."""
    return {code: {"model": RefusalBody, "description": _DESCRIPTIONS[code]} for code in codes}


_STARLETTE_SAID = {
    404: Said(en="no such address on this hub", zh="订单中心没有这个地址"),
    405: Said(en="this address does not take that method", zh="此地址不支持该请求方法"),
}


def _from_http_exception(request: Request, exc: HTTPException) -> Refusal:
    if isinstance(exc, Refusal):
        return exc
    if exc.status_code == 413:  # Starlette's body limit (FastAPI max_body_size)
        limit = request.scope.get(MAX_BODY_SIZE_SCOPE_KEY)
        return body_too_large(limit if isinstance(limit, int) else None)
    if exc.status_code == 400 and exc.detail == "There was an error parsing the body":  # FastAPI's words
        return Refusal(400, en="the body cannot be read: send UTF-8 JSON", zh="无法读取请求体:请发送 UTF-8 编码的 JSON",
                       field="$")  # fmt: skip
    if exc.status_code in _STARLETTE_SAID:
        said = _STARLETTE_SAID[exc.status_code]
        return Refusal(exc.status_code, en=said.en, zh=said.zh, headers=exc.headers)
    return Refusal(exc.status_code, en=str(exc.detail), zh=f"请求被拒绝:{exc.detail}", headers=exc.headers)


def body_too_large(limit: int | None) -> Refusal:
    size = f"{limit:,} bytes" if limit is not None else "the limit"
    size_zh = f"{limit:,} 字节" if limit is not None else "上限"
    return Refusal(413, en=f"the body is larger than {size}: send smaller batches",
                   zh=f"请求体超过 {size_zh}:请分批发送", field="$")  # fmt: skip


def invalid(errors: list[RecordError]) -> Refusal:
    """422 for the first invalid fields, naming each."""
    first = errors[0]
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    more_zh = f"(另有 {len(errors) - 1} 处)" if len(errors) > 1 else ""
    return Refusal(422, en=f"{first.field}: {first.message}{more}", zh=f"{first.field}:{first.message_zh}{more_zh}",
                   field=first.field, value=first.value, errors=errors)  # fmt: skip


def _validation_errors(errors: Iterable[Mapping[str, Any]]) -> list[RecordError]:
    found = describe_error_list(errors, skip=1)  # ("body", "username") → "username"
    for error in found:
        if error.message == "JSON decode error":
            error.field, error.value = "$", None
            error.message, error.message_zh = "the body is not JSON", "请求体不是有效的 JSON"
    return found


def install(app: Any) -> None:
    """Route every refusal of ``app`` through the one shape above."""

    async def on_http_exception(request: Request, exc: HTTPException) -> JSONResponse:
        refusal = _from_http_exception(request, exc)
        return JSONResponse(refusal.body(), refusal.status_code, headers=refusal.headers)

    async def on_request_invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        refusal = invalid(_validation_errors(exc.errors()))
        return JSONResponse(refusal.body(), 422)

    async def on_record_invalid(_: Request, exc: ValidationError) -> JSONResponse:  # past a route model
        refusal = invalid(describe_error_list(exc.errors(include_url=False)))
        return JSONResponse(refusal.body(), 422)

    app.add_exception_handler(HTTPException, on_http_exception)
    app.add_exception_handler(RequestValidationError, on_request_invalid)
    app.add_exception_handler(ValidationError, on_record_invalid)
