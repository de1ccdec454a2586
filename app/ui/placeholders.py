"""Workspaces whose work lands with later issues: they say what is coming, not nothing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class ComingPage(QWidget):
    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        heading = QLabel(f"<h2>{title}</h2>")
        body = QLabel(text)
        body.setWordWrap(True)
        body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(body, 1)


class SupervisionPage(ComingPage):
    def __init__(self) -> None:
        super().__init__(
            self.tr("Supervision"),
            self.tr(
                "Coming with the insights work: the consistency dashboard (order, logistics and finance agree?), "
                "the health score, the daily report and channel status mapping edits. Today: filter Orders by "
                "open anomalies and open an order to read its full chain."
            ),
        )
