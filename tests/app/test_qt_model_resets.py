"""Regression: PySide6 6.12.0 on Python 3.11 aborts ("none_dealloc") after a few thousand model resets."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QTableView

Index = QModelIndex | QPersistentModelIndex


class _Rows(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[int] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        return self.rows[index.row()] if role == Qt.ItemDataRole.DisplayRole else None

    def replace(self, rows: list[int]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def append(self, value: int) -> None:
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows))
        self.rows.append(value)
        self.endInsertRows()


def test_five_thousand_model_resets_and_inserts_do_not_abort(qtbot):
    model = _Rows()
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    for cycle in range(5000):
        model.replace(list(range(cycle % 7)))
        model.append(cycle)
        assert model.index(model.rowCount() - 1, 0).data() == cycle
