"""Layout once: a label's fields placed, wrapped and shrunk in millimetres, from which every renderer
draws (PDF, 1-bit raster for ZPL/TSPL/ESC-POS, resident-font printer commands). Text is measured
with the fonts' own advance widths (fontTools), so each renderer breaks lines at the same places."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from orderdesk.printing.preflight import FieldText, Preflight, Problem, Segment, merge_segments
from orderdesk.printing.profiles import PrinterProfile
from orderdesk.sync.said import Said

MM_PER_PT = 25.4 / 72
LINE_HEIGHT = 1.2  # of the font size
BASELINE = 0.88  # of the font size, from the top of a line
SHRINK_STEP_PT = 0.5
ELLIPSIS = "…"


class TextLine(NamedTuple):
    field: str
    x: float  # mm from the left
    baseline: float  # mm from the top
    size_pt: float
    segments: tuple[Segment, ...]


class Barcode(NamedTuple):
    field: str
    value: str
    x: float
    y: float
    w: float
    h: float


class QrCode(NamedTuple):
    field: str
    value: str
    x: float
    y: float
    size: float


class Rule(NamedTuple):
    x1: float
    y1: float
    x2: float
    y2: float
    thickness: float


@dataclass
class Layout:
    width_mm: float
    height_mm: float
    lines: list[TextLine]
    barcodes: list[Barcode]
    qr_codes: list[QrCode]
    rules: list[Rule]


def _advance(profile: PrinterProfile, char: str, face: int | None) -> float:
    if face is None:  # a resident font: full width for CJK, half for the rest
        return 0.5 if ord(char) < 0x2E80 else 1.0
    return profile.fonts().faces[face].advance(char)


def _wrap(
    profile: PrinterProfile, chars: list[tuple[str, int | None]], width_mm: float, size_pt: float
) -> list[list[tuple[str, int | None]]]:
    limit = width_mm / (size_pt * MM_PER_PT)  # in em
    lines: list[list[tuple[str, int | None]]] = [[]]
    used = 0.0
    for char, face in chars:
        advance = _advance(profile, char, face)
        if used + advance > limit and lines[-1]:
            if char == " ":
                lines.append([])
                used = 0.0
                continue
            lines.append([])
            used = 0.0
        lines[-1].append((char, face))
        used += advance
    return lines


def _segments(line: list[tuple[str, int | None]]) -> tuple[Segment, ...]:
    return tuple(merge_segments([Segment(char, face) for char, face in line]))


def fit_text(
    profile: PrinterProfile, spec: Mapping[str, Any], text: FieldText
) -> tuple[list[TextLine], Problem | None]:
    """Wrap within the field's box, shrinking from size_pt towards min_size_pt until it fits in
    max_lines; what still does not fit is cut with an ellipsis and reported (never silently lost)."""
    chars = [(char, segment.face) for segment in text.segments for char in segment.text]
    size = float(spec.get("size_pt", 10))
    smallest = float(spec.get("min_size_pt", size))
    max_lines = int(spec.get("max_lines", 1))
    while True:
        room = max(1, min(max_lines, int(spec["h"] / (size * LINE_HEIGHT * MM_PER_PT) + 1e-6)))
        wrapped = _wrap(profile, chars, spec["w"], size)
        if len(wrapped) <= room or size - SHRINK_STEP_PT < smallest - 1e-9:
            break
        size -= SHRINK_STEP_PT
    problem = None
    if len(wrapped) > room:
        shown = wrapped[:room]
        last = shown[-1]
        limit = spec["w"] / (size * MM_PER_PT) - _advance(profile, ELLIPSIS, profile.fonts().face_for(ELLIPSIS))
        while last and sum(_advance(profile, c, f) for c, f in last) > limit:
            last.pop()
        ellipsis_face = None if profile.text_mode == "resident" else profile.fonts().face_for(ELLIPSIS)
        last.append((ELLIPSIS, ellipsis_face))
        kept = sum(len(line) for line in shown) - 1
        problem = Problem(
            text.field,
            "overflow",
            Said(
                en=f"{text.field} does not fit its box at {size:g} pt: {len(chars) - kept} of {len(chars)} characters cut",
                zh=f"{text.field} 在 {size:g} 磅仍放不下:{len(chars)} 个字符中有 {len(chars) - kept} 个被截断",
            ),
        )
        wrapped = shown
    step = size * LINE_HEIGHT * MM_PER_PT
    lines = [
        TextLine(text.field, spec["x"], spec["y"] + i * step + size * BASELINE * MM_PER_PT, size, _segments(line))
        for i, line in enumerate(wrapped)
        if line
    ]
    return lines, problem


def lay_out(
    profile: PrinterProfile, template: Mapping[str, Any], values: Mapping[str, str], checked: Preflight
) -> Layout:
    """Place every field; overflows are added to ``checked.problems``."""
    layout = Layout(float(template["width_mm"]), float(template["height_mm"]), [], [], [], [])
    for index, spec in enumerate(template["fields"]):
        name = spec["field"]
        value = values.get(name, "")
        if spec["kind"] == "text":
            text = checked.fields.get(f"{index}:{name}")
            if text is None:
                continue
            lines, problem = fit_text(profile, spec, text)
            layout.lines.extend(lines)
            if problem is not None:
                checked.problems.append(problem)
        elif spec["kind"] == "code128":
            if value and value.isascii() and value.isprintable():
                layout.barcodes.append(Barcode(name, value, spec["x"], spec["y"], spec["w"], spec["h"]))
        elif value:
            layout.qr_codes.append(QrCode(name, value, spec["x"], spec["y"], min(spec["w"], spec["h"])))
    layout.rules.extend(
        Rule(r["x1"], r["y1"], r["x2"], r["y2"], float(r.get("thickness_mm", 0.3))) for r in template.get("rules", [])
    )
    return layout
