"""The rare-character handling queue: a batch scan of recent orders (in a worker thread, with a
cancellable progress dialog) finds the labels that will not print as written; a packer or a
supervisor takes them one by one (Enter or a double click opens the order at the station)."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressDialog,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from orderdesk.app.services.packing import PackingStation
from orderdesk.app.ui import theme
from orderdesk.app.ui.errors import log, message_for
from orderdesk.app.ui.i18n import language
from orderdesk.app.ui.lifetimes import KeptTasks
from orderdesk.printing.profiles import load_profile, profile_names


class RareQueueTab(QWidget):
    take = Signal(str)  # an order to open at the station
    changed = Signal(int)  # open entries now

    def __init__(self, station: PackingStation, scan_days: float) -> None:
        super().__init__()
        self.station = station
        self.scan_days = scan_days
        self.tasks = KeptTasks()
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([self.tr("Order"), self.tr("Receiver"), self.tr("Printer"),
                                              self.tr("Characters")])  # fmt: skip
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.cellActivated.connect(self._take)
        self.table.cellDoubleClicked.connect(self._take)
        self.scan_button = QPushButton(self.tr("Scan for rare characters"))
        self.scan_button.clicked.connect(lambda: self.tasks.start(self.run_batch_scan()))
        self.days = QSpinBox()
        self.days.setRange(1, 365)
        self.days.setValue(int(scan_days))
        self.days.setPrefix(self.tr("orders of the last "))
        self.days.setSuffix(self.tr(" days"))
        self.days.valueChanged.connect(lambda value: setattr(self, "scan_days", float(value)))
        self.message = QLabel()
        self.message.setWordWrap(True)
        hint = QLabel(self.tr("Labels that will not print as written. Enter or a double click opens one at the "
                              "station."))  # fmt: skip
        hint.setWordWrap(True)
        hint.setStyleSheet(theme.note_style())
        row = QHBoxLayout()
        row.addWidget(self.scan_button)
        row.addWidget(self.days)
        row.addStretch(1)
        column = QVBoxLayout(self)
        column.addWidget(hint)
        column.addLayout(row)
        column.addWidget(self.message)
        column.addWidget(self.table)

    def refresh(self) -> None:
        entries = self.station.handling_queue()
        self.table.setRowCount(len(entries))
        for r, entry in enumerate(entries):
            what = ", ".join(f"{s['char']}→{s['replacement']}" for s in entry["substitutions"])
            profile = (
                load_profile(entry["profile"]).title(language())
                if entry["profile"] in profile_names()
                else entry["profile"]
            )
            for c, text in enumerate((entry["order"], entry.get("receiver") or "", profile, what)):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.changed.emit(len(entries))

    def _take(self, row: int, _column: int) -> None:
        item = self.table.item(row, 0)
        if item is not None:
            self.take.emit(item.text())

    async def run_batch_scan(self) -> tuple[int, int, bool]:
        """Scan recent orders in a worker thread with a cancellable progress dialog.
        Returns (orders scanned, findings, cancelled)."""
        cancel = threading.Event()
        progress = QProgressDialog(self.tr("Scanning recent orders…"), self.tr("Cancel"), 0, 0, self)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.canceled.connect(cancel.set)
        progress.show()
        self.scan_button.setEnabled(False)
        try:
            # the verdict on cancelling is taken before the dialog closes: closing it says "canceled" too
            scanned, found, cancelled = await self.station.scan_recent(self.scan_days, cancel)
        except Exception as exc:  # said in words; the details go to the log
            log.exception("batch scan failed")
            self.message.setStyleSheet(theme.error_style())
            self.message.setText(message_for(exc))
            return 0, 0, False
        finally:
            progress.canceled.disconnect(cancel.set)
            progress.close()
            progress.deleteLater()
            self.scan_button.setEnabled(True)
        self.message.setStyleSheet("")
        if cancelled:
            self.message.setText(self.tr("Scan cancelled after {count} orders: nothing was queued.").format(
                count=f"{scanned:,}"))  # fmt: skip
        elif found == 0:
            self.message.setText(self.tr("{count} orders of the last {days} days scanned: every label prints "
                                         "as written.").format(count=f"{scanned:,}", days=f"{self.scan_days:g}"))  # fmt: skip
        else:
            self.message.setText(self.tr("{count} orders scanned, {found} need attention.").format(
                count=f"{scanned:,}", found=found))  # fmt: skip
        self.refresh()
        return scanned, found, cancelled
