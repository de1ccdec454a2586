"""Small pieces the Supervision tabs share: a read-only table, a figure in words, the order trace dialog."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from orderdesk.app.services.browser import OrderBrowser
from orderdesk.app.ui import theme
from orderdesk.app.ui.order_detail import OrderDetail
from orderdesk.sync.cache import Cache

ROW_KEY = Qt.ItemDataRole.UserRole


def table(headers: Sequence[str], name: str = "") -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(list(headers))
    t.verticalHeader().hide()
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    t.horizontalHeader().setStretchLastSection(True)
    if name:
        t.setObjectName(name)
    return t


def fill(t: QTableWidget, rows: Sequence[Sequence[Any]], keys: Sequence[Any] | None = None,
         alerts: Sequence[bool] | None = None) -> None:  # fmt: skip
    """Rows of cells; ``keys`` ride on every cell (ROW_KEY); ``alerts`` colour a row as a problem."""
    t.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem("" if value is None else str(value))
            if isinstance(value, int | float) and not isinstance(value, bool):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if keys is not None:
                item.setData(ROW_KEY, keys[r])
            if alerts is not None and alerts[r]:
                item.setBackground(theme.colour("problem"))
            t.setItem(r, c, item)


def chosen_key(t: QTableWidget) -> Any:
    rows = t.selectionModel().selectedRows()
    return rows[0].data(ROW_KEY) if rows else None


def percent(x: float | None, digits: int = 2) -> str:
    return "—" if x is None else f"{100 * x:.{digits}f}%"


def yuan(fen: int) -> str:
    return f"{fen / 100:,.2f}"


class OrderTrace(QDialog):
    """One order's full trace (the Orders workspace's detail: overview, timeline, observations, audit)."""

    def __init__(self, cache: Cache, order_id: int, parent: QWidget, why: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Order trace"))
        self.why = QLabel(self.tr("Why it is here: {why}").format(why=why) if why else "")
        self.why.setObjectName("trace_why")
        self.why.setWordWrap(True)
        self.why.setStyleSheet(theme.error_style())
        self.setObjectName("order_trace")
        self.detail = OrderDetail(OrderBrowser(cache, full_contact=False))
        self.detail.show_order(order_id)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.why)
        layout.addWidget(self.detail, 1)
        layout.addWidget(buttons)
        self.resize(900, 600)
