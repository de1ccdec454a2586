"""Why a record was refused, in words a person can act on, in Chinese and in English.

Every error names the field (``receiver.name``, ``lines[0].unit_price_fen``) and the value, cut short."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from orderdesk.sync import text_rules
from orderdesk.sync.errors import BilingualError
from orderdesk.sync.said import Said


class Invalid(BilingualError, ValueError):
    """A rule of the contract broken, with its message in both languages (a ValueError: pydantic turns it
    into a validation error of the field)."""


class RecordError(BaseModel):
    field: str
    value: Any
    message: str  # English
    message_zh: str

    def text(self, language: str) -> str:
        return self.said.text(language)

    @property
    def said(self) -> Said:
        return Said(zh=self.message_zh, en=self.message)


PHONE_PATTERN = r"^[0-9+\-* ()]*$"
DOMAIN_ID_PATTERN = r"^DB[0-9]{8}[0-9A-HJ-NP-Z]{12}$"
_PATTERN_MESSAGES = {
    PHONE_PATTERN: Said(
        en="a phone number holds digits, spaces, + - ( ) and * (masked digits) only",
        zh="电话号码只能包含数字、空格、+ - ( ) 和 *(脱敏位)",
    ),
    DOMAIN_ID_PATTERN: Said(
        en="a unified id is DB + yyyymmdd + 12 characters of 0-9 A-Z without I and O",
        zh="统一订单号格式为 DB + 年月日(8位)+ 12 位字符(0-9、A-Z,不含 I 和 O)",
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


_CHARACTER_KINDS = {  # text_rules.kind_of → what it is and why it is refused, in English and Chinese
    "control": ("control or invisible character", "", "控制符", ""),
    "bidi": ("bidirectional control character", "it changes the order the text displays in",
             "双向控制字符", "会改变文字的显示顺序"),
    "separator": ("line or paragraph separator", "a field is one line", "换行或分段符", "此项只能是一行"),
    "annotation": ("interlinear annotation character", "it hides text", "行间注释字符", "会隐藏文字"),
    "private": ("private-use character", "it names no character", "私用区字符", "不代表任何字符"),
    "noncharacter": ("noncharacter", "it names no character", "非字符码位", "不代表任何字符"),
    "surrogate": ("lone surrogate", "it names no character", "孤立的代理码位", "不代表任何字符"),
    "format": ("invisible format character", "a code may not hold one", "不可见的格式字符", "编码中不允许"),
}  # fmt: skip


def character_messages(value: str, *, code: bool) -> Said | None:
    """Which character of ``value`` is refused, by code point and position (from 1), and why."""
    found = text_rules.first_refused(value, code=code)
    if found is None:
        return None
    index, char = found
    what, why, what_zh, why_zh = _CHARACTER_KINDS[text_rules.kind_of(char)]
    point = f"U+{ord(char):04X}"
    return Said(
        en=f"{what} {point} at position {index + 1}" + (f": {why}" if why else ""),
        zh=f"第 {index + 1} 个字符 {point} 是{what_zh}" + (f":{why_zh}" if why_zh else ""),
    )


def _pattern_messages(pattern: str, value: str) -> Said:
    if pattern in _PATTERN_MESSAGES:
        return _PATTERN_MESSAGES[pattern]
    found = character_messages(value, code=pattern == text_rules.CODE_PATTERN)
    return found or Said(en="contains characters that are not allowed", zh="含有不允许的字符")


def _messages(error: Any) -> Said:
    kind, context = error["type"], error.get("ctx") or {}
    english = str(error["msg"]).removeprefix("Value error, ")
    if kind == "string_pattern_mismatch":
        return _pattern_messages(str(context.get("pattern", "")), str(error.get("input")))
    if kind == "string_unicode" and isinstance(error.get("input"), str):  # a lone surrogate
        found = character_messages(error["input"], code=False)
        if found:
            return found
    if kind == "value_error" and isinstance(context.get("error"), Invalid):
        return context["error"].said
    template = _ZH.get(kind)
    if template is None:
        return Said(en=english, zh=f"不符合规则:{english}")
    try:
        return Said(en=english, zh=template.format(**context))
    except (KeyError, IndexError):
        return Said(en=english, zh=template)


VALUE_CHARACTERS = 200  # a value is echoed at most this long: an error never repeats a whole body


def cut_value(value: Any, limit: int = VALUE_CHARACTERS) -> Any:
    """A value as an error may echo it: small scalars as they are; text and structures cut short (with
    …); a 4,000-digit number as its first digits and its length; always text that can be stored and
    sent (a lone surrogate becomes its escape)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)  # JSON has no inf or nan: said as text
    if isinstance(value, int):
        if -(10**18) < value < 10**18:
            return value
        digits = len(str(abs(value))) if abs(value) < 10**4000 else None  # str() stops at 4,300 digits
        return f"{'-' if value < 0 else ''}{str(abs(value))[:20] if digits else '…'}… ({digits or '> 4000'} digits)"
    if not isinstance(value, str):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    if len(value) > limit:
        value = value[:limit] + "…"
    return value.encode("utf-8", "backslashreplace").decode("utf-8")


def describe_error_list(errors: Iterable[Mapping[str, Any]], skip: int = 0) -> list[RecordError]:
    """pydantic's error dicts (from a ValidationError or FastAPI's RequestValidationError) as one error
    per field, each naming the field and the value; ``skip`` drops leading location steps ("body")."""
    found: dict[str, RecordError] = {}
    for error in errors:
        field = _location(tuple(error["loc"])[skip:])
        if field in found:
            continue
        said = _messages(error)
        found[field] = RecordError(field=field, value=cut_value(error.get("input")), message=said.en,
                                   message_zh=said.zh)  # fmt: skip
    return list(found.values())


def describe_errors(exc: ValidationError) -> list[RecordError]:
    """Turn pydantic's errors into one error per field, each naming the field and the value."""
    return describe_error_list(exc.errors(include_url=False))
