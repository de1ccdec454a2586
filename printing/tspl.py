"""TSPL for TSC-compatible label printers.

Raster: `BITMAP` strips (in TSPL bitmap data a 1 bit is white, as Pillow packs it). Resident: the
printer's own font in quoted `TEXT`, where `"` is `\\["]`, CR `\\[R]` and LF `\\[L]`; a backslash is
never sent (the preflight gives it a marker), so no customer text can open an escape or end a command."""

from __future__ import annotations

from PIL import Image

from printing.barcodes import code128_modules, qr_matrix
from printing.layout import MM_PER_PT, Layout
from printing.profiles import MM_PER_INCH, PrinterProfile
from printing.raster import packed_rows

STRIP_BYTES = 16_000
RESIDENT_CELL_DOTS = 24  # TSS24.BF2 and its kin: 24 × 24 dots, scaled by whole multiples


def quoted(text: str) -> str:
    return text.replace('"', '\\["]').replace("\r", "\\[R]").replace("\n", "\\[L]")


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


def resident_label(profile: PrinterProfile, layout: Layout, copies: int = 1) -> bytes:
    dots = profile.dpi / MM_PER_INCH
    charset = str(profile.resident_charset)
    font = quoted(profile.resident_font)
    out = [_header(profile), f"CODEPAGE {'936' if charset != 'gb18030' else '54936'}\r\n".encode("ascii")]
    for rule in layout.rules:
        t = max(1, round(rule.thickness * dots))
        w, h = max(t, round((rule.x2 - rule.x1) * dots)), max(t, round((rule.y2 - rule.y1) * dots))
        out.append(f"BAR {round(rule.x1 * dots)},{round(rule.y1 * dots)},{w},{h}\r\n".encode("ascii"))
    for line in layout.lines:
        size = line.size_pt * MM_PER_PT * dots
        scale = max(1, min(10, round(size / RESIDENT_CELL_DOTS)))
        top = round(line.baseline * dots - size * 0.88)
        text = quoted("".join(segment.text for segment in line.segments))
        out.append(f'TEXT {round(line.x * dots)},{top},"{font}",0,{scale},{scale},"'.encode("ascii"))
        out.append(text.encode(charset))
        out.append(b'"\r\n')
    for code in layout.barcodes:
        narrow = max(1, int(code.w * dots) // code128_modules(code.value))
        out.append(
            f'BARCODE {round(code.x * dots)},{round(code.y * dots)},"128",{round(code.h * dots)},0,0,{narrow},{narrow},'
            f'"{quoted(code.value)}"\r\n'.encode("ascii")
        )
    for qr in layout.qr_codes:
        cell = max(1, min(10, int(qr.size * dots) // (len(qr_matrix(qr.value)) + 2)))
        out.append(f'QRCODE {round(qr.x * dots)},{round(qr.y * dots)},M,{cell},A,0,"'.encode("ascii"))
        out.append(quoted(qr.value).encode("utf-8"))
        out.append(b'"\r\n')
    out.append(f"PRINT 1,{copies}\r\n".encode("ascii"))
    return b"".join(out)
