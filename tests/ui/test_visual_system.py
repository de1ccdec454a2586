"""The visual system (app/ui/theme.py): colours by meaning that stay readable in a light and a dark
desktop theme, one type scale, the bundled application font that covers Chinese, licensed icons, and
the main window's menu bar, icon switcher, status bar segments and empty states."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from PySide6.QtGui import QColor, QFontMetrics, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from orderdesk.app.services.settings import Settings
from orderdesk.app.ui import theme
from orderdesk.app.ui.about import AboutDialog, about_html, library_licences
from orderdesk.app.ui.i18n import TRANSLATIONS
from orderdesk.app.ui.main_window import ICONS, MainWindow
from tests.ui.conftest import run, wait_for
from tests.ui.test_console import session_for

UI = Path("orderdesk/app/ui")
TEXT_COLOURS = ("error", "ok", "warning", "note", "online", "offline")


def contrast(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio."""

    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.fixture
def dark(qapp: QApplication):
    before = QGuiApplication.palette()
    palette = QPalette(before)
    palette.setColor(QPalette.ColorRole.Window, QColor("#2b2b2b"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#e6e6e6"))
    palette.setColor(QPalette.ColorRole.Base, QColor("#1f1f1f"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#e6e6e6"))
    QApplication.setPalette(palette)
    yield palette
    QApplication.setPalette(before)


def test_text_colours_read_on_a_light_desktop(qapp) -> None:
    window = QColor("#efefef")
    assert not theme.is_dark()
    for name in TEXT_COLOURS:
        assert contrast(theme.colour(name), window) >= 4.5, name


def test_text_colours_read_on_a_dark_desktop_too(dark) -> None:
    assert theme.is_dark()
    for name in TEXT_COLOURS:
        assert theme.colour(name) == QColor(theme.COLOURS[name][1])
        assert contrast(theme.colour(name), dark.color(QPalette.ColorRole.Window)) >= 4.5, name
    for name in ("anomaly_row", "problem", "substitution", "fallback_font"):  # row backgrounds behind text
        assert contrast(theme.colour(name), dark.color(QPalette.ColorRole.Text)) >= 4.5, name


def test_no_widget_has_a_colour_or_a_type_size_of_its_own() -> None:
    found = []
    for path in UI.glob("*.py"):
        if path.name == "theme.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"#[0-9a-fA-F]{6}\b|setPointSize\(|theme\.font\(\d", line):
                found.append(f"{path}:{number}: {line.strip()}")
    assert found == []
    with pytest.raises(ValueError, match="type scale"):
        theme.font(13)


def test_the_application_font_is_bundled_and_covers_chinese(qapp) -> None:
    families = theme.application_families()
    assert families and "Droid Sans Fallback" in families[0]
    theme.apply_to(qapp)
    font = qapp.font()
    assert font.families()[: len(families)] == list(families) and font.pointSize() == theme.SCALE["body"]
    covered: set[int] = set()
    for file in theme.APPLICATION_FONTS:
        covered |= set(TTFont(theme.FONTS / file).getBestCmap())
    said = "".join(m.text or "" for m in ET.parse(TRANSLATIONS / "orderdesk_zh_CN.ts").iter("translation"))
    missing = {ch for ch in said if ord(ch) not in covered and not ch.isspace()}
    assert missing == set()  # every character of every Chinese word the console says has a glyph
    assert QFontMetrics(font).horizontalAdvance("订单") > 0
    assert not qapp.windowIcon().isNull()


def test_every_icon_used_is_bundled_licensed_and_draws(qapp) -> None:
    names = {*ICONS.values(), "wifi", "wifi-off", "refresh-cw", "log-out", "info", "inbox"}
    for name in names:
        image = theme.icon(name).pixmap(24, 24).toImage()
        assert any(image.pixelColor(x, y).alpha() for x in range(24) for y in range(24)), name
    assert (theme.ICONS / "LUCIDE-LICENSE.txt").read_text().startswith("ISC License")
    assert "orderdesk.svg" in (theme.ICONS / "README.md").read_text()


def test_about_says_the_version_and_every_licence(qapp) -> None:
    html = about_html()
    assert "OrderDesk 0.1.0" in html and "Apache-2.0" in html and "ISC" in html and "Droid Sans Fallback" in html
    names = {name.casefold().replace("_", "-") for name, _, _ in library_licences()}
    assert {"pyside6-essentials", "sqlalchemy", "reportlab", "httpx"} <= names
    assert all(licence != "?" for _, _, licence in library_licences())


def test_the_window_has_menus_an_icon_switcher_status_segments_and_an_empty_state(loop, hub, cache, qtbot) -> None:
    window = MainWindow(session_for(hub, "supervisor"), cache, Settings(sync_interval_s=0.2))
    qtbot.addWidget(window)
    assert [a.text() for a in window.menuBar().actions()] == ["文件(&F)", "视图(&V)", "帮助(&H)"]
    window.about_action.trigger()
    about = wait_for(loop, lambda: window.findChild(AboutDialog))
    assert about.parent() is window and "OrderDesk 0.1.0" in about.text.toPlainText() and about.height() <= 600
    about.reject()
    assert all(not window.switcher.item(i).icon().isNull() for i in range(window.switcher.count()))
    assert window.switcher.width() < 140
    wait_for(loop, lambda: window.sync.status.last_synced_at is not None)
    wait_for(loop, lambda: "在线" in window.sync_label.text())
    assert not window.online_icon.pixmap().isNull()
    assert window.last_label.text().startswith("上次同步") and window.pending_label.text() == "0 个操作待发送"
    page = window.orders_page  # the hub holds no orders: the list says so and offers a sync
    wait_for(loop, lambda: page.listing.is_empty())
    assert page.listing.empty.title.text() == "本站缓存中还没有订单" and not page.listing.empty.action.isHidden()
    page.search.setText("13800000000")
    wait_for(loop, lambda: page.listing.empty.title.text() == "没有符合筛选条件的订单")
    page.listing.empty.action.click()  # 清除筛选
    wait_for(loop, lambda: page.search.text() == "")
    hub.stop()
    window.workspace_actions["orders"].trigger()
    window.sync_now_action.trigger()
    wait_for(loop, lambda: "离线" in window.sync_label.text(), timeout=60)
    assert window.online_icon.pixmap().toImage() != theme.icon("wifi", "online").pixmap(16, 16).toImage()
    run(loop, window.shutdown())
