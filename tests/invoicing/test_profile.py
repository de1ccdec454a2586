"""The buyer's invoice profile: a 专票 needs every field, a taxpayer id is a real USCC, and every
refusal names the field and the value (and for the USCC, the position and the expected character)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc

from orderdesk.invoicing.profile import (
    USCC_ALPHABET,
    BuyerProfile,
    BuyerType,
    InvoiceKind,
    check_profile,
    check_taxpayer_id,
)

VALID = "91110000600037341L"
COMPANY = BuyerProfile(InvoiceKind.SPECIAL, BuyerType.COMPANY, "北京某某科技有限公司", VALID, "北京市海淀区中关村大街1号",
                       "010-62345678", "中国工商银行北京中关村支行", "0200 0045 0908 8123 456")  # fmt: skip


def test_a_complete_special_invoice_profile_passes() -> None:
    assert check_profile(COMPANY) == []


def test_a_special_invoice_for_a_person_is_refused_naming_the_kind() -> None:
    person = BuyerProfile(InvoiceKind.SPECIAL, BuyerType.PERSON, "张三")
    fields = [e.field for e in check_profile(person)]
    assert fields[0] == "invoice.kind" and {"invoice.address", "invoice.bank", "invoice.account"} <= set(fields)


def test_an_ordinary_invoice_for_a_person_needs_only_a_title() -> None:
    assert check_profile(BuyerProfile(InvoiceKind.ORDINARY, BuyerType.PERSON, "张三")) == []
    assert [e.field for e in check_profile(BuyerProfile(InvoiceKind.ORDINARY, BuyerType.PERSON, " "))] == [
        "invoice.title"
    ]


def test_a_wrong_check_character_names_the_one_expected() -> None:
    (error,) = check_taxpayer_id(VALID[:17] + "X")
    assert error.field == "invoice.taxpayer_id" and error.value == VALID[:17] + "X"
    assert "'L'" in error.message and "第 18 位校验码应为 L" in error.message_zh


def test_a_letter_the_code_never_uses_names_its_position() -> None:
    (error,) = check_taxpayer_id("91110000600O37341L")
    assert "position 12" in error.message and "第 12 位" in error.message_zh


def test_a_bank_account_with_letters_and_an_overlong_address_are_refused() -> None:
    bad = BuyerProfile(InvoiceKind.SPECIAL, BuyerType.COMPANY, "某公司", VALID, "路" * 97, "010-1", "工行", "62AB")
    errors = {e.field: e for e in check_profile(bad)}
    assert errors["invoice.account"].value == "62AB" and "digits" in errors["invoice.account"].message
    assert "100" in errors["invoice.address"].message


@given(st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17))
def test_every_code_with_its_check_character_passes_and_every_other_fails(body: str) -> None:
    body = "".join(c if c.isdigit() else "1" for c in body[:8]) + body[8:]  # registration and region: digits
    right = uscc.calc_check_digit(body)
    assert check_taxpayer_id(body + right) == []
    for wrong in USCC_ALPHABET.replace(right, "")[:5]:
        (error,) = check_taxpayer_id(body + wrong)
        assert repr(right) in error.message


@given(st.text(max_size=30))
def test_any_text_gets_an_answer_never_an_exception(text: str) -> None:
    errors = check_taxpayer_id(text)
    assert all(e.field == "invoice.taxpayer_id" and e.message and e.message_zh for e in errors)
