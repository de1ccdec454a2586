"""Said: one message in both languages, named (never by position), said in the language chosen; and
what a person is told survives the boundaries it crosses: the hub's 4xx body read back by the client,
and a worker process's error pickled back to the console."""

from __future__ import annotations

import dataclasses
import json
import pickle

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from orderdesk.app import i18n as cli_i18n
from orderdesk.hub.refusals import Refusal
from orderdesk.sync.client import CursorGone, HubError, _answer
from orderdesk.sync.json_input import Unreadable, read_json
from orderdesk.sync.record_errors import RecordError
from orderdesk.sync.said import Said

words = st.text(min_size=1, max_size=300)


def test_a_said_is_written_by_name_and_is_text() -> None:
    said = Said(zh="没有订单", en="no order")
    assert (said.zh, said.en) == ("没有订单", "no order")
    with pytest.raises(TypeError):
        Said("没有订单", "no order")  # positional forms are refused
    with pytest.raises(TypeError):
        Said(zh=None, en="no order")  # None is not text
    with pytest.raises(dataclasses.FrozenInstanceError):
        said.zh = "别的"  # a Said cannot be changed


def test_a_said_is_said_in_the_language_asked_for_and_an_empty_form_falls_back() -> None:
    said = Said(zh="没有订单", en="no order")
    assert said.text("zh_CN") == "没有订单" and said.text("en") == "no order" and said.text("en_US") == "no order"
    assert Said(zh="", en="only English").text("zh_CN") == "only English"
    assert Said(zh="只有中文", en="").text("en") == "只有中文"


def test_the_cli_says_a_said_in_its_language() -> None:
    said = Said(zh="没有订单", en="no order")
    try:
        cli_i18n.set_language("en")
        assert cli_i18n.tr(said) == "no order" and cli_i18n.tr("中文", "English") == "English"
        cli_i18n.set_language("zh_CN")
        assert cli_i18n.tr(said) == "没有订单" and cli_i18n.tr("中文", "English") == "中文"
    finally:
        cli_i18n.set_language(None)


def test_the_console_says_a_said_in_its_language(monkeypatch: pytest.MonkeyPatch) -> None:
    from orderdesk.app.ui import i18n

    said = Said(zh="没有订单", en="no order")
    monkeypatch.setattr(i18n, "_language", "en")
    assert i18n.pick(said) == "no order" and i18n.pick(None) == "" and i18n.pick("中文", "English") == "English"
    monkeypatch.setattr(i18n, "_language", "zh_CN")
    assert i18n.pick(said) == "没有订单" and i18n.pick("中文", "English") == "中文"


def test_unreadable_bytes_say_why_in_both_languages() -> None:
    found = read_json(b'{"a": \xff}')
    assert isinstance(found, Unreadable) and isinstance(found, Said)
    assert "UTF-8" in found.en and "UTF-8" in found.zh and found.zh != found.en


def test_a_record_error_says_its_message() -> None:
    error = RecordError(field="receiver.name", value="", message="at least 1 character", message_zh="至少 1 个字符")
    assert error.said == Said(zh="至少 1 个字符", en="at least 1 character") and error.text("en") == error.message


@given(status=st.sampled_from([400, 401, 403, 404, 409, 410, 413, 422, 429]), en=words, zh=words)
def test_what_the_hub_refuses_with_reaches_the_client_in_both_languages(status: int, en: str, zh: str) -> None:
    refusal = Refusal(status, en=en, zh=zh, field="x")
    body = json.loads(json.dumps(refusal.body(), ensure_ascii=False))  # as the JSON answer carries it
    response = httpx.Response(status, json=body, request=httpx.Request("GET", "http://hub/v1/orders"))
    with pytest.raises(HubError) as raised:
        _answer(response)
    assert raised.value.said == Said(zh=zh[:1000], en=en[:1000])
    assert raised.value.status == status and raised.value.field == "x"
    assert isinstance(raised.value, CursorGone) == (status == 410)


def test_a_hub_that_gives_no_chinese_is_said_in_english_in_both() -> None:
    response = httpx.Response(404, json={"detail": "not here"}, request=httpx.Request("GET", "http://hub/x"))
    with pytest.raises(HubError) as raised:
        _answer(response)
    assert raised.value.said == Said(zh="not here", en="not here")


@given(en=words, zh=words, status=st.integers(0, 599), retry_after=st.none() | st.floats(0, 120))
def test_a_hub_error_crosses_a_process_boundary_intact(
    en: str, zh: str, status: int, retry_after: float | None
) -> None:
    for kind in (HubError, CursorGone):
        error = kind(en=en, zh=zh, status=status, retry_after=retry_after, field="cursor")
        back = pickle.loads(pickle.dumps(error))
        assert type(back) is kind and back.said == error.said and str(back) == str(error) == en
        assert (back.status, back.retry_after, back.field) == (status, retry_after, "cursor")
