"""No customer text can become a printer command."""

from __future__ import annotations

import re

from orderdesk.printing.profiles import load_profile
from orderdesk.printing.render import render
from orderdesk.printing.zpl import field_data
from tests.printing.conftest import PRINTED_AT, document

ZPL_ATTACK = "Bob^FS^XZ^XA^FO0,0^GB800,800,800^FS~JA_5E"
TSPL_ATTACK = 'Bob"\r\nPRINT 99\r\n\\[L]PRINT 98\\[L]'


def unescape_fh(data: str) -> str:
    return re.sub(r"_([0-9A-F]{2})", lambda m: chr(int(m.group(1), 16)), data).encode("latin-1").decode("utf-8")


def test_zpl_resident_field_data_is_escaped_and_one_label_comes_out() -> None:
    label = render(
        load_profile("zpl-203-76x130-gb2312"), document(name="Bob^FS^XZ", address=ZPL_ATTACK), printed_at=PRINTED_AT
    )
    zpl = label.data.decode("ascii")
    assert zpl.count("^XA") == 1 and zpl.count("^XZ") == 1 and zpl.count("^GB") == 4  # the template's rules only
    fields = re.findall(r"\^FD(.*?)\^FS", zpl)
    assert all("^" not in f and "~" not in f for f in fields)
    assert "收 Bob^FS^XZ" in [unescape_fh(f) for f in fields]
    address = "".join(unescape_fh(f) for f in fields[4:7])  # the address's three lines
    assert address.endswith(ZPL_ATTACK), address
    for line in zpl.splitlines():
        if "^FD" in line:
            assert line.index("^FH_") < line.index("^FD")  # every data field is hex-interpreted


def test_zpl_escape_covers_utf8_and_the_escape_character() -> None:
    assert field_data("a_b") == "a_5Fb"
    assert field_data("龘") == "_E9_BE_98"
    assert unescape_fh(field_data("Dá ^~_\\")) == "Dá ^~_\\"


def test_zpl_resident_prints_pinyin_for_characters_outside_gb2312() -> None:
    label = render(load_profile("zpl-203-76x130-gb2312"), document(name="张龘"), printed_at=PRINTED_AT)
    fields = [unescape_fh(f) for f in re.findall(r"\^FD(.*?)\^FS", label.data.decode("ascii"))]
    assert "收 张Dá" in fields


def test_tspl_resident_quotes_and_never_sends_a_backslash() -> None:
    label = render(
        load_profile("tspl-203-76x130-gb2312"),
        document(name='Bob"\r\n\\[L]X', address=TSPL_ATTACK),
        printed_at=PRINTED_AT,
    )
    commands = label.data.split(b"\r\n")
    assert [c for c in commands if c.startswith(b"PRINT")] == [b"PRINT 1,1"]
    name = next(c for c in commands if b"Bob" in c)
    assert name.startswith(b"TEXT ") and name.endswith(b'"')
    match = re.fullmatch(rb'TEXT \d+,\d+,"TSS24.BF2",0,\d+,\d+,"(.*)"', name)
    assert match is not None
    text = match.group(1).decode("gb2312")
    assert text == '收 Bob\\["]  [U+005C][L]X'
    subs = [(s.field, s.char, s.method) for s in label.preflight.substitutions]
    assert subs == [("receiver_name", "\\", "marker"), ("receiver_address", "\\", "marker")]


def test_raster_profiles_carry_no_customer_text_at_all() -> None:
    for profile_name in ("zpl-203-76x130", "tspl-203-76x130", "escpos-80mm"):
        label = render(load_profile(profile_name), document(name=ZPL_ATTACK), printed_at=PRINTED_AT)
        assert b"Bob" not in label.data
    zpl = render(load_profile("zpl-203-76x130"), document(name=ZPL_ATTACK), printed_at=PRINTED_AT).data
    assert zpl.count(b"^XA") == 1
