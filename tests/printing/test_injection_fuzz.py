"""Properties: whatever a cached order holds in any field a label prints (name, phone, address,
carrier, waybill no. as text and as Code 128, channel order no., unified id as text and as QR, item
titles), the bytes for a ZPL, TSPL or ESC/POS printer parse back into exactly the commands the
label is made of: no value ends a command or starts another. Parsed by the tests' own readers."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orderdesk.printing.profiles import load_profile
from orderdesk.printing.render import render
from tests.printing.conftest import PRINTED_AT, document

FRAGMENTS = ["^XA", "^XZ", "^FS", "^FD", "~JA", "~DG", "_5E", "_", '"', "\\", "\\[L]", '\\["]', "\r\n", "\r", "\n",
             "PRINT 9", "\x1b!R", "\x0f", "\x00", ">5", ">:", ">", "\x1dV", "\u202e", "\u200b", "乗", "龘"]  # fmt: skip
values = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(st.characters(codec="utf-8"), max_size=6)), max_size=6
).map("".join)
ascii_values = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(st.characters(codec="ascii"), max_size=6)),
                        min_size=1, max_size=5).map("".join)  # fmt: skip


def _document(name: str, phone: str, address: str, carrier: str, waybill: str, order_no: str, unified: str, title: str):
    made = document(name=name, address=address, carrier=carrier, waybill_no=waybill, channel_order_no=order_no,
                    domain_id=unified)  # fmt: skip
    made["receiver"]["phone"] = phone
    made["receiver"]["district"] = title[:3]
    made["lines"][0]["title"] = title
    return made


fields = st.builds(_document, values, values, values, values, st.one_of(values, ascii_values), values, values, values)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- ZPL ----------------------------------------------------------------------------------------
ZPL_COMMANDS = {"XA", "CI", "PW", "LL", "LH", "CW", "FO", "GB", "FS", "A1", "FH", "FD", "BY", "BC", "BQ", "PQ", "XZ",
                "GF"}  # fmt: skip


def _unescape_fh(data: str) -> str:
    return re.sub(r"_([0-9A-F]{2})", lambda m: chr(int(m.group(1), 16)), data).encode("latin-1").decode("utf-8")


def _zpl_fields(data: bytes) -> list[tuple[str, str]]:
    """(command before ^FH, decoded field data) of every field; asserts the stream's structure."""
    text = data.decode("ascii")
    assert "~" not in text  # no control command at all
    commands = [c for c in text.split("^") if c.strip()]
    assert all(c[:2] in ZPL_COMMANDS for c in commands), [c[:12] for c in commands if c[:2] not in ZPL_COMMANDS]
    assert commands[0].strip() == "XA" and commands[-1].strip() == "XZ"
    assert sum(c.startswith("XA") for c in commands) == sum(c.startswith("XZ") for c in commands) == 1
    found = []
    for kind, data_text in re.findall(r"\^(A1N|BCN|BQN)[^\^]*\^FH_\^FD([^\^]*)\^FS", text):
        assert re.fullmatch(r"[A-Za-z0-9 .,:/()#+\-]*(?:_[0-9A-F]{2}[A-Za-z0-9 .,:/()#+\-]*)*", data_text), data_text
        found.append((kind, _unescape_fh(data_text)))
    assert len(found) == text.count("^FD")
    return found


@SETTINGS
@given(order=fields)
def test_no_field_value_becomes_a_zpl_command(order):
    label = render(load_profile("zpl-203-76x130-gb2312"), order, printed_at=PRINTED_AT)
    found = _zpl_fields(label.data)
    layout = label.layout
    texts = ["".join(s.text for s in line.segments) for line in layout.lines]
    assert [v for k, v in found if k == "A1N"] == texts
    assert [v.replace(">0", ">") for k, v in found if k == "BCN"] == [c.value for c in layout.barcodes]
    assert [v.removeprefix("MA,") for k, v in found if k == "BQN"] == [q.value for q in layout.qr_codes]
    raster = render(load_profile("zpl-203-76x130"), order, printed_at=PRINTED_AT).data.decode("ascii")
    assert raster.count("^XA") == raster.count("^XZ") == 1 and "^FD" not in raster and "~" not in raster


# -- TSPL ---------------------------------------------------------------------------------------
TSPL_COMMANDS = {b"SIZE", b"GAP", b"DIRECTION", b"REFERENCE", b"CLS", b"CODEPAGE", b"BAR", b"TEXT", b"BARCODE",
                 b"QRCODE", b"BITMAP", b"PRINT"}  # fmt: skip


def _tspl_string(data: bytes, at: int) -> tuple[bytes, int]:
    """A quoted string from ``at`` (just after its opening quote): (contents, index after the closing
    quote). Only `\\["]` may follow a backslash."""
    out = bytearray()
    while True:
        byte = data[at]
        if byte == 0x22:
            return bytes(out), at + 1
        if byte == 0x5C:
            assert data[at : at + 4] == b'\\["]', data[at : at + 8]
            out += b'"'
            at += 4
            continue
        assert byte >= 0x20 and byte != 0x7F, data[at - 10 : at + 10]
        out.append(byte)
        at += 1


