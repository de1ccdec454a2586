"""Why a record was refused, in words a person can act on, in Chinese and in English.

Every error names the field (``receiver.name``, ``lines[0].unit_price_fen``) and the value, cut short."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ValidationError


class Invalid(ValueError):
    """A rule of the contract broken, with its message in both languages."""

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en)
        self.zh = zh


class RecordError(BaseModel):
    field: str
    value: Any
    message: str  # English
    message_zh: str

    def text(self, language: str) -> str:
        return self.message if language == "en" else self.message_zh


# Characters no text may hold (checked inside pydantic-core through SAFE_PATTERN; found again here only
# to say which one and where).
FORBIDDEN = re.compile(
    "[\\x00-\\x1f\\x7f-\\x9f\\ue000-\\uf8ff\\U000f0000-\\U0010ffff\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069]"
)
SAFE_PATTERN = r"^[^\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\p{Co}]*$"
PHONE_PATTERN = r"^[0-9+\-* ()]*$"
DOMAIN_ID_PATTERN = r"^DB[0-9]{8}[0-9A-HJ-NP-Z]{12}$"
_PATTERN_MESSAGES = {
    PHONE_PATTERN: (
        "a phone number holds digits, spaces, + - ( ) and * (masked digits) only",
        "电话号码只能包含数字、空格、+ - ( ) 和 *(脱敏位)",
    ),
    DOMAIN_ID_PATTERN: (
        "a unified id is DB + yyyymmdd + 12 characters of 0-9 A-Z without I and O",
        "统一订单号格式为 DB + 年月日(8位)+ 12 位字符(0-9、A-Z,不含 I 和 O)",
    ),
}
_ZH = {
    "missing": "缺少此字段",
    "extra_forbidden": "不认识的字段",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数(金额以分计)",
    "string_type": "应为文本",
    "string_unicode": "含有无效的字符",
    "greater_than_equal": "应不小于 {ge}",
    "less_than_equal": "应不大于 {le}",
    "string_too_short": "至少 {min_length} 个字符",
    "string_too_long": "最多 {max_length} 个字符",
    "too_short": "至少 {min_length} 项",
    "too_long": "最多 {max_length} 项",
    "datetime_parsing": "不是有效的日期时间",
    "datetime_from_date_parsing": "不是有效的日期时间",
    "datetime_type": "不是有效的日期时间",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "list_type": "应为列表",
    "literal_error": "应为以下之一:{expected}",
    "json_invalid": "不是有效的 JSON",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
}
_PYDANTIC_STEPS = frozenset({"str", "int", "none", "constrained-str"})


def _location(loc: tuple[Any, ...]) -> str:
    """('lines', 0, 'unit_price_fen') → 'lines[0].unit_price_fen', skipping pydantic's own steps."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part in _PYDANTIC_STEPS or part.startswith(("function-", "json-or-python")):
            continue
        else:
            text += f".{part}" if text else str(part)
    return text or "$"


def _pattern_messages(pattern: str, value: str) -> tuple[str, str]:
    if pattern in _PATTERN_MESSAGES:
        return _PATTERN_MESSAGES[pattern]
    found = FORBIDDEN.search(value)
    if found:
        code, at = f"U+{ord(found.group()):04X}", found.start()
        return (
            f"control or invisible character {code} at position {at}",
            f"第 {at} 个字符 {code} 是控制符或不可见字符",
        )
    return "contains characters that are not allowed", "含有不允许的字符"


def _messages(error: Any) -> tuple[str, str]:
    kind, context = error["type"], error.get("ctx") or {}
    english = str(error["msg"]).removeprefix("Value error, ")
    if kind == "string_pattern_mismatch":
        return _pattern_messages(str(context.get("pattern", "")), str(error.get("input")))
    if kind == "value_error" and isinstance(context.get("error"), Invalid):
        return english, context["error"].zh
    template = _ZH.get(kind)
    if template is None:
        return english, f"不符合规则:{english}"
    try:
        return english, template.format(**context)
    except (KeyError, IndexError):
        return english, template


VALUE_CHARACTERS = 200  # a value is echoed at most this long: an error never repeats a whole body


def cut_value(value: Any, limit: int = VALUE_CHARACTERS) -> Any:
    """A value as an error may echo it: scalars as they are, text and structures cut short (with …)."""
    if isinstance(value, bool | int | float | type(None)):
        return value
    if not isinstance(value, str):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return value if len(value) <= limit else value[:limit] + "…"


def describe_error_list(errors: Iterable[Mapping[str, Any]], skip: int = 0) -> list[RecordError]:
    """pydantic's error dicts (from a ValidationError or FastAPI's RequestValidationError) as one error
    per field, each naming the field and the value; ``skip`` drops leading location steps ("body")."""
    found: dict[str, RecordError] = {}
    for error in errors:
        field = _location(tuple(error["loc"])[skip:])
        if field in found:
            continue
        message, message_zh = _messages(error)
        found[field] = RecordError(field=field, value=cut_value(error.get("input")), message=message,
                                   message_zh=message_zh)  # fmt: skip
    return list(found.values())


def describe_errors(exc: ValidationError) -> list[RecordError]:
    """Turn pydantic's errors into one error per field, each naming the field and the value."""
    return describe_error_list(exc.errors(include_url=False))
