"""Pieces of the Inventory workspace: the pools of a SKU as water levels (one bar, a segment per pool,
its width the pool's share), the same bar painted in the SKU list, and the small tables beside it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from orderdesk.app.services.inventory import POOL_ORDER, pool_words
from orderdesk.app.ui import theme
from orderdesk.app.ui.i18n import pick

LEVELS = Qt.ItemDataRole.UserRole + 1


def paint_levels(painter: QPainter, area: QRect, totals: dict[str, int]) -> None:
    """A bar split by pool, each segment as wide as the pool's share of everything held."""
    whole = sum(max(0, int(totals.get(p, 0))) for p in POOL_ORDER)
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(theme.colour("bar_track"))
    painter.drawRect(area)
    x = area.left()
    for pool in POOL_ORDER:
        units = max(0, int(totals.get(pool, 0)))
        if not units or not whole:
            continue
        width = max(2, round(area.width() * units / whole))
        painter.setBrush(theme.colour(f"pool_{pool}"))
        painter.drawRect(QRect(x, area.top(), min(width, area.right() - x + 1), area.height()))
        x += width
    painter.restore()


class LevelsDelegate(QStyledItemDelegate):
    """The SKU list's water-level column: the bar of the row's totals (kept in the LEVELS role)."""

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().paint(painter, option, index)
        totals = index.data(LEVELS)
        if isinstance(totals, dict):
            paint_levels(painter, option.rect.adjusted(4, 6, -4, -6), totals)


class PoolLevels(QWidget):
    """One warehouse's pools: the bar, and under it each pool's name and units in its colour."""

    def __init__(self, warehouse: str, pools: dict[str, int]) -> None:
        super().__init__()
        self.pools = {p: int(pools.get(p, 0)) for p in POOL_ORDER}
        self.bar = _Bar(self.pools)
        legend = QHBoxLayout()
        for pool in POOL_ORDER:
            name = pick(*pool_words(pool))
            label = QLabel(
                f"<span style='color:{theme.colour(f'pool_{pool}').name()}'>■</span> {name} <b>{self.pools[pool]:,}</b>"
            )
            label.setObjectName(f"pool_{pool}")
            legend.addWidget(label)
        legend.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(QLabel(f"<b>{warehouse}</b>"))
        column.addWidget(self.bar)
        column.addLayout(legend)


class _Bar(QWidget):
    def __init__(self, pools: dict[str, int]) -> None:
        super().__init__()
        self.pools = pools
        self.setMinimumHeight(22)

    def sizeHint(self) -> QSize:
        return QSize(320, 22)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        paint_levels(painter, self.rect().adjusted(0, 2, -1, -2), self.pools)
        painter.end()


def small_table(headers: Sequence[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def fill(table: QTableWidget, rows: Sequence[Sequence[Any]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem(f"{value:,}" if isinstance(value, int) else str(value))
            if isinstance(value, int):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)