def _tspl_commands(data: bytes) -> list[tuple[bytes, list[bytes]]]:
    """(command word, its quoted strings) of each command; BITMAP data is skipped by its length."""
    commands, at = [], 0
    while at < len(data):
        word = re.match(rb"[A-Z]+", data[at:])
        assert word is not None and word.group() in TSPL_COMMANDS, data[at : at + 20]
        name, at, strings = word.group(), at + len(word.group()), []
        if name == b"BITMAP":
            head = re.match(rb" (\d+),(\d+),(\d+),(\d+),(\d),", data[at:])
            assert head is not None
            at += len(head.group()) + int(head.group(3)) * int(head.group(4))
        while data[at : at + 2] != b"\r\n":
            if data[at] == 0x22:
                text, at = _tspl_string(data, at + 1)
                strings.append(text)
            else:
                assert data[at] not in b"\r\n\\", data[at - 10 : at + 10]
                at += 1
        commands.append((name, strings))
        at += 2
    return commands


@SETTINGS
@given(order=fields)
def test_no_field_value_becomes_a_tspl_command(order):
    profile = load_profile("tspl-203-76x130-gb2312")
    label = render(profile, order, printed_at=PRINTED_AT)
    commands = _tspl_commands(label.data)
    assert [name for name, _ in commands].count(b"PRINT") == 1 and commands[-1][0] == b"PRINT"
    layout = label.layout
    texts = [strings[1].decode("gb2312") for name, strings in commands if name == b"TEXT"]
    assert texts == ["".join(s.text for s in line.segments) for line in layout.lines]
    quoted_codes = [strings[-1].decode("ascii") for name, strings in commands if name == b"BARCODE"]
    drawn = [name for name, _ in commands].count(b"BITMAP")
    assert len(quoted_codes) + drawn == len(layout.barcodes) + len(layout.qr_codes) - sum(
        name == b"QRCODE" for name, _ in commands
    )
    assert set(quoted_codes) <= {c.value for c in layout.barcodes}
    raster = _tspl_commands(render(load_profile("tspl-203-76x130"), order, printed_at=PRINTED_AT).data)
    assert {name for name, _ in raster} <= {b"SIZE", b"GAP", b"DIRECTION", b"REFERENCE", b"CLS", b"BITMAP", b"PRINT"}
    assert all(not strings for _, strings in raster)


def test_a_waybill_ending_in_a_backslash_is_drawn_as_a_bitmap_not_quoted():
    label = render(load_profile("tspl-203-76x130-gb2312"), document(waybill_no="SF1234\\"), printed_at=PRINTED_AT)
    commands = _tspl_commands(label.data)
    assert b"BARCODE" not in [name for name, _ in commands]
    assert [name for name, _ in commands].count(b"BITMAP") == 2  # the template's two Code 128 waybills
    assert label.layout.barcodes[0].value == "SF1234\\"  # the bars encode it as it is


def test_a_character_whose_gbk_encoding_holds_a_backslash_byte_is_not_sent_in_a_tspl_string():
    from orderdesk.printing.coverage import policy
    from orderdesk.printing.profiles import profile_from_document

    document_ = {**load_profile("tspl-203-76x130-gb2312").document, "name": "tspl-gbk", "resident": {"charset": "gbk", "font": "TSS24.BF2"}}  # fmt: skip
    profile = profile_from_document(document_)
    assert "乗".encode("gbk")[1] == 0x5C and ord("乗") not in policy(profile).plain
    label = render(profile, document(name="乗风"), printed_at=PRINTED_AT)
    assert b"\\" not in b"".join(s for _, strings in _tspl_commands(label.data) for s in strings)


# -- ESC/POS ------------------------------------------------------------------------------------
@SETTINGS
@given(order=fields)
def test_an_escpos_label_is_bands_of_bitmap_whatever_the_fields_hold(order):
    data = render(load_profile("escpos-80mm"), order, printed_at=PRINTED_AT).data
    assert data.startswith(b"\x1b@") and data.endswith(b"\x1bd\x04\x1dVB\x00")
    at, bands = 2, 0
    while at < len(data) - 7:
        assert data[at : at + 4] == b"\x1dv0\x00"
        width, height = int.from_bytes(data[at + 4 : at + 6], "little"), int.from_bytes(data[at + 6 : at + 8], "little")
        at += 8 + width * height
        bands += 1
    assert at == len(data) - 7 and bands > 0


@pytest.mark.parametrize("value", ["\n", "123\n", "ABC\n", "DB20261127ABCDEFGHJKLM\n", "订单\n"])
def test_a_qr_value_ending_in_a_newline_is_encoded_as_bytes_not_refused(value: str) -> None:
    from orderdesk.printing.barcodes import qr_matrix

    assert qr_matrix(value)  # reportlab's own mode choice crashed on these (its "$" matches before a newline)
