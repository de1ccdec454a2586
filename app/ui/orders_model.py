"""The orders table's model: the ordered ids of every matching order, and rows fetched a window at a
time (one query per 200 rows, the last 64 windows kept). No proxy model ever walks the cache."""

from __future__ import annotations

from array import array
from collections import OrderedDict
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.services.browser import OrderRow, fetch_rows
from app.ui.i18n import pick
from sync.cache import Cache
from sync.states import FULFILMENT_LABELS, Fulfilment

WINDOW = 200
KEPT_WINDOWS = 64
ANOMALY_BRUSH = QBrush(QColor("#fdecea"))
_Index = QModelIndex | QPersistentModelIndex


class OrdersModel(QAbstractTableModel):
    def __init__(self, cache: Cache, *, full_contact: bool) -> None:
        super().__init__()
        self.cache = cache
        self.full_contact = full_contact
        self.ids: array[int] = array("q")
        self._windows: OrderedDict[int, dict[int, OrderRow]] = OrderedDict()
        self.windows_fetched = 0  # for tests and benchmarks: how many queries the view caused
        self.headers = [
            self.tr("Unified id"), self.tr("Channel"), self.tr("Channel order no."), self.tr("Created"),
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
            with self.cache.read() as c:
                rows = fetch_rows(c, ids, full_contact=self.full_contact)
            self.windows_fetched += 1
            self._windows[window] = rows
            if len(self._windows) > KEPT_WINDOWS:
                self._windows.popitem(last=False)
        else:
            self._windows.move_to_end(window)
        return rows.get(self.ids[row])

    # -- Qt ---------------------------------------------------------------------------------------
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
                return datetime.fromtimestamp(row.created_at_ms / 1000).strftime("%Y-%m-%d %H:%M")
            case 4:
                return row.receiver_name
            case 5:
                return row.receiver_phone
            case 6:
                return row.address
            case 7:
                if row.cancelled:
                    return self.tr("cancelled")
                return pick(*FULFILMENT_LABELS[Fulfilment(row.fulfilment)]) if row.fulfilment else "—"
            case 8:
                return refund_label(row.refund)
            case 9:
                return str(row.anomaly_count) if row.anomaly_count else ""
            case 10:
                return row.waybill_no
            case _:
                return self.tr("printed") if row.printed else ""


def channel_label(channel: str) -> str:
    translate = QCoreApplication.translate
    labels = {
        "taobao": translate("Channel", "Taobao"),
        "douyin": translate("Channel", "Douyin"),
        "pdd": translate("Channel", "Pinduoduo"),
        "wechat_channels": translate("Channel", "WeChat Channels"),
        "youzan": translate("Channel", "Youzan"),
        "miniapp": translate("Channel", "Own mini-program"),
    }
    return labels.get(channel, channel)


def refund_label(refund: str | None) -> str:
    translate = QCoreApplication.translate
    labels = {
        "none": translate("Refund", "none"),
        "refunding": translate("Refund", "refunding"),
        "partially_refunded": translate("Refund", "partially refunded"),
        "refunded": translate("Refund", "refunded"),
    }
    return labels.get(refund or "", "")
