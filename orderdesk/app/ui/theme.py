"""The console's visual system, each part defined once (Picard's ui/colors.py is the model):

- **colours** by meaning ("error", "ok", "warning" …), each with a light and a dark form; the form
  follows the desktop's palette, so a dark theme reads as well as a light one;
- **type sizes** from one scale (``body`` … ``figure``); the packing station's sizes stay large, it is
  read from arm's length;
- **the application font**: Droid Sans Fallback (bundled, Apache-2.0) covers Chinese and Latin in one
  sans face; DejaVu Sans (bundled) stands behind it for the symbols it lacks — never a serif beside a
  sans;
- **icons**: Lucide's SVGs (ISC) in ``resources/icons``, drawn in the palette's text colour;
- **dates**: one format, China time, ``2026-11-28 16:51`` (with seconds where they matter), made by
  ``sync/china_time.shown`` for the console, the CLI and the reports alike.

A widget asks for a meaning, never for a hex value or a point size of its own."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication, QHeaderView, QTableView, QTableWidget

from orderdesk.sync.resources import RESOURCES

FONTS = RESOURCES / "fonts"
ICONS = RESOURCES / "icons"

# name: (light desktop, dark desktop)
COLOURS: dict[str, tuple[str, str]] = {
    "error": ("#b00020", "#ff8a80"),
    "ok": ("#1b5e20", "#81c784"),
    "warning": ("#8a5a00", "#ffcc80"),
    "note": ("#555555", "#b0b0b0"),
    "anomaly_row": ("#fdecea", "#4a2323"),
    "substitution": ("#fff3c4", "#4d4215"),  # printed differently from what was written (pinyin)
    "fallback_font": ("#d9f2f7", "#1d4550"),  # printed as written, in a fallback font
    "problem": ("#f8d0d0", "#5c2626"),  # will not print as written: needs a person
    "chart": ("#3b6fb6", "#7fa8e0"),  # a chart's bars and lines
    "chart_alert": ("#c0392b", "#ef7b6f"),  # a bar above its bar (a rate above 0.3%), a score below 70
    "chart_bar_line": ("#8a5a00", "#ffcc80"),  # the bar a figure is held to, drawn across a chart
    "online": ("#1b5e20", "#81c784"),
    "offline": ("#b00020", "#ff8a80"),
    "accent": ("#2f5f9e", "#7fa8e0"),  # the application icon's blue: the selected workspace
    "pool_sellable": ("#2e7d32", "#66bb6a"),  # the inventory bar's pools
    "pool_reserved": ("#f9a825", "#fdd835"),
    "pool_committed": ("#1565c0", "#64b5f6"),
    "pool_quality_check": ("#8e24aa", "#ce93d8"),
    "pool_in_transit": ("#90a4ae", "#b0bec5"),
    "bar_track": ("#eceff1", "#37474f"),  # the empty part of a bar
}

# One type scale, in points. The station sizes are for the packing workspace and its dialogs.
SCALE: dict[str, int] = {
    "caption": 9,
    "body": 10,
    "heading": 12,
    "title": 14,
    "figure": 20,  # one big number: the health score
    "station_small": 14,
    "station_body": 16,
    "station": 18,
    "station_title": 22,
}
STATION_POINTS = SCALE["station"]
STATION_TITLE_POINTS = SCALE["station_title"]

APPLICATION_FONTS = ("DroidSansFallbackFull.ttf", "DejaVuSans.ttf")


def is_dark() -> bool:
    app = QGuiApplication.instance()
    if app is None:
        return False
    window = QGuiApplication.palette().color(QPalette.ColorRole.Window)
    return window.lightness() < 128


def colour(name: str) -> QColor:
    light, dark = COLOURS[name]
    return QColor(dark if is_dark() else light)


def text_style(name: str) -> str:
    return f"color: {colour(name).name()}"


def error_style() -> str:
    return text_style("error")


def note_style() -> str:
    return text_style("note")


def font(size: str | int, *, bold: bool = False) -> QFont:
    """The application font at a size of the scale (``font("heading")``); a number is a scale size."""
    points = SCALE[size] if isinstance(size, str) else size
    if points not in SCALE.values():
        raise ValueError(f"{points} pt is not on the type scale {sorted(set(SCALE.values()))}")
    made = QFont(QApplication.font()) if QGuiApplication.instance() is not None else QFont()
    made.setPointSize(points)
    made.setBold(bold)
    return made


@cache
def application_families() -> tuple[str, ...]:
    """Load the bundled fonts once; their family names, first the one that covers Chinese."""
    families: list[str] = []
    for file in APPLICATION_FONTS:
        loaded = QFontDatabase.addApplicationFont(str(FONTS / file))
        if loaded >= 0:
            families.extend(QFontDatabase.applicationFontFamilies(loaded))
    return tuple(dict.fromkeys(families))


def apply_to(app: QApplication) -> None:
    """The application font, type size and window icon, for every window the application opens."""
    families = application_families()
    if families:
        chosen = QFont(app.font())
        chosen.setFamilies(list(families))
        chosen.setPointSize(SCALE["body"])
        app.setFont(chosen)
    app.setWindowIcon(application_icon())


@cache
def application_icon() -> QIcon:
    renderer = QSvgRenderer(str(ICONS / "orderdesk.svg"))
    made = QIcon()
    for side in (16, 24, 32, 48, 64, 128, 256):
        made.addPixmap(_render(renderer, side))
    return made


def icon(name: str, tone: str | None = None) -> QIcon:
    """A Lucide icon drawn in the palette's text colour (or in a named colour of the registry)."""
    ink = colour(tone) if tone else QGuiApplication.palette().color(QPalette.ColorRole.WindowText)
    return _icon(name, ink.name())


@cache
def _icon(name: str, ink: str) -> QIcon:
    svg = (ICONS / f"{name}.svg").read_text(encoding="utf-8").replace("currentColor", ink)
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    made = QIcon()
    for side in (16, 20, 24, 32, 48):
        made.addPixmap(_render(renderer, side))
    return made


def _render(renderer: QSvgRenderer, side: int) -> QPixmap:
    pixmap = QPixmap(QSize(side, side))
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, side, side))
    painter.end()
    return pixmap


def fit_columns(table: QTableView | QTableWidget, stretch: int | None = None, *, once: bool = False) -> None:
    """Every column as wide as its content, one column (the last by default) takes the rest.
    ``once``: sized to the rows there now and then left to the user (a model of a million rows must
    not be measured again at every change)."""
    header = table.horizontalHeader()
    count = header.count()
    stretched = count - 1 if stretch is None else stretch
    if once:
        table.resizeColumnsToContents()
    for column in range(count):
        if column == stretched:
            mode = QHeaderView.ResizeMode.Stretch
        else:
            mode = QHeaderView.ResizeMode.Interactive if once else QHeaderView.ResizeMode.ResizeToContents
        header.setSectionResizeMode(column, mode)
