"""Reading JSON that comes from outside (an import file's line, a hub ingest body): a value, or why
there is none, in words. Beyond what `json` refuses: NaN and Infinity, numbers too large to hold
(a float that overflows, an integer of more than 4,300 digits, which Python will not read), nesting
deeper than a record's data ever does (a 10,000-deep line would break the reader's recursion), and
lone surrogates (they are no characters and cannot be stored as UTF-8)."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

from orderdesk.sync.said import Said

MAX_DEPTH = 64  # a record nests 4 levels, a raw payload a few more; deeper is not an order's data
MAX_DIGITS = 4300  # Python reads no longer integer from text (sys.get_int_max_str_digits)
_DIGITS = re.compile(rb"\d+")
_SURROGATE_ESCAPE = re.compile(rb"\\[uU][dD][89a-fA-F]")


def _constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text[:20]} is too large a number")
    return value


def _long_number(raw: bytes) -> tuple[int, int] | None:
    """(digits, byte position from 1) of the first number too long to read, or None."""
    for found in _DIGITS.finditer(raw):
        if len(found.group()) > MAX_DIGITS:
            return len(found.group()), found.start() + 1
    return None


def _depth(value: Any, limit: int) -> int:
    """How deeply a parsed value nests, counted up to one past ``limit`` (without recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if depth <= limit:
                stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


_DECODER = json.JSONDecoder(parse_constant=_constant, parse_float=_finite)  # made once: json.loads with
# hooks would build a decoder per line


@dataclass(frozen=True, slots=True, kw_only=True)
class Unreadable(Said):
    """Why some bytes hold no JSON value we take, in Chinese and English (a :class:`Said` that
    ``read_json`` returns in place of a value: ``isinstance(found, Unreadable)`` tells them apart)."""


def read_json(raw: bytes, max_depth: int = MAX_DEPTH) -> Any:
    """The JSON value in ``raw``, or an Unreadable saying why there is none."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Unreadable(
            en=f"is not valid UTF-8: byte 0x{raw[exc.start]:02X} at byte {exc.start + 1}",
            zh=f"不是有效的 UTF-8:第 {exc.start + 1} 个字节 0x{raw[exc.start]:02X}",
        )
    try:
        item = _DECODER.decode(text)
    except RecursionError:
        return Unreadable(en="is nested too deeply to read", zh="嵌套层数过多,无法读取")
    except ValueError as exc:  # JSONDecodeError, NaN / Infinity, an integer of more than 4,300 digits
        if (long := _long_number(raw)) is not None:
            return Unreadable(
                en=f"holds a number of {long[0]:,} digits at byte {long[1]} (at most {MAX_DIGITS:,})",
                zh=f"第 {long[1]} 个字节起有一个 {long[0]:,} 位的数字(最多 {MAX_DIGITS:,} 位)",
            )
        return Unreadable(en=f"is not JSON: {exc}", zh=f"不是有效的 JSON:{exc}")
    if raw.count(b"[") + raw.count(b"{") > max_depth and (depth := _depth(item, max_depth)) > max_depth:
        return Unreadable(
            en=f"nests {depth}+ levels deep (at most {max_depth})", zh=f"嵌套 {depth} 层以上(最多 {max_depth} 层)"
        )
    if (b"\\ud" in raw or b"\\uD" in raw) and _SURROGATE_ESCAPE.search(raw):
        try:
            json.dumps(item, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as exc:
            point = f"U+{ord(exc.object[exc.start]):04X}"
            return Unreadable(
                en=f"holds a lone surrogate {point} (not a character)", zh=f"含有孤立的代理码位 {point}(不是字符)"
            )
    return item
