"""The label as a PDF for system printers: reportlab, the chain's fonts embedded as subsets, bars
and QR modules drawn from the same patterns as the raster renderer."""

from __future__ import annotations

import io
import re
from functools import cache

from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from orderdesk.printing.barcodes import code128_bars, code128_modules, qr_matrix, qr_runs
from orderdesk.printing.fonts import FontFace
from orderdesk.printing.layout import Layout
from orderdesk.printing.profiles import PrinterProfile


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab writes a character beyond the BMP as ``<2003E>``, which is not UTF-16BE, so PDF
    readers lose it on copy and search (pypdf: "Odd-length string"); write the surrogate pair."""
    text = _reportlab_cmap(fontname, subset)
    return _BEYOND_BMP.sub(
        lambda m: f"{m.group(1)} <{chr(int(m.group(2), 16)).encode('utf-16-be').hex().upper()}>", text
    )


_BEYOND_BMP = re.compile(r"^(<[0-9A-F]{2}>) <([0-9A-F]{5,6})>$", re.MULTILINE)
_reportlab_cmap = ttfonts.makeToUnicodeCMap
ttfonts.makeToUnicodeCMap = _to_unicode_cmap  # looked up by name when a subset is written


@cache
def _registered(face: FontFace) -> str:
    name = f"OrderDesk-{face.name}"
    pdfmetrics.registerFont(TTFont(name, str(face.path)))
    return name


def render_pdf(profile: PrinterProfile, layout: Layout, *, title: str = "") -> bytes:
    out = io.BytesIO()
    page_h = layout.height_mm
    canvas = Canvas(out, pagesize=(layout.width_mm * mm, page_h * mm), pageCompression=1, invariant=1)
    canvas.setTitle(title)
    canvas.setCreator("OrderDesk")
    fonts = profile.fonts()
    for rule in layout.rules:
        canvas.setLineWidth(rule.thickness * mm)
        canvas.line(rule.x1 * mm, (page_h - rule.y1) * mm, rule.x2 * mm, (page_h - rule.y2) * mm)
    for line in layout.lines:
        x = line.x
        for segment in line.segments:
            index = segment.face if segment.face is not None else fonts.face_for(segment.text[0]) or 0
            face = fonts.faces[index]
            canvas.setFont(_registered(face), line.size_pt)
            canvas.drawString(x * mm, (page_h - line.baseline) * mm, segment.text)
            x += sum(face.advance(c) for c in segment.text) * line.size_pt * 25.4 / 72
    for code in layout.barcodes:
        module = code.w / code128_modules(code.value)
        path = canvas.beginPath()
        for start, width in code128_bars(code.value):
            path.rect((code.x + start * module) * mm, (page_h - code.y - code.h) * mm, width * module * mm, code.h * mm)
        canvas.drawPath(path, stroke=0, fill=1)
    for qr in layout.qr_codes:
        matrix = qr_matrix(qr.value)
        module = qr.size / (len(matrix) + 2)
        path = canvas.beginPath()
        for r, c, length in qr_runs(qr.value):
            x0 = qr.x + (c + 1) * module
            y0 = page_h - (qr.y + (r + 2) * module)
            path.rect(x0 * mm, y0 * mm, length * module * mm, module * mm)
        canvas.drawPath(path, stroke=0, fill=1)
    canvas.showPage()
    canvas.save()
    return out.getvalue()
