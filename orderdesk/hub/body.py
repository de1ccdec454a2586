"""Reading an ingest body within limits, before anything large is built from it.

The bytes are capped by Starlette's body limit (FastAPI ``max_body_size``: ``Content-Length`` is
checked before reading, the stream is counted while reading). Then, before parsing, the body's shape
is read from its bytes in C (strings dropped, only brackets kept): the JSON objects and arrays are
counted, so a body of empty objects cannot make hundreds of megabytes of dicts, and the nesting depth
is measured by peeling off the innermost bracket pairs a level at a time. orjson then parses,
strictly (no NaN, no lone surrogates); only a body found too deep is walked, to name where.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import orjson

from orderdesk.hub.refusals import Refusal, key_name


@dataclass(frozen=True, slots=True)
class IngestLimits:
    max_body_bytes: int = 8 * 1024 * 1024
    max_containers: int = 200_000  # JSON objects and arrays in one body (≥ 40 bytes each in real batches)
    max_depth: int = 32  # a record with a raw Kuaidi100 push as its payload nests ~8 deep
    max_records: int = 10_000  # orders + observations in one body
    max_form_fields: int = 20


def _too_deep(field: str, limit: int) -> Refusal:
    return Refusal(422, en=f"{field}: nested deeper than {limit} levels", zh=f"{field}:嵌套超过 {limit} 层",
                   field=field)  # fmt: skip


def _depth_exceeded(document: Any, limit: int) -> str | None:
    """Where ``document`` nests deeper than ``limit`` (a path), or None; iterative, no recursion."""
    stack: list[tuple[Any, int, Any]] = [(document, 0, None)]  # (value, depth, (parent link, step))
    while stack:
        value, depth, link = stack.pop()
        if isinstance(value, dict):
            items: Any = value.items()
        elif isinstance(value, list):
            items = enumerate(value)
        else:
            continue
        if depth >= limit:
            steps = []
            while link is not None:
                link, step = link
                steps.append(f"[{step}]" if isinstance(step, int) else f".{key_name(step)}")
            return "".join(reversed(steps)).lstrip(".")
        for step, child in items:
            if isinstance(child, dict | list):
                stack.append((child, depth + 1, (link, step)))
    return None


_STRINGS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')  # a JSON string, escapes and all (unrolled: fast)
_INNERMOST = re.compile(rb"\[\]|\{\}")
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


def shape_of(raw: bytes) -> bytes:
    """The brackets of the JSON in ``raw``, outside its strings: ``{"a": [1, "[x"]}`` → ``{[]}``."""
    return _STRINGS.sub(b"", raw).translate(None, _NOT_BRACKETS)


def deeper_than(shape: bytes, limit: int) -> bool:
    """Whether a body of this shape nests deeper than ``limit``: the innermost pairs are peeled off
    one level a pass (no object is built)."""
    for _ in range(limit):
        if not shape:
            return False
        peeled = _INNERMOST.sub(b"", shape)
        if peeled == shape:  # unbalanced: the parser says what is wrong
            return False
        shape = peeled
    return bool(shape) and _INNERMOST.search(shape) is not None


def _join(field: str, path: str) -> str:
    if not path:
        return field
    return path if field == "$" else f"{field}{path}" if path.startswith("[") else f"{field}.{path}"


def parse_json(raw: bytes, field: str, limits: IngestLimits) -> Any:
    """The JSON document in ``raw`` (``field`` names it in refusals: ``$`` for the body, or ``param``)."""
    shape = shape_of(raw)
    containers = shape.count(b"{") + shape.count(b"[")
    if containers > limits.max_containers:
        raise Refusal(413, en=f"{field}: more than {limits.max_containers:,} JSON objects and arrays ({containers:,}): "
                      "send smaller batches", zh=f"{field}:JSON 对象和数组超过 {limits.max_containers:,} 个"
                      f"({containers:,} 个):请分批发送", field=field, extra={"containers": containers})  # fmt: skip
    too_deep = deeper_than(shape, limits.max_depth)
    try:
        document = orjson.loads(raw)  # strict RFC 8259: no NaN, no lone surrogates, integers within 64 bits
    except orjson.JSONDecodeError as exc:
        if too_deep or "depth limit" in str(exc):
            raise _too_deep(field, limits.max_depth) from None
        raise Refusal(400, en=f"{field}: not JSON ({exc})", zh=f"{field}:不是有效的 JSON({exc})", field=field,
                      value=raw[:200].decode("utf-8", "replace")) from None  # fmt: skip
    if too_deep:  # only now is the document walked, to say where
        raise _too_deep(_join(field, _depth_exceeded(document, limits.max_depth) or ""), limits.max_depth)
    return document


def parse_form(raw: bytes, limits: IngestLimits) -> dict[str, str]:
    """An application/x-www-form-urlencoded body (how Kuaidi100 pushes: the JSON in the field ``param``)."""
    try:
        pairs = parse_qsl(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(raw),
                          encoding="utf-8", errors="strict", max_num_fields=limits.max_form_fields)  # fmt: skip
    except UnicodeError:
        raise Refusal(400, en="the form is not URL-encoded UTF-8", zh="表单不是 URL 编码的 UTF-8", field="$",
                      value=raw[:200].decode("utf-8", "replace")) from None  # fmt: skip
    except ValueError as exc:
        raise Refusal(400, en=f"the form cannot be read: {exc}", zh=f"无法读取表单:{exc}", field="$",
                      value=raw[:200].decode("utf-8", "replace")) from None  # fmt: skip
    fields: dict[str, str] = {}
    for name, value in pairs:
        fields.setdefault(name, value)
    return fields
