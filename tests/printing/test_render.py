"""Renderers checked from the outside: text read back out of the PDF, ZPL decoded by an independent
decoder (zebrafy) and compared with the preview pixel for pixel, TSPL and ESC/POS bitmaps unpacked."""

from __future__ import annotations

import io
import re

from PIL import Image, ImageChops
from pypdf import PdfReader
from zebrafy import ZebrafyZPL

from orderdesk.printing.profiles import load_profile
from orderdesk.printing.render import render
from tests.printing.conftest import PRINTED_AT, document, hanazono_profile


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_pdf_holds_every_character_or_its_replacement() -> None:
    label = render(load_profile("pdf-76x130"), document(name="张龘𠀾𪚥"), printed_at=PRINTED_AT)
    text = pdf_text(label.data)
    assert "张龘[U+2003E]Zhé" in re.sub(r"\s", "", text)
    assert "𠀾" not in text and "\ufffd" not in text
    assert "SF1234567890" in text and "138****5678" in text
    reader = PdfReader(io.BytesIO(label.data))
    fonts = {f["/BaseFont"] for f in reader.pages[0]["/Resources"]["/Font"].values()}
    assert all("+" in str(name) for name in fonts - {"/Helvetica"})  # embedded subsets, the same on every machine


def test_pdf_with_a_fallback_font_prints_the_rare_character_itself() -> None:
    label = render(hanazono_profile(), document(name="李𠀾"), printed_at=PRINTED_AT)
    assert "李𠀾" in re.sub(r"\s", "", pdf_text(label.data))


def zpl_to_image(zpl: str, width: int, height: int) -> Image.Image:
    """Every ^GF field decoded by zebrafy and placed at its ^FO origin."""
    canvas = Image.new("1", (width, height), 1)
    origins = [(int(x), int(y)) for x, y in re.findall(r"\^FO(\d+),(\d+)\^GF", zpl)]
    images = ZebrafyZPL(zpl).to_images()
    assert len(origins) == len(images) > 1  # strips, not one huge field
    for (x, y), strip in zip(origins, images, strict=True):
        canvas.paste(strip.convert("1"), (x, y))
    return canvas


def test_zpl_decoded_independently_is_the_preview() -> None:
    profile = load_profile("zpl-203-76x130")
    label = render(profile, document(name="张龘𠀾"), printed_at=PRINTED_AT)
    zpl = label.data.decode("ascii")
    assert zpl.count("^XA") == 1 and zpl.count("^XZ") == 1
    assert all(int(total) <= 25_000 for total in re.findall(r"\^GFA,(\d+),", zpl))
    decoded = zpl_to_image(zpl, profile.width_dots, profile.height_dots)
    preview = label.preview()
    assert preview.size == (608, 1039)
    assert ImageChops.difference(decoded.convert("L"), preview.convert("L")).getbbox() is None
    assert preview.convert("L").histogram()[0] > 10_000  # something is actually drawn


def test_tspl_bitmap_is_the_preview_with_one_meaning_white() -> None:
    profile = load_profile("tspl-203-76x130")
    label = render(profile, document(), printed_at=PRINTED_AT)
    data = label.data
    assert data.startswith(b"SIZE 76 mm,130 mm\r\nGAP 2 mm,0 mm\r\n") and data.endswith(b"PRINT 1,1\r\n")
    rows: list[bytes] = []
    for match in re.finditer(rb"BITMAP 0,(\d+),(\d+),(\d+),0,", data):
        width, height = int(match.group(2)), int(match.group(3))
        assert int(match.group(1)) == len(rows)
        chunk = data[match.end() : match.end() + width * height]
        rows.extend(chunk[i * width : (i + 1) * width] for i in range(height))
    image = Image.frombytes("1", (profile.width_dots, len(rows)), b"".join(rows))  # Pillow: 1 is white too
    assert ImageChops.difference(image.convert("L"), label.preview().convert("L")).getbbox() is None


def test_escpos_raster_bands_are_the_preview() -> None:
    profile = load_profile("escpos-80mm")
    label = render(profile, document(), printed_at=PRINTED_AT)
    data = label.data
    assert data.startswith(b"\x1b@") and data.endswith(b"\x1dVB\x00")
    rows: list[bytes] = []
    for match in re.finditer(rb"\x1dv0\x00(..)(..)", data, re.DOTALL):
        width, height = int.from_bytes(match.group(1), "little"), int.from_bytes(match.group(2), "little")
        assert width == 72 and height <= 128
        chunk = data[match.end() : match.end() + width * height]
        rows.extend(bytes(b ^ 0xFF for b in chunk[i * width : (i + 1) * width]) for i in range(height))
    assert len(rows) == label.preview().height
    image = Image.frombytes("1", (576, len(rows)), b"".join(rows))
    assert ImageChops.difference(image.convert("L"), label.preview().convert("L")).getbbox() is None


def test_every_shipped_profile_renders() -> None:
    from orderdesk.printing.profiles import profile_names

    for name in profile_names():
        profile = load_profile(name)
        if profile.fonts().missing:
            continue
        label = render(profile, document(name="龘𠀾"), printed_at=PRINTED_AT)
        assert label.data and label.preview().size == (profile.width_dots, profile.height_dots)


def test_a_resident_font_label_is_previewed_in_fonts_that_have_each_character() -> None:
    """A packer trusts the preview: "蒋Dá兰" on a GB2312-resident profile was drawn in one face, and
    the Chinese came out as boxes beside the Latin."""
    from orderdesk.printing.raster import _runs

    profile = load_profile("zpl-203-76x130-gb2312")
    document = {"domain_id": "DB20261121R28H2LZ69J8Z", "channel_order_no": "WE20261121002325",
                "waybill_no": "SF1400000000001", "carrier": "SF",
                "receiver": {"name": "蒋龘兰", "phone": "13800000000", "province": "浙江省", "city": "杭州市",
                             "district": "西湖区", "address": "文三路95号23幢"},
                "lines": [{"title": "商品 A-1", "quantity": 2}]}  # fmt: skip
    label = render(profile, document)
    fonts = profile.fonts()
    drawn = [(fonts.faces[index], text) for line in label.layout.lines for segment in line.segments
             for index, text in _runs(fonts, segment)]  # fmt: skip
    assert any("Dá" in text for _, text in drawn) and any("蒋" in text for _, text in drawn)
    assert all(ord(char) in face.codepoints for face, text in drawn for char in text if not char.isspace())
