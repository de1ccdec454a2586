"""The packing station: large type, keyboard only. Scan (a keyboard-wedge scanner types the code and
Enter) → the order and its label preflight at once, substitutions highlighted → Enter prints →
printed and reported. A reprint asks for a reason; a failed printer says what happened, F5 retries.
The second tab is the rare-character handling queue the batch scan fills."""

from __future__ import annotations

import asyncio
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont, QImage, QKeyEvent, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressDialog,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.packing import PackingStation, Scanned
from app.ui.errors import message_for
from app.ui.i18n import pick
from printing import scan
from printing.errors import PrintingError
from printing.jobs import JobOutcome
from sync.text_rules import visible

if TYPE_CHECKING:
    from PIL import Image

BIG = QFont()
BIG.setPointSize(20)
HUGE = QFont()
HUGE.setPointSize(26)
HUGE.setBold(True)


def field_label(field: str) -> str:
    translate = QCoreApplication.translate
    labels = {
        "receiver_name": translate("Field", "Receiver"),
        "receiver_phone": translate("Field", "Receiver's phone"),
        "receiver_address": translate("Field", "Address"),
        "sender_name": translate("Field", "Sender"),
        "sender_phone": translate("Field", "Sender's phone"),
        "sender_address": translate("Field", "Sender's address"),
        "items": translate("Field", "Items"),
        "carrier": translate("Field", "Carrier"),
        "waybill_no": translate("Field", "Waybill no."),
        "domain_id": translate("Field", "Unified id"),
        "channel_order_no": translate("Field", "Channel order no."),
        "buyer_note": translate("Field", "Buyer's note"),
        "print_time": translate("Field", "Print time"),
    }
    return labels.get(field, field)


def to_pixmap(image: Image.Image, height: int) -> QPixmap:
    grey = image.convert("L")
    qimage = QImage(grey.tobytes(), grey.width, grey.height, grey.width, QImage.Format.Format_Grayscale8).copy()
    return QPixmap.fromImage(qimage).scaledToHeight(height, Qt.TransformationMode.SmoothTransformation)


