"""Glyph coverage and the rare-character fallback, against the shipped profiles and real fonts."""

from __future__ import annotations

import pytest
from fontTools.ttLib import TTFont

from orderdesk.printing.coverage import policy
from orderdesk.printing.errors import PrintingError
from orderdesk.printing.label_data import mask_phone
from orderdesk.printing.profiles import load_profile, profile_from_document, profile_names
from orderdesk.printing.render import check
from tests.printing.conftest import PRINTED_AT, document, hanazono_profile


def substitutions(profile_name: str, **kw: object) -> list[tuple[str, str, str, str]]:
    checked, _, _ = check(load_profile(profile_name), document(**kw), printed_at=PRINTED_AT)  # type: ignore[arg-type]
    return [(s.field, s.char, s.method, s.replacement) for s in checked.substitutions]


def test_every_shipped_profile_loads_and_prints_markers() -> None:
    assert {"pdf-76x130", "zpl-203-76x130", "zpl-203-76x130-gb2312", "tspl-203-76x130", "escpos-80mm"} <= set(
        profile_names()
    )
    for name in profile_names():
        policy(load_profile(name))  # refuses a chain that could not print a marker


def test_coverage_comes_from_the_fonts_cmap() -> None:
    profile = load_profile("pdf-76x130")
    droid = next(f for f in profile.fonts().faces if f.name == "DroidSansFallbackFull")
    cmap = TTFont(droid.path, lazy=True).getBestCmap()
    assert ord("龘") in cmap and ord("𠀾") not in cmap
    assert substitutions("pdf-76x130") == []  # 龘 is in the bundled CJK font: printed as written


def test_resident_gb2312_falls_back_to_capitalised_pinyin() -> None:
    assert substitutions("zpl-203-76x130-gb2312") == [("receiver_name", "龘", "pinyin", "Dá")]
    assert substitutions("zpl-203-76x130-gb2312", name="王堃喆") == [
        ("receiver_name", "堃", "pinyin", "Kūn"),
        ("receiver_name", "喆", "pinyin", "Zhé"),
    ]


def test_address_pinyin_is_not_capitalised() -> None:
    assert ("receiver_address", "犇", "pinyin", "bēn") in substitutions("zpl-203-76x130-gb2312", address="犇牛路1号")


def test_beyond_pypinyin_is_a_marker_with_the_code_point() -> None:
    found = substitutions("pdf-76x130", name="李𠀾")
    assert found == [("receiver_name", "𠀾", "marker", "[U+2003E]")]
    checked, _, _ = check(load_profile("pdf-76x130"), document(name="李𠀾"), printed_at=PRINTED_AT)
    assert checked.as_json()["substitutions"][0]["codepoint"] == "U+2003E"
    assert not checked.ok


def test_next_font_in_the_chain_comes_before_pinyin() -> None:
    profile = hanazono_profile()
    checked, _, _ = check(profile, document(name="李𠀾𪚥"), printed_at=PRINTED_AT)
    assert [(s.char, s.method, s.font) for s in checked.substitutions] == [
        ("𠀾", "font", "HanaMinA"),
        ("𪚥", "font", "HanaMinA"),
    ]
    assert checked.ok  # every character prints as written, in another typeface


def test_controls_never_reach_the_label() -> None:
    # an invisible zero-width space is left out (sync/text_rules.py); a direction change shows as a marker
    found = substitutions("pdf-76x130", name="张\u200b伟\u202e", address="文三路\r\n1号")
    assert found == [("receiver_name", "\u200b", "removed", ""), ("receiver_name", "\u202e", "marker", "[U+202E]")]
    checked, _, _ = check(load_profile("pdf-76x130"), document(address="文三路\r\n1号"), printed_at=PRINTED_AT)
    assert "\r" not in checked.fields["6:receiver_address"].text


def test_empty_required_field_is_a_problem_and_optional_ones_are_not() -> None:
    checked, layout, _ = check(load_profile("pdf-76x130"), document(name="", carrier=""), printed_at=PRINTED_AT)
    assert [(p.field, p.code) for p in checked.problems] == [("receiver_name", "empty")]
    assert not checked.ok
    assert layout.barcodes  # the rest of the label is still laid out


def test_very_long_address_shrinks_then_reports_what_was_cut() -> None:
    profile = load_profile("zpl-203-76x130")
    medium = "浙江省杭州市西湖区文三路" * 5
    checked, layout, _ = check(profile, document(address=medium), printed_at=PRINTED_AT)
    assert checked.problems == []
    sizes = {line.size_pt for line in layout.lines if line.field == "receiver_address"}
    assert sizes and max(sizes) < 11  # shrunk from the template's 11 pt to fit
    huge = "很长的地址" * 60
    checked, layout, _ = check(profile, document(address=huge), printed_at=PRINTED_AT)
    overflow = [p for p in checked.problems if p.code == "overflow"]
    assert overflow and overflow[0].field == "receiver_address" and "receiver_address" in overflow[0].said.en
    lines = [line for line in layout.lines if line.field == "receiver_address"]
    assert len(lines) == 3 and lines[-1].segments[-1].text.endswith("…")
    assert lines[-1].baseline <= 41.5 + 15  # inside the box


def test_phone_masking_keeps_what_a_courier_needs() -> None:
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("13812345678-1234") == "138****5678-1234"  # privacy number with extension
    assert mask_phone("138****5678") == "138****5678"
    assert mask_phone("") == ""


def test_a_bad_profile_names_the_field_and_value() -> None:
    document_ = dict(load_profile("zpl-203-76x130").document, dpi=250)
    with pytest.raises(PrintingError, match=r"\$\.dpi.*250"):
        profile_from_document(document_, "broken.json")
