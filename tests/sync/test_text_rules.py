"""Invisible and direction-changing characters: every bidi control and every format character has a
rule (refused, removed, kept), applied by the wire contract to codes and to text people wrote, and by
labels to text already cached. Properties over the Unicode categories."""

from __future__ import annotations

import sys
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from orderdesk.sync import text_rules
from orderdesk.sync.contract import OrderRecord
from orderdesk.sync.record_errors import describe_errors
from tests.conftest import order

BIDI_CONTROLS = [0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069]
SPECIAL = [chr(c) for c in BIDI_CONTROLS] + [
    "\u200d", "\u200c", "\u180e", "\u00ad", "\u200b", "\ufeff", "\u2060", "\ufe0f", "\U000e0067", "\U000e007f",
    "👨", "👩", "🏴", "ب", "ی", "ᠮ", "张", "a", " ", "\u3000", "\u2028", "\x1f", "\ufdd0", "\ue000", "\ud800",
]  # fmt: skip
CATEGORIES = ["Lu", "Ll", "Lo", "Mn", "Nd", "Zs", "Zl", "Zp", "So", "Sk", "Po", "Cc", "Cf", "Co", "Cs", "Cn"]
characters = st.one_of(st.characters(categories=CATEGORIES), st.sampled_from(SPECIAL))
texts = st.text(characters, max_size=24)
WRITTEN = {"receiver.name": 1, "receiver.address": 0, "lines[0].title": 0, "buyer_note": 0}  # field → min length


def _with(field: str, value: str) -> dict:
    record = order()
    if field.startswith("receiver."):
        record["receiver"] = {**record["receiver"], field.split(".")[1]: value}
    elif field.startswith("lines[0]."):
        record["lines"] = [{**record["lines"][0], "title": value}, *record["lines"][1:]]
    else:
        record[field] = value
    return record


def _stored(record: OrderRecord, field: str) -> str:
    if field.startswith("receiver."):
        return getattr(record.receiver, field.split(".")[1])
    if field.startswith("lines[0]."):
        return record.lines[0].title
    return getattr(record, field)


def _ranges_hold(code: int, ranges) -> bool:
    return any(low <= code <= high for low, high in ranges)


def test_every_format_character_and_every_bidi_control_has_a_rule():
    known = [c for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
    assert all(_ranges_hold(c, text_rules.FORMAT_CHARACTERS) for c in known)
    for code in {*known, *BIDI_CONTROLS}:
        rules = [
            _ranges_hold(code, text_rules.BIDI_CONTROLS) or _ranges_hold(code, text_rules.ANNOTATIONS),  # refused
            _ranges_hold(code, text_rules.REMOVED),
            _ranges_hold(code, text_rules.CONTEXTUAL),  # kept where they do something, else removed
            _ranges_hold(code, text_rules.VISIBLE_FORMAT),  # kept: printed signs
        ]
        assert rules.count(True) == 1, f"U+{code:04X} {unicodedata.name(chr(code), '')}"
    assert all(text_rules.kind_of(chr(c)) == "bidi" for c in BIDI_CONTROLS)


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("张\u200b三", "张三"),  # zero-width space (copy and paste)
        ("\ufeff浙江省杭州市", "浙江省杭州市"),  # a byte-order mark at the start of a pasted line
        ("文三\u00ad路", "文三路"),  # soft hyphen
        ("\u200b 王五", "王五"),  # removed, then trimmed again
        ("👨\u200d👩\u200d👧 小明", "👨\u200d👩\u200d👧 小明"),  # ZWJ inside an emoji sequence
        ("👍\ufe0f\u200d小明", "👍\ufe0f小明"),  # ZWJ that joins an emoji to nothing
        ("张\u200d三", "张三"),
        ("می\u200cخواهم", "می\u200cخواهم"),  # ZWNJ between Arabic-script letters (Persian, Uyghur)
        ("🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f", "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"),
        ("李\U000e0041\U000e0042四", "李四"),  # tag characters outside a flag: hidden ASCII
        ("\u0600١٢", "\u0600١٢"),  # the Arabic number sign prints
    ],
)  # fmt: skip
def test_text_people_wrote_loses_only_the_invisible_characters_that_do_nothing_there(written, kept):
    assert OrderRecord.model_validate(_with("receiver.name", written)).receiver.name == kept