class PackingPage(QWidget):
    printed = Signal(int)  # job id: the main window syncs to report it

    def __init__(self, station: PackingStation, *, scan_days: float = 7.0) -> None:
        super().__init__()
        self.station = station
        self.scan_days = scan_days
        self.current: Scanned | None = None
        self.failed_job: int | None = None
        self.busy: asyncio.Task[None] | None = None
        self.scan_box = QLineEdit()
        self.scan_box.setFont(HUGE)
        self.scan_box.setPlaceholderText(self.tr("Scan a barcode: unified id, channel order no. or waybill no."))
        self.scan_box.returnPressed.connect(self._enter)
        self.summary = QLabel(self.tr("Scan an order to begin."))
        self.summary.setFont(BIG)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.checks = QListWidget()
        self.checks.setFont(BIG)
        self.checks.setWordWrap(True)
        self.message = QLabel()
        self.message.setFont(BIG)
        self.message.setWordWrap(True)
        self.preview = QLabel()
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.print_button = QPushButton(self.tr("Print (Enter)"))
        self.retry_button = QPushButton(self.tr("Retry (F5)"))
        self.clear_button = QPushButton(self.tr("Clear (Esc)"))
        for button in (self.print_button, self.retry_button, self.clear_button):
            button.setFont(BIG)
        self.print_button.clicked.connect(self.print_current)
        self.retry_button.clicked.connect(self.retry_failed)
        self.clear_button.clicked.connect(self.clear)
        left = QVBoxLayout()
        left.addWidget(self.scan_box)
        left.addWidget(self.summary)
        left.addWidget(self.checks, 1)
        left.addWidget(self.message)
        buttons = QHBoxLayout()
        for button in (self.print_button, self.retry_button, self.clear_button):
            buttons.addWidget(button)
        left.addLayout(buttons)
        station_tab = QWidget()
        row = QHBoxLayout(station_tab)
        row.addLayout(left, 3)
        row.addWidget(self.preview, 2)
        self.queue = QTableWidget(0, 3)
        self.queue.setHorizontalHeaderLabels([self.tr("Order"), self.tr("Printer profile"), self.tr("Characters")])
        self.queue.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.queue.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.queue.horizontalHeader().setStretchLastSection(True)
        self.queue.cellActivated.connect(self._take_from_queue)
        self.scan_button = QPushButton(self.tr("Scan recent orders for rare characters"))
        self.scan_button.clicked.connect(lambda: asyncio.ensure_future(self.run_batch_scan()))
        queue_tab = QWidget()
        column = QVBoxLayout(queue_tab)
        column.addWidget(self.scan_button)
        column.addWidget(self.queue)
        self.tabs = QTabWidget()
        self.tabs.addTab(station_tab, self.tr("Scan and print"))
        self.tabs.addTab(queue_tab, self.tr("Rare-character queue"))
        QVBoxLayout(self).addWidget(self.tabs)
        self._update_buttons()
        self.refresh_queue()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """F5 retries, Esc clears: keys the scan box does not use reach the page."""
        if event.key() == Qt.Key.Key_F5:
            self.retry_failed()
        elif event.key() == Qt.Key.Key_Escape:
            self.clear()
        else:
            super().keyPressEvent(event)

    # -- scanning ---------------------------------------------------------------------------------
    def _enter(self) -> None:
        code = self.scan_box.text().strip()
        if code:
            self.look_up(code)
        elif self.current is not None:
            self.print_current()

    def look_up(self, code: str) -> None:
        self.scan_box.clear()
        self.failed_job = None
        try:
            found = self.station.look_up(code)
        except PrintingError as exc:
            self.current = None
            self.summary.setText(pick(exc.zh, exc.en))
            self.checks.clear()
            self.preview.clear()
            self.message.clear()
            self._update_buttons()
            return
        self.show_scanned(found)

    def show_scanned(self, found: Scanned) -> None:
        self.current = found
        receiver = found.document["receiver"]
        self.summary.setText(
            f"{found.domain_id}\n{receiver['name']}  ·  {receiver['province']}{receiver['city']}{receiver['district']}"
        )
        self.checks.clear()
        checked = found.label.preflight
        for s in checked.substitutions:
            how = {"font": self.tr("printed in the fallback font {font}").format(font=s.font or ""),
                   "pinyin": self.tr("printed as pinyin {text}").format(text=s.replacement),
                   "marker": self.tr("printed as the marker {text}").format(text=s.replacement),
                   "removed": self.tr("left out: an invisible character")}[s.method]  # fmt: skip
            item = QListWidgetItem(f"{field_label(s.field)}: {visible(s.char)} ({s.codepoint}) — {how}")
            item.setBackground(Qt.GlobalColor.yellow if s.method not in ("font", "removed") else Qt.GlobalColor.cyan)
            self.checks.addItem(item)
        for p in checked.problems:
            item = QListWidgetItem(pick(p.zh, p.en))
            item.setBackground(Qt.GlobalColor.red)
            self.checks.addItem(item)
        if not checked.substitutions and not checked.problems:
            self.checks.addItem(QListWidgetItem(self.tr("Every character prints as written.")))
        self.preview.setPixmap(to_pixmap(found.label.preview(), 520))
        if found.printed_by is not None:
            self.message.setText(self.tr("Already printed by job {job}: printing again asks for a reason.").format(
                job=found.printed_by))  # fmt: skip
        else:
            self.message.setText(self.tr("Press Enter to print."))
        self._update_buttons()

    # -- printing ---------------------------------------------------------------------------------
    def print_current(self) -> None:
        if self.current is None or (self.busy and not self.busy.done()):
            return
        reason = None
        if self.current.printed_by is not None:
            reason, ok = QInputDialog.getText(self, self.tr("Reprint"), self.tr("Why is this label printed again?"))
            if not ok or not reason.strip():
                self.message.setText(self.tr("Not reprinted: a reason is needed."))
                return
        scanned = self.current
        self.busy = asyncio.ensure_future(self._run(lambda: self.station.print(scanned, reason=reason)))

    def retry_failed(self) -> None:
        if self.failed_job is None or (self.busy and not self.busy.done()):
            return
        job = self.failed_job
        self.busy = asyncio.ensure_future(self._run(lambda: self.station.retry(job)))

    async def _run(self, work: object) -> None:
        self.message.setText(self.tr("Printing…"))
        self._update_buttons(printing=True)
        try:
            outcome: JobOutcome = await asyncio.to_thread(work)  # type: ignore[arg-type]
        except PrintingError as exc:
            self.message.setText(pick(exc.zh, exc.en))
            self._update_buttons()
            return
        if outcome.state == "done":
            self.failed_job = None
            self.message.setText(self.tr("Printed: job {job} → {where}").format(job=outcome.job_id,
                                                                              where=outcome.delivered_to))  # fmt: skip
            self.message.setStyleSheet("color: #1b5e20")
            if self.current is not None:
                self.current = Scanned(
                    self.current.domain_id, self.current.document, self.current.label, outcome.job_id
                )
            self.printed.emit(outcome.job_id)
            self.refresh_queue()
        else:
            self.failed_job = outcome.job_id
            self.message.setText(self.tr("Job {job} failed: {error} — F5 retries the same label.").format(
                job=outcome.job_id, error=pick(outcome.error_zh, outcome.error)))  # fmt: skip
            self.message.setStyleSheet("color: #b00020")
        self._update_buttons()
        self.scan_box.setFocus()

    def clear(self) -> None:
        self.current = None
        self.failed_job = None
        self.summary.setText(self.tr("Scan an order to begin."))
        self.checks.clear()
        self.preview.clear()
        self.message.clear()
        self.message.setStyleSheet("")
        self.scan_box.clear()
        self.scan_box.setFocus()
        self._update_buttons()

    def _update_buttons(self, *, printing: bool = False) -> None:
        self.print_button.setEnabled(self.current is not None and not printing)
        self.retry_button.setEnabled(self.failed_job is not None and not printing)

    # -- the rare-character queue -------------------------------------------------------------------
    def refresh_queue(self) -> None:
        entries = self.station.handling_queue()
        self.queue.setRowCount(len(entries))
        for r, entry in enumerate(entries):
            what = ", ".join(f"{s['char']}→{s['replacement']}" for s in entry["substitutions"])
            for c, text in enumerate((entry["order"], entry["profile"], what)):
                self.queue.setItem(r, c, QTableWidgetItem(text))
        self.tabs.setTabText(1, self.tr("Rare-character queue ({count})").format(count=len(entries)))

    def _take_from_queue(self, row: int, _column: int) -> None:
        item = self.queue.item(row, 0)
        if item is not None:
            self.tabs.setCurrentIndex(0)
            self.look_up(item.text())

    async def run_batch_scan(self) -> tuple[int, int, bool]:
        """Scan recent orders in a worker thread with a cancellable progress dialog.
        Returns (orders scanned, findings, cancelled)."""
        cancel = threading.Event()
        progress = QProgressDialog(self.tr("Scanning recent orders…"), self.tr("Cancel"), 0, 0, self)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.canceled.connect(cancel.set)
        progress.show()
        profile = self.station.printer.profile

        def work() -> tuple[int, list[scan.Finding]]:
            with self.station.cache.read() as c:
                return scan.find(c, profile, days=self.scan_days, on_progress=lambda n: not cancel.is_set())

        try:
            scanned, findings = await asyncio.to_thread(work)
            cancelled = cancel.is_set()
            if not cancelled:
                await asyncio.to_thread(scan.enqueue, self.station.cache, profile, findings)
        except Exception as exc:  # shown in words; the details go to the log
            progress.close()
            self.message.setText(message_for(exc))
            raise
        progress.close()
        self.refresh_queue()
        return scanned, len(findings), cancelled
