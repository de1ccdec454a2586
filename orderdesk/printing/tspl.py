"""TSPL for TSC-compatible label printers.

Raster: `BITMAP` strips (in TSPL bitmap data a 1 bit is white, as Pillow packs it). Resident: the
printer's own font in quoted `TEXT`, where `"` is `\\["]`. TSPL has no escape for a backslash, and a
backslash right before the closing quote would swallow it (the rest of the line, and the next
commands, would become the string): so no quoted string ever carries a backslash, a control byte or a
multi-byte character with such a byte in it (GBK's second bytes reach 0x5C). The preflight gives such
text characters a marker; a barcode or QR value that cannot be quoted safely is drawn as a `BITMAP`
instead (it still scans as its value); and the writer checks every string again before it goes out."""

from __future__ import annotations

from PIL import Image, ImageOps

from orderdesk.printing.barcodes import code128_modules, qr_matrix
from orderdesk.printing.errors import PrintingError
from orderdesk.printing.layout import MM_PER_PT, Layout
from orderdesk.printing.profiles import MM_PER_INCH, PrinterProfile
from orderdesk.printing.raster import packed_rows, rasterise

STRIP_BYTES = 16_000
RESIDENT_CELL_DOTS = 24  # TSS24.BF2 and its kin: 24 × 24 dots, scaled by whole multiples
_UNSAFE_BYTES = frozenset([*range(0x20), 0x5C, 0x7F])  # controls, the backslash


def unsafe_in_string(text: str, encoding: str) -> str | None:
    """The first character that may not go into a quoted TSPL string (itself, or a byte of its
    encoding, a control or a backslash), or None."""
    for char in text:
        try:
            encoded = char.encode(encoding)
        except UnicodeEncodeError:
            return char
        if any(b in _UNSAFE_BYTES for b in encoded):
            return char
    return None


def quoted(text: str, encoding: str = "ascii") -> bytes:
    """The contents of a quoted TSPL string: `"` as `\\["]`; anything unsafe refused (PrintingError)."""
    bad = unsafe_in_string(text, encoding)
    if bad is not None:
        raise PrintingError(
            en=f"U+{ord(bad):04X} cannot be sent inside a TSPL string (no escape for it); nothing was sent",
            zh=f"字符 U+{ord(bad):04X} 无法放入 TSPL 字符串(没有对应的转义);未发送任何内容",
        )
    return text.encode(encoding).replace(b'"', b'\\["]')


def _header(profile: PrinterProfile) -> bytes:
    return (
        f"SIZE {profile.width_mm:g} mm,{profile.height_mm:g} mm\r\nGAP {profile.gap_mm:g} mm,0 mm\r\n"
        "DIRECTION 1\r\nREFERENCE 0,0\r\nCLS\r\n"
    ).encode("ascii")


def raster_label(profile: PrinterProfile, image: Image.Image, copies: int = 1) -> bytes:
    row_bytes = image.width // 8
    data = packed_rows(image, black_is_one=False)
    rows_per_strip = max(1, STRIP_BYTES // row_bytes)
    out = [_header(profile)]
    for first in range(0, image.height, rows_per_strip):
        rows = min(rows_per_strip, image.height - first)
        out.append(f"BITMAP 0,{first},{row_bytes},{rows},0,".encode("ascii"))
        out.append(data[first * row_bytes : (first + rows) * row_bytes])
        out.append(b"\r\n")
    out.append(f"PRINT 1,{copies}\r\n".encode("ascii"))
    return b"".join(out)


def _bitmap(profile: PrinterProfile, layout: Layout) -> list[bytes]:
    """One barcode or QR code whose value cannot be quoted safely, drawn as a `BITMAP` of its own area
    (overwriting: nothing else is drawn there)."""
    image = rasterise(profile, layout)  # only that code is on it
    box = ImageOps.invert(image.convert("L")).getbbox()  # the black part (mode "1": 0 is black)
    if box is None:
        return []
    left, top = box[0] // 8 * 8, box[1]
    right = min(image.width, -(-box[2] // 8) * 8)
    piece = image.crop((left, top, right, box[3]))
    row_bytes = piece.width // 8
    head = f"BITMAP {left},{top},{row_bytes},{piece.height},0,".encode("ascii")
    return [head, packed_rows(piece, black_is_one=False), b"\r\n"]


def resident_label(profile: PrinterProfile, layout: Layout, copies: int = 1) -> bytes:
    dots = profile.dpi / MM_PER_INCH
    charset = str(profile.resident_charset)
    font = quoted(profile.resident_font).decode("ascii")
    out = [_header(profile), f"CODEPAGE {'936' if charset != 'gb18030' else '54936'}\r\n".encode("ascii")]
    for rule in layout.rules:
        t = max(1, round(rule.thickness * dots))
        w, h = max(t, round((rule.x2 - rule.x1) * dots)), max(t, round((rule.y2 - rule.y1) * dots))
        out.append(f"BAR {round(rule.x1 * dots)},{round(rule.y1 * dots)},{w},{h}\r\n".encode("ascii"))
    for line in layout.lines:
        size = line.size_pt * MM_PER_PT * dots
        scale = max(1, min(10, round(size / RESIDENT_CELL_DOTS)))
        top = round(line.baseline * dots - size * 0.88)
        text = quoted("".join(segment.text for segment in line.segments), charset)
        out.append(f'TEXT {round(line.x * dots)},{top},"{font}",0,{scale},{scale},"'.encode("ascii"))
        out.append(text)
        out.append(b'"\r\n')
    for code in layout.barcodes:
        if unsafe_in_string(code.value, "ascii") is not None:
            out.extend(_bitmap(profile, Layout(layout.width_mm, layout.height_mm, [], [code], [], [])))
            continue
        narrow = max(1, int(code.w * dots) // code128_modules(code.value))
        out.append(
            f'BARCODE {round(code.x * dots)},{round(code.y * dots)},"128",{round(code.h * dots)},0,0,{narrow},{narrow},"'.encode(
                "ascii"
            )
            + quoted(code.value)
            + b'"\r\n'
        )
    for qr in layout.qr_codes:
        if unsafe_in_string(qr.value, "utf-8") is not None:
            out.extend(_bitmap(profile, Layout(layout.width_mm, layout.height_mm, [], [], [qr], [])))
            continue
        cell = max(1, min(10, int(qr.size * dots) // (len(qr_matrix(qr.value)) + 2)))
        out.append(f'QRCODE {round(qr.x * dots)},{round(qr.y * dots)},M,{cell},A,0,"'.encode("ascii"))
        out.append(quoted(qr.value, "utf-8"))
        out.append(b'"\r\n')
    out.append(f"PRINT 1,{copies}\r\n".encode("ascii"))
    return b"".join(out)
