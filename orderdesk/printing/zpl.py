"""ZPL II for Zebra-compatible printers.

Raster: the whole label as `^GFA` graphic fields, in strips well under the ~25 KB a field should
stay below, each row compressed with ZPL's ASCII compression (repeat counts G–Y/g–z, `,` `!` `:`).
Resident: the printer's own font (`^CW` + `^A`), UTF-8 (`^CI28`), and every byte of field data
outside a conservative whitelist hex-escaped after `^FH` (`_` included), so customer text can never
become a command: `Bob^FS^XZ^XA…` prints as those characters on one label."""

from __future__ import annotations

import re

from PIL import Image

from orderdesk.printing.barcodes import code128_modules, qr_matrix
from orderdesk.printing.layout import MM_PER_PT, Layout
from orderdesk.printing.profiles import MM_PER_INCH, PrinterProfile
from orderdesk.printing.raster import packed_rows

STRIP_BYTES = 16_000  # raw bitmap bytes per ^GF field
_SAFE = re.compile(rb"[A-Za-z0-9 .,:/()#+-]")


def field_data(text: str) -> str:
    """`^FH_^FD…` payload: whitelisted ASCII as is, every other UTF-8 byte as `_XX`."""
    return "".join(chr(b) if _SAFE.fullmatch(bytes((b,))) else f"_{b:02X}" for b in text.encode("utf-8"))


def code128_data(value: str) -> str:
    """A Code 128 value as `^BC` field data: `>` starts an invocation code there (`>5` would switch the
    subset), so a `>` of the value itself is written `>0`, as the ZPL manual's table says."""
    return field_data(value.replace(">", ">0"))


def _count(n: int) -> str:
    high, low = divmod(n, 20)
    return (chr(ord("f") + high) if high else "") + (chr(ord("F") + low) if low else "")


_COUNT = [""] + [""] + [_count(n) for n in range(2, 420)]  # a single character needs no count
_RUN = re.compile(r"([0-9A-F])\1*")
_rows: dict[str, str] = {}  # rows repeat from label to label (blank, rules, bars): compress each once


def _run(match: re.Match[str]) -> str:
    text = match.group()
    n, char = len(text), text[0]
    out = ""
    while n > 419:
        out += _COUNT[419] + char
        n -= 419
    return out + _COUNT[n] + char


def compress_row(row_hex: str) -> str:
    """One row in ZPL ASCII compression (`,` zeros to the end of the row, `!` ones to the end, counts
    G–Y = 1–19 and g–z = 20–400 before a repeated hex digit); the caller handles repeated rows (`:`)."""
    done = _rows.get(row_hex)
    if done is not None:
        return done
    head = row_hex.rstrip("0")
    if not head:
        done = ","
    elif len(head) < len(row_hex):
        done = _RUN.sub(_run, head) + ","
    else:
        ones = row_hex.rstrip("F")
        done = "!" if not ones else _RUN.sub(_run, ones) + ("!" if len(ones) < len(row_hex) else "")
    if len(_rows) > 100_000:
        _rows.clear()
    _rows[row_hex] = done
    return done


def graphic_fields(image: Image.Image, *, x: int = 0, y: int = 0) -> str:
    row_bytes = image.width // 8
    data = packed_rows(image, black_is_one=True)
    rows_per_strip = max(1, STRIP_BYTES // row_bytes)
    parts: list[str] = []
    for first in range(0, image.height, rows_per_strip):
        rows = range(first, min(image.height, first + rows_per_strip))
        encoded: list[str] = []
        previous = None
        for r in rows:
            row = data[r * row_bytes : (r + 1) * row_bytes].hex().upper()
            encoded.append(":" if row == previous else compress_row(row))
            previous = row
        total = row_bytes * len(rows)
        parts.append(f"^FO{x},{y + first}^GFA,{total},{total},{row_bytes},{''.join(encoded)}^FS")
    return "\n".join(parts)


def raster_label(profile: PrinterProfile, image: Image.Image, copies: int = 1) -> bytes:
    body = graphic_fields(image)
    return (f"^XA\n^PW{image.width}\n^LL{image.height}\n^LH0,0\n{body}\n^PQ{copies}\n^XZ\n").encode("ascii")


def resident_label(profile: PrinterProfile, layout: Layout, copies: int = 1) -> bytes:
    dots = profile.dpi / MM_PER_INCH
    out = [
        "^XA",
        "^CI28",
        f"^PW{profile.width_dots}",
        f"^LL{profile.height_dots}",
        "^LH0,0",
        f"^CW1,{profile.resident_font}",  # the profile schema allows letters, digits and : . - only
    ]
    for rule in layout.rules:
        t = max(1, round(rule.thickness * dots))
        w, h = max(t, round((rule.x2 - rule.x1) * dots)), max(t, round((rule.y2 - rule.y1) * dots))
        out.append(f"^FO{round(rule.x1 * dots)},{round(rule.y1 * dots)}^GB{w},{h},{t}^FS")
    for line in layout.lines:
        size = max(10, round(line.size_pt * MM_PER_PT * dots))
        top = round(line.baseline * dots - size * 0.88)
        text = "".join(segment.text for segment in line.segments)
        out.append(f"^FO{round(line.x * dots)},{top}^A1N,{size},{size}^FH_^FD{field_data(text)}^FS")
    for code in layout.barcodes:
        module = max(1, int(code.w * dots) // code128_modules(code.value))
        out.append(
            f"^FO{round(code.x * dots)},{round(code.y * dots)}^BY{module},3,{round(code.h * dots)}"
            f"^BCN,{round(code.h * dots)},N,N,N^FH_^FD{code128_data(code.value)}^FS"
        )
    for qr in layout.qr_codes:
        magnification = max(1, min(10, int(qr.size * dots) // (len(qr_matrix(qr.value)) + 2)))
        out.append(
            f"^FO{round(qr.x * dots)},{round(qr.y * dots)}^BQN,2,{magnification}^FH_^FDMA,{field_data(qr.value)}^FS"
        )
    out += [f"^PQ{copies}", "^XZ"]
    return ("\n".join(out) + "\n").encode("ascii")
