"""The orders table's model: the ordered ids of every matching order, and rows fetched a window at a
time (one query per 200 rows, the last 64 windows kept). No proxy model ever walks the cache."""

from __future__ import annotations

from array import array
from collections import OrderedDict
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush

from orderdesk.app.services.browser import OrderBrowser, OrderRow
from orderdesk.app.ui import theme
from orderdesk.app.ui.words import channel_label, fulfilment_text, refund_label
from orderdesk.sync.china_time import shown

WINDOW = 200
KEPT_WINDOWS = 64
ANOMALY_BRUSH = QBrush(theme.colour("anomaly_row"))
# Columns a click on the header sorts by (in SQL, app/services/browser.py); the rest do not sort.
SORT_KEYS = {0: "domain_id", 1: "channel", 2: "channel_order_no", 3: "created", 4: "receiver", 6: "address",
             7: "fulfilment", 8: "refund", 9: "anomalies", 10: "waybill"}  # fmt: skip
_Index = QModelIndex | QPersistentModelIndex


class OrdersModel(QAbstractTableModel):
    sort_requested = Signal(str, bool)  # sort key, descending: the page queries the ids again

    def __init__(self, browser: OrderBrowser) -> None:
        super().__init__()
        self.browser = browser
        self.full_contact = browser.full_contact
        self.ids: array[int] = array("q")
        self._windows: OrderedDict[int, dict[int, OrderRow]] = OrderedDict()
        self.windows_fetched = 0  # for tests and benchmarks: how many queries the view caused
        self.headers = [
            self.tr("Unified id"), self.tr("Channel"), self.tr("Channel order no."), self.tr("Created (China time)"),
            self.tr("Receiver"), self.tr("Phone"), self.tr("Address"), self.tr("Fulfilment"), self.tr("Refund"),
            self.tr("Anomalies"), self.tr("Waybill no."), self.tr("Label"),
        ]  # fmt: skip

    # -- data -------------------------------------------------------------------------------------
    def set_ids(self, ids: array[int]) -> None:
        self.beginResetModel()
        self.ids = ids
        self._windows.clear()
        self.endResetModel()

    def extend(self, more: array[int]) -> None:
        """Ids that follow the ones shown (the rest of a result whose first screenful came first)."""
        if more:
            self.beginInsertRows(QModelIndex(), len(self.ids), len(self.ids) + len(more) - 1)
            self.ids.extend(more)
            self.endInsertRows()

    def refresh(self) -> None:
        """The rows may have changed (a sync, a print): fetch them again when next shown."""
        self._windows.clear()
        if self.ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.ids) - 1, len(self.headers) - 1))

    def row_at(self, row: int) -> OrderRow | None:
        if not 0 <= row < len(self.ids):
            return None
        window = row // WINDOW
        rows = self._windows.get(window)
        if rows is None:
            ids = self.ids[window * WINDOW : (window + 1) * WINDOW]
            rows = self.browser.rows(ids)
            self.windows_fetched += 1
            self._windows[window] = rows
            if len(self._windows) > KEPT_WINDOWS:
                self._windows.popitem(last=False)
        else:
            self._windows.move_to_end(window)
        return rows.get(self.ids[row])

    # -- Qt ---------------------------------------------------------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_KEYS.get(column)
        if key is not None:
            self.sort_requested.emit(key, order == Qt.SortOrder.DescendingOrder)

    def row_of(self, order_id: int) -> int | None:
        """Where an order is in the current result (a scan of the id array: ~1 ms per 100,000)."""
        try:
            return self.ids.index(order_id)
        except ValueError:
            return None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole):
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return ANOMALY_BRUSH if row.anomaly_count else None
        return self._text(row, index.column())

    def _text(self, row: OrderRow, column: int) -> str:
        match column:
            case 0:
                return row.domain_id
            case 1:
                return channel_label(row.channel)
            case 2:
                return row.channel_order_no
            case 3:
                return shown(row.created_at_ms)
            case 4:
                return row.receiver_name
            case 5:
                return row.receiver_phone
            case 6:
                return row.address
            case 7:
                return fulfilment_text(row.fulfilment, row.cancelled)
            case 8:
                return refund_label(row.refund)
            case 9:
                return str(row.anomaly_count) if row.anomaly_count else ""
            case 10:
                return row.waybill_no
            case _:
                return self.tr("printed") if row.printed else ""
