"""Named colours and type sizes, each defined once (Picard's ui/colors.py is the model). A widget
asks for a meaning ("error", "ok", "warning"), never for a hex value of its own."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont

COLOURS = {
    "error": "#b00020",
    "ok": "#1b5e20",
    "warning": "#8a5a00",
    "note": "#555555",
    "anomaly_row": "#fdecea",
    "substitution": "#fff3c4",  # printed differently from what was written (pinyin)
    "fallback_font": "#d9f2f7",  # printed as written, in a fallback font
    "problem": "#f8d0d0",  # will not print as written: needs a person
    "chart": "#3b6fb6",  # a chart's bars and lines
    "chart_alert": "#c0392b",  # a bar above its bar (a rate above 0.3%), a score below 70
    "chart_bar_line": "#8a5a00",  # the bar a figure is held to, drawn across a chart
}

# The packing station is read from arm's length: its type stays large.
STATION_POINTS = 18
STATION_TITLE_POINTS = 22


def colour(name: str) -> QColor:
    return QColor(COLOURS[name])


def text_style(name: str) -> str:
    return f"color: {COLOURS[name]}"


def error_style() -> str:
    return text_style("error")


def note_style() -> str:
    return text_style("note")


def font(points: int, *, bold: bool = False) -> QFont:
    made = QFont()
    made.setPointSize(points)
    made.setBold(bold)
    return made