@pytest.mark.parametrize("code", [*BIDI_CONTROLS, 0x2028, 0x2029, 0xFFF9, 0xFDD0, 0xE000, 0x0007])
def test_direction_changes_separators_hidden_text_and_non_characters_are_refused_naming_code_point_and_position(code):
    with pytest.raises(ValidationError) as refused:
        OrderRecord.model_validate(_with("receiver.address", f"文三路{chr(code)}1号"))
    [error] = describe_errors(refused.value)
    point = f"U+{code:04X}"
    assert error.field == "receiver.address" and error.value == f"文三路{chr(code)}1号"
    assert f"{point} at position 4" in error.message and f"第 4 个字符 {point}" in error.message_zh


def test_a_name_of_invisible_characters_only_is_refused_naming_one():
    with pytest.raises(ValidationError) as refused:
        OrderRecord.model_validate(_with("receiver.name", "\u200b\u00ad"))
    [error] = describe_errors(refused.value)
    assert error.field == "receiver.name" and "U+200B at position 1" in error.message


def test_a_code_with_a_format_character_is_refused():
    with pytest.raises(ValidationError) as refused:
        OrderRecord.model_validate(order("DD2026\u200b0124"))
    errors = {e.field: e for e in describe_errors(refused.value)}
    assert "U+200B at position 7" in errors["channel_order_no"].message


@settings(max_examples=300, deadline=None)
@given(field=st.sampled_from(sorted(WRITTEN)), value=texts)
def test_text_people_wrote_is_refused_tidied_or_kept_by_the_rule(field, value):
    trimmed = value.strip(text_rules.WHITE_SPACE)
    refused = text_rules.first_refused(value, code=False)
    try:
        stored = _stored(OrderRecord.model_validate(_with(field, value)), field)
    except ValidationError as exc:
        errors = {e.field: e for e in describe_errors(exc)}
        assert set(errors) == {field}
        message = errors[field].message
        if refused is not None and not (len(trimmed) < WRITTEN[field]):
            index, char = refused
            assert f"U+{ord(char):04X} at position {index + 1}" in message
        else:  # nothing left: too short, or only invisible characters
            assert len(text_rules.tidy(trimmed)) < WRITTEN[field], message
        return
    assert refused is None
    assert stored == text_rules.tidy(trimmed)
    assert text_rules.tidy(stored) == stored  # nothing left to remove: tidying twice changes nothing
    kept = iter(stored)  # every character that stays is the writer's, in the writer's order
    assert all(any(c == k for k in kept) for c in stored)
    assert not any(text_rules.removable(stored, i) for i in range(len(stored)))


@settings(max_examples=200, deadline=None)
@given(value=texts)
def test_a_code_holds_no_format_character_and_no_refused_one(value):
    trimmed = f"DD{value}".strip(text_rules.WHITE_SPACE)
    try:
        stored = OrderRecord.model_validate(order(f"DD{value}")).channel_order_no
    except ValidationError as exc:
        errors = {e.field: e for e in describe_errors(exc)}
        found = text_rules.first_refused(f"DD{value}", code=True)
        assert found is not None or len(trimmed) > 64
        if found is not None:
            assert f"U+{ord(found[1]):04X} at position {found[0] + 1}" in errors["channel_order_no"].message
        return
    assert stored == trimmed
    assert not any(unicodedata.category(c) in ("Cf", "Cc", "Co", "Cs") for c in stored)


def test_the_console_shows_a_raw_payload_with_such_characters_escaped():
    shown = text_rules.visible('{\n  "context": "已签收\u202e由本人\u200b签收"\n}')
    assert shown == '{\n  "context": "已签收\\u202e由本人\\u200b签收"\n}'
