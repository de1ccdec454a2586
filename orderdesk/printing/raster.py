"""The label as a 1-bit bitmap at the printer's dpi: what ZPL, TSPL and ESC/POS printers receive,
and the preview a packer sees (the same pixels)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from orderdesk.printing.barcodes import code128_bars, code128_modules, qr_matrix, qr_runs
from orderdesk.printing.fonts import FontChain
from orderdesk.printing.layout import MM_PER_PT, Layout
from orderdesk.printing.preflight import Segment
from orderdesk.printing.profiles import MM_PER_INCH, PrinterProfile

WHITE, BLACK = 1, 0


@lru_cache(maxsize=256)
def _font(path: Path, size_px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size_px)


def rasterise(profile: PrinterProfile, layout: Layout) -> Image.Image:
    """Mode "1" image (0 black, 1 white), ``profile.width_dots`` × ``profile.height_dots``."""
    scale = profile.dpi / MM_PER_INCH  # dots per mm
    image = Image.new("1", (profile.width_dots, profile.height_dots), WHITE)
    draw = ImageDraw.Draw(image)
    draw.fontmode = "1"  # no anti-aliasing: a thermal head has no grey
    fonts = profile.fonts()
    for rule in layout.rules:
        half = max(1, round(rule.thickness * scale)) / 2
        draw.rectangle(
            (round(rule.x1 * scale - half), round(rule.y1 * scale - half),
             round(rule.x2 * scale + half) - 1, round(rule.y2 * scale + half) - 1),
            fill=BLACK,
        )  # fmt: skip
    for line in layout.lines:
        size_px = max(6, round(line.size_pt * MM_PER_PT * scale))
        x = line.x * scale
        y = line.baseline * scale
        for segment in line.segments:
            for index, text in _runs(fonts, segment):
                face = fonts.faces[index]
                draw.text((round(x), round(y)), text, font=_font(face.path, size_px), fill=BLACK, anchor="ls")
                x += sum(face.advance(c) for c in text) * size_px
    for code in layout.barcodes:
        modules = code128_modules(code.value)
        width = max(1, int(code.w * scale) // modules)  # whole dots per module, so every bar is crisp
        left = round(code.x * scale + (code.w * scale - width * modules) / 2)
        top, bottom = round(code.y * scale), round((code.y + code.h) * scale) - 1
        for start, bar in code128_bars(code.value):
            draw.rectangle((left + start * width, top, left + (start + bar) * width - 1, bottom), fill=BLACK)
    for qr in layout.qr_codes:
        matrix = qr_matrix(qr.value)
        module = max(1, int(qr.size * scale) // (len(matrix) + 2))  # two modules of quiet zone
        left, top = round(qr.x * scale) + module, round(qr.y * scale) + module
        for r, c, length in qr_runs(qr.value):
            x0, y0 = left + c * module, top + r * module
            draw.rectangle((x0, y0, x0 + length * module - 1, y0 + module - 1), fill=BLACK)
    return image


_INVERT = bytes(255 - i for i in range(256))


def packed_rows(image: Image.Image, *, black_is_one: bool) -> bytes:
    """The bitmap as rows of whole bytes, most significant bit leftmost."""
    data = image.tobytes()  # mode "1" packs 1 = white
    return data.translate(_INVERT) if black_is_one else data


def _runs(fonts: FontChain, segment: Segment) -> list[tuple[int, str]]:
    """(face index, text) runs of a segment. A resident-font segment (face None: the printer's own
    font draws it) is previewed character by character in the chain's first font that has each one —
    one face for the whole field drew "蒋Dá兰" as boxes where Chinese met Latin."""
    if segment.face is not None:
        return [(segment.face, segment.text)]
    runs: list[tuple[int, str]] = []
    for char in segment.text:
        index = fonts.face_for(char) or 0
        if runs and runs[-1][0] == index:
            runs[-1] = (index, runs[-1][1] + char)
        else:
            runs.append((index, char))
    return runs
