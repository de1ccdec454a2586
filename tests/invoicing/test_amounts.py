"""Invoice money in integer fen: amount + tax is exactly what was paid, the tax is the rate's, the
total reads in words; the SKU table decides name, code and rate."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orderdesk.invoicing.amounts import InvoiceLine, in_words, split_tax, unit_price
from orderdesk.invoicing.tax_table import TABLE_FILE, TaxTable, TaxTableError, bundled

RATES = [1300, 900, 600, 500, 300, 100, 0]


@given(st.integers(0, 10**11), st.sampled_from(RATES))
def test_amount_and_tax_add_up_to_what_was_paid_and_the_tax_is_the_rates(paid: int, rate: int) -> None:
    excluded, tax = split_tax(paid, rate)
    assert excluded + tax == paid and excluded >= 0 and tax >= 0
    assert abs(excluded * rate - tax * 10000) <= 10000 + rate  # within half a fen of the exact tax, scaled


def test_the_rounding_rule_is_half_up_on_the_amount() -> None:
    assert split_tax(113, 1300) == (100, 13)
    assert split_tax(1, 1300) == (1, 0)  # 0.885 fen rounds up to 1: the tax of one fen is nothing
    assert split_tax(10000, 1300) == (8850, 1150)
    assert unit_price(8850, 3) == "29.5" and unit_price(1, 3) == "0.00333333"


def test_totals_in_words() -> None:
    assert in_words(10000) == "壹佰元整" and in_words(101) == "壹元零壹分" and in_words(-250) == "负贰元伍角"


def test_the_table_decides_name_code_and_rate() -> None:
    table = bundled()
    line = InvoiceLine.of(1, table.item("SKU-00042"), 3, 10000)
    assert (line.item.goods_name, line.item.code, line.item.rate_text) == ("服装", "1040201990000000000", "0.13")
    assert table.item("MILK-1").rate_bp == 900 and table.item("UNKNOWN") is None
    red = line.negated()
    assert (red.quantity, red.included_fen, red.tax_fen) == (-3, -10000, -1150)


def test_a_bad_table_is_refused_naming_the_place() -> None:
    document = json.loads(TABLE_FILE.read_text(encoding="utf-8"))
    document["entries"][0]["code"] = "12345"
    with pytest.raises(TaxTableError) as caught:
        TaxTable(document)
    assert "entries[0].code" in caught.value.json_path
