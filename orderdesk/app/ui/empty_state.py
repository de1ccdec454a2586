"""An empty list says what it is waiting for and offers the button that does something about it
(sync now, clear the filters), in place of a blank table."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QAbstractItemView, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from orderdesk.app.ui import theme


class EmptyState(QWidget):
    def __init__(self, icon: str = "inbox") -> None:
        super().__init__()
        self.picture = QLabel()
        self.picture.setPixmap(theme.icon(icon, "note").pixmap(48, 48))
        self.title = QLabel()
        self.title.setFont(theme.font("title", bold=True))
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.explanation.setStyleSheet(theme.note_style())
        self.action = QPushButton()
        self.action.hide()
        self._do: Callable[[], object] | None = None
        self.action.clicked.connect(lambda: self._do() if self._do is not None else None)
        column = QVBoxLayout(self)
        column.addStretch(1)
        for part in (self.picture, self.title, self.explanation, self.action):
            column.addWidget(part, 0, Qt.AlignmentFlag.AlignHCenter)
            if isinstance(part, QLabel):
                part.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        column.addStretch(2)

    def say(self, title: str, explanation: str, action: tuple[str, Callable[[], object]] | None = None) -> None:
        self.title.setText(title)
        self.explanation.setText(explanation)
        width = 480  # a word-wrapped label centred in a layout gets one line's height: size it for its text
        self.explanation.setFixedWidth(width)
        self.explanation.setFixedHeight(self.explanation.heightForWidth(width))
        if action is None:
            self._do = None
            self.action.hide()
        else:
            self.action.setText(action[0])
            self._do = action[1]
            self.action.show()


class WithEmptyState(QStackedWidget):
    """``content`` while there is something to show, the empty state while there is not."""

    def __init__(self, content: QWidget, icon: str = "inbox") -> None:
        super().__init__()
        self.content = content
        self.empty = EmptyState(icon)
        self.addWidget(content)
        self.addWidget(self.empty)

    def show_content(self) -> None:
        self.setCurrentWidget(self.content)

    def show_empty(self, title: str, explanation: str, action: tuple[str, Callable[[], object]] | None = None) -> None:
        self.empty.say(title, explanation, action)
        self.setCurrentWidget(self.empty)

    def is_empty(self) -> bool:
        return self.currentWidget() is self.empty


def paint_empty_words(view: QAbstractItemView, words: str) -> None:
    """In an item view's paintEvent: with no rows, what an empty list means here, in its middle."""
    model = view.model()
    if not words or model is None or model.rowCount():
        return
    painter = QPainter(view.viewport())
    painter.setPen(theme.colour("note"))
    area = view.viewport().rect().adjusted(24, 24, -24, -24)
    painter.drawText(area, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, words)
    painter.end()
