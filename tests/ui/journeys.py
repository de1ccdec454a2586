"""What the journey tests share: the whole console run as `orderdesk` runs it (sign-in dialog → main
window → sign out → …, `app.ui.app.run_shifts`), driven by key and mouse events on the real widgets,
printers played by local socket servers, and screenshots of each step when asked for
(``ORDERDESK_JOURNEY_SHOTS=DIR``; `./dev screenshots` puts them into docs/screenshots)."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from orderdesk.app.ui.login import LoginDialog
from orderdesk.app.ui.main_window import MainWindow
from tests.recording_printer import RecordingPrinter
from tests.ui.conftest import type_text, wait_for


def slow_printer() -> RecordingPrinter:
    """A raw-9100 printer that keeps each connection 1.5 s after the label (a thermal printer is slow)."""
    return RecordingPrinter(hang_up_after_s=1.5)


def shot(window: QWidget, name: str) -> None:
    """A screenshot of the window, when the run asks for them."""
    folder = os.environ.get("ORDERDESK_JOURNEY_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        window.grab().save(str(Path(folder) / f"{name}.png"))


def login_dialog(loop: asyncio.AbstractEventLoop) -> LoginDialog:
    return wait_for(loop, lambda: next((w for w in QApplication.topLevelWidgets()
                                        if isinstance(w, LoginDialog) and w.isVisible()), None))  # fmt: skip


def sign_in_with_keys(loop: asyncio.AbstractEventLoop, user: str, password: str) -> LoginDialog:
    """Type the user name and password as a person does (Tab between fields), then Enter."""
    dialog = login_dialog(loop)
    dialog.activateWindow()
    dialog.user.setFocus()
    dialog.user.selectAll()
    type_text(dialog.user, user)
    QTest.keyClick(dialog.user, Qt.Key.Key_Tab)
    type_text(dialog.password, password)
    QTest.keyClick(dialog.password, Qt.Key.Key_Return)
    return dialog


def main_window(loop: asyncio.AbstractEventLoop, not_this: Any = None) -> MainWindow:
    """The main window once it shows, made the active window (as a click on it would): keyboard
    shortcuts such as Ctrl+1…5 go to the active window only."""

    def shown() -> MainWindow | None:
        return next((w for w in QApplication.topLevelWidgets()
                     if isinstance(w, MainWindow) and w.isVisible() and w is not not_this), None)  # fmt: skip

    try:
        window: MainWindow = wait_for(loop, shown)
    except AssertionError:
        said = [w.error.text() for w in QApplication.topLevelWidgets() if isinstance(w, LoginDialog) and w.isVisible()]
        raise AssertionError(f"no main window; the sign-in dialog says {said}") from None
    window.activateWindow()
    QTest.qWaitForWindowActive(window, 2000)
    return window


def click(widget: QWidget) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(widget.width() // 2, widget.height() // 2))


def scan(page: Any, code: str) -> None:
    """A keyboard-wedge scanner: the code's characters, then Enter, into whatever has the focus."""
    target = QApplication.focusWidget() or page.scan_box
    type_text(target, code)
    QTest.keyClick(target, Qt.Key.Key_Return)


def fully_inside(widget: QWidget, window: QWidget) -> bool:
    """Whether ``widget`` is shown whole inside ``window``'s area (nothing cut off by the screen)."""
    top_left = widget.mapTo(window, QPoint(0, 0))
    return (widget.isVisible() and top_left.x() >= 0 and top_left.y() >= 0
            and top_left.x() + widget.width() <= window.width()
            and top_left.y() + widget.height() <= window.height())  # fmt: skip


def press(loop: asyncio.AbstractEventLoop, widget: QWidget, key: Qt.Key) -> None:
    """A key on a widget of the active window, as a person presses it: a shortcut key (F5, Esc,
    Delete on the scan box) fires only where the window has the keyboard and the widget the focus."""
    window = widget.window()
    if QApplication.activeWindow() is not window:
        window.activateWindow()
        wait_for(loop, lambda: QApplication.activeWindow() is window)
    widget.setFocus()
    QTest.keyClick(widget, key)
