"""The packing station: large type, keyboard only. Scan (a keyboard-wedge scanner types the code and
Enter) → the order, its state and its label preflight at once → Enter prints → printed and reported.

The scan box has the keyboard whenever the station shows, and again after every question. Looking
an order up and printing run off the UI thread. Prints go through one queue, so scanning the next
parcel while a label prints is fine: each result lands on its own job's line and its own order.
A cancelled or fully refunded order is refused (a supervisor may override, with a reason); an order
already shipped asks first; a character that would print as an unreadable marker asks what to print
instead; a reprint asks why (preset reasons on 1–5). F5 retries a failed job, Delete dismisses it,
Esc clears. The second tab is the rare-character handling queue."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from orderdesk.app.services.packing import PackingStation, PrintRequest, Scanned
from orderdesk.app.ui import theme
from orderdesk.app.ui.errors import log, message_for
from orderdesk.app.ui.i18n import pick
from orderdesk.app.ui.packing_dialogs import ConfirmDialog, MarkersDialog, OverrideDialog, ReprintReasonDialog, ask
from orderdesk.app.ui.packing_jobs import JobLine, JobsPanel
from orderdesk.app.ui.packing_queue import RareQueueTab
from orderdesk.app.ui.packing_widgets import ScanBox, field_label, to_pixmap
from orderdesk.app.ui.words import fulfilment_text, refund_label
from orderdesk.printing.errors import PrintingError
from orderdesk.printing.jobs import JobOutcome
from orderdesk.sync.text_rules import visible

if TYPE_CHECKING:
    pass

PREVIEW_HEIGHT = 430


Work = Callable[[], JobOutcome]


class PackingPage(QWidget):
    printed = Signal(int)  # job id: the main window syncs to report it

    def __init__(self, station: PackingStation, *, scan_days: float = 7.0, may_override: bool = False) -> None:
        super().__init__()
        self.station = station
        self.may_override = may_override
        self.current: Scanned | None = None
        self.lookup: asyncio.Task[None] | None = None
        self.deciding: asyncio.Task[None] | None = None  # the questions before a print
        self._asking = False  # a question is open: Enter does not start a second one
        self._generation = 0
        self._queue: asyncio.Queue[tuple[Work, QListWidgetItem]] = asyncio.Queue()
        self._printer: asyncio.Task[None] | None = None
        self._pending = 0  # prints queued or under way
        big = theme.font(theme.STATION_POINTS)
        self.scan_box = ScanBox()
        self.scan_box.setFont(theme.font(theme.STATION_TITLE_POINTS, bold=True))
        self.scan_box.setPlaceholderText(self.tr("Scan: unified id, order no. or waybill no."))
        self.scan_box.returnPressed.connect(self._enter)
        self.summary = QLabel(self.tr("Scan an order to begin."))
        self.summary.setFont(big)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.state = QLabel()
        self.state.setFont(theme.font(theme.STATION_POINTS, bold=True))
        self.state.setWordWrap(True)
        self.items = QLabel()  # what goes in the box: lines, refunded ones marked
        self.items.setFont(theme.font("station_small"))
        self.items.setWordWrap(True)
        for label in (self.summary, self.state, self.items):  # a 300-character scan must not widen the window
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.checks = QListWidget()
        self.checks.setFont(theme.font("station_body"))
        self.checks.setWordWrap(True)
        self.checks.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.message = QLabel()
        self.message.setFont(big)
        self.message.setWordWrap(True)
        self.message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.print_button = QPushButton(self.tr("Print (Enter)"))
        self.retry_button = QPushButton(self.tr("Retry (F5)"))
        self.dismiss_button = QPushButton(self.tr("Dismiss (Del)"))
        self.clear_button = QPushButton(self.tr("Clear (Esc)"))
        buttons = QHBoxLayout()
        for button, slot in ((self.print_button, self.print_current), (self.retry_button, self.retry_failed),
                             (self.dismiss_button, self.dismiss_selected), (self.clear_button, self.clear)):  # fmt: skip
            button.setFont(theme.font("station_body"))
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # clicking never takes the keyboard from the scan box
            button.clicked.connect(slot)
            buttons.addWidget(button)
        self.preview = QLabel()
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.jobs = JobsPanel()
        self.jobs.itemSelectionChanged.connect(self._update_buttons)
        left = QVBoxLayout()
        left.addWidget(self.scan_box)
        left.addWidget(self.summary)
        left.addWidget(self.state)
        left.addWidget(self.items)
        left.addWidget(self.checks, 1)
        left.addWidget(self.message)
        left.addLayout(buttons)
        right = QVBoxLayout()
        right.addWidget(self.preview, 3)
        right.addWidget(QLabel(self.tr("Print jobs")))
        right.addWidget(self.jobs, 2)
        station_tab = QWidget()
        row = QHBoxLayout(station_tab)
        row.addLayout(left, 3)
        row.addLayout(right, 2)
        self.scan_box.retry.connect(self.retry_failed)
        self.scan_box.escape.connect(self.clear)
        self.scan_box.dismiss.connect(self.dismiss_selected)
        self.rare_queue = RareQueueTab(station, scan_days)
        self.rare_queue.take.connect(self._take_from_queue)
        self.rare_queue.changed.connect(
            lambda n: self.tabs.setTabText(1, self.tr("Rare-character queue ({count})").format(count=n))
        )
        self.tabs = QTabWidget()
        self.tabs.addTab(station_tab, self.tr("Scan and print"))
        self.tabs.addTab(self.rare_queue, self.tr("Rare-character queue"))
        self.tabs.currentChanged.connect(lambda index: index == 0 and self.focus_scan())
        QVBoxLayout(self).addWidget(self.tabs)
        self._update_buttons()
        self.rare_queue.refresh()
        for job in station.unfinished():  # failed or unconfirmed earlier: still to be printed or dismissed
            self.jobs.add(JobLine(job["domain_id"], "failed", job["id"], pick(job["error_zh"], job["error"])))
        self.jobs.scrollToTop()

    # -- focus and words ----------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.focus_scan()

    def focus_scan(self) -> None:
        if self.tabs.currentIndex() == 0:
            self.scan_box.setFocus(Qt.FocusReason.OtherFocusReason)

    def say(self, text: str, kind: str | None = None) -> None:
        """The message line, its colour reset every time (ok, error, warning or plain)."""
        self.message.setText(text)
        self.message.setStyleSheet(theme.text_style(kind) if kind else "")

    def idle(self) -> bool:
        """Nothing looked up, asked or printed right now (for tests and the journey scripts)."""
        return (self.lookup is None or self.lookup.done()) and self._pending == 0 and not self._asking

    # -- scanning -----------------------------------------------------------------------------------
    def _enter(self) -> None:
        code = self.scan_box.text().strip()
        if code:
            self.look_up(code)
        elif self.current is not None:
            self.print_current()

    def look_up(self, code: str) -> asyncio.Task[None]:
        self.scan_box.clear()
        self._generation += 1
        self.say(self.tr("Looking up {code}…").format(code=code))
        self.lookup = asyncio.ensure_future(self._look_up(code, self._generation))
        return self.lookup

    async def _look_up(self, code: str, generation: int) -> None:
        try:
            found = await asyncio.to_thread(self.station.look_up, code)
        except PrintingError as exc:
            if generation == self._generation:
                self._show_nothing(pick(exc.said), trouble=True)
            return
        except Exception as exc:  # a damaged order or a bug: said in words, the details logged
            log.exception("look-up of %s failed", code)
            if generation == self._generation:
                self._show_nothing(message_for(exc), trouble=True)
            return
        if generation == self._generation:  # a newer scan wins
            self.show_scanned(found)

    def _show_nothing(self, why: str, *, trouble: bool = False) -> None:
        self.current = None
        self.summary.setText(why)
        self.summary.setStyleSheet(theme.error_style() if trouble else "")
        if trouble:
            QApplication.beep()  # a packer looking at the parcel hears that the scan did not find it
        self.state.clear()
        self.items.clear()
        self.checks.clear()
        self.preview.clear()
        self.say("")
        self._update_buttons()

    def show_scanned(self, found: Scanned) -> None:
        before = self.current
        if (before is not None and before.domain_id != found.domain_id and before.printed_by is None
                and before.verdict.level != "refuse" and not self.jobs.queued_or_printing(before.domain_id)):  # fmt: skip
            self.jobs.add(JobLine(before.domain_id, "skipped"))  # scanned over without printing: said, not lost
        self.jobs.settle(found.domain_id) if found.printed_by is not None else None
        self.current = found
        self.summary.setStyleSheet("")
        d = found.document
        receiver = d["receiver"]
        self.summary.setText(f"{found.domain_id}\n{receiver['name']}  ·  "
                             f"{receiver['province']}{receiver['city']}{receiver['district']}")  # fmt: skip
        self._show_state(found)
        self.checks.clear()
        checked = found.label.preflight
        for s in checked.substitutions:
            how = {"font": self.tr("printed in the fallback font {font}").format(font=s.font or ""),
                   "pinyin": self.tr("printed as pinyin {text}").format(text=s.replacement),
                   "marker": self.tr("cannot print: would come out as the marker {text}").format(text=s.replacement),
                   "typed": self.tr("printed as typed: {text}").format(text=s.replacement),
                   "removed": self.tr("left out: an invisible character")}[s.method]  # fmt: skip
            item = QListWidgetItem(f"{field_label(s.field)}: {visible(s.char)} ({s.codepoint}) — {how}")
            colour = {"font": "fallback_font", "removed": "fallback_font", "marker": "problem"}.get(
                s.method, "substitution"
            )
            item.setBackground(theme.colour(colour))
            self.checks.addItem(item)
        for p in checked.problems:
            item = QListWidgetItem(pick(p.said))
            item.setBackground(theme.colour("problem"))
            self.checks.addItem(item)
        if not checked.substitutions and not checked.problems:
            self.checks.addItem(QListWidgetItem(self.tr("Every character prints as written.")))
        self.preview.setPixmap(to_pixmap(found.label.preview(), PREVIEW_HEIGHT))
        if found.verdict.level == "refuse":
            self.say(pick(found.verdict.said), "error")
        elif found.printed_by is not None:
            self.say(self.tr("Already printed by job {job}: printing again asks for a reason.").format(
                job=found.printed_by), "warning")  # fmt: skip
        elif checked.markers:
            self.say(self.tr("Some characters cannot print: Enter asks what to print instead."), "error")
        else:
            self.say(self.tr("Press Enter to print."))
        self._update_buttons()

    def _show_items(self, found: Scanned) -> None:
        parts = []
        for line in found.document.get("lines", []):
            text = f"{line['title']} ×{line['quantity']}"
            if line.get("refund") == "refunded":
                text = self.tr("{item} (refunded: do not pack)").format(item=text)
            elif line.get("refund") == "refunding":
                text = self.tr("{item} (refund requested)").format(item=text)
            parts.append(text)
        self.items.setText(self.tr("In the box: {items}").format(items="; ".join(parts)) if parts else "")

    def _show_state(self, found: Scanned) -> None:
        self._show_items(found)
        d = found.document
        parts = [fulfilment_text(d["fulfilment"], d["cancelled"])]
        if d["refund"] and d["refund"] != "none":
            parts.append(self.tr("refund: {state}").format(state=refund_label(d["refund"])))
        self.state.setText(" · ".join(parts))
        kind = {"refuse": "error", "confirm": "warning"}.get(found.verdict.level, "ok")
        self.state.setStyleSheet(theme.text_style(kind))

    # -- deciding and printing ------------------------------------------------------------------------
    def print_current(self) -> None:
        if self.current is None or self._asking or (self.lookup is not None and not self.lookup.done()):
            return
        self._asking = True
        self.deciding = asyncio.ensure_future(self._decide(self.current))

    async def _decide(self, scanned: Scanned) -> None:
        """Ask what has to be asked, then queue the print; nothing prints on a Cancel."""
        try:
            request = await self._questions(scanned)
        except PrintingError as exc:
            self.say(pick(exc.said), "error")
            request = None
        finally:
            self._asking = False
            self.focus_scan()
        if request is not None:
            self._queue_print(request)

    async def _questions(self, scanned: Scanned) -> PrintRequest | None:
        request = PrintRequest(scanned)
        v = scanned.verdict
        if v.level == "refuse":
            if not self.may_override:
                self.say(pick(v.said) + " " + self.tr("Only a supervisor may print it."), "error")
                return None
            dialog = OverrideDialog(self, pick(v.said))
            if not await ask(dialog):
                self.say(pick(v.said) + " " + self.tr("Not printed."), "error")
                return None
            request = PrintRequest(scanned, override=dialog.chosen())
        elif v.level == "confirm":
            if not await ask(ConfirmDialog(self, pick(v.said))):
                self.say(self.tr("Not printed."))
                return None
            request = PrintRequest(scanned, confirmed=True)
        markers = scanned.label.preflight.markers
        if markers:
            dialog = MarkersDialog(self, markers)
            if not await ask(dialog):
                self.say(self.tr("Not printed: the marker characters need a decision."), "error")
                return None
            if dialog.markers_accepted:
                request = PrintRequest(request.scanned, request.reason, request.override, request.confirmed, True)
            else:
                retyped = await asyncio.to_thread(self.station.retype, scanned, dialog.typed())
                if retyped.domain_id == (self.current.domain_id if self.current else None):
                    self.show_scanned(retyped)
                request = PrintRequest(retyped, request.reason, request.override, request.confirmed)
        if scanned.printed_by is not None:
            dialog = ReprintReasonDialog(self, scanned.domain_id, scanned.printed_by)
            if not await ask(dialog):
                self.say(self.tr("Not reprinted: a reason is needed."), "warning")
                return None
            request = PrintRequest(request.scanned, dialog.chosen(), request.override, request.confirmed,
                                   request.markers_accepted)  # fmt: skip
        return request

    def _queue_print(self, request: PrintRequest) -> None:
        note = self.tr("reprint: {reason}").format(reason=request.reason) if request.reason else ""
        if request.override:
            note = self.tr("override: {reason}").format(reason=request.override)
        self.jobs.settle(request.domain_id)
        item = self.jobs.add(JobLine(request.domain_id, "queued", note=note))
        self._submit(lambda: self.station.print(request), item)

    def retry_failed(self) -> None:
        item = self.jobs.newest_failed()
        if item is None:
            return
        line = self.jobs.line(item)
        job = line.job
        assert job is not None
        self.jobs.show_line(item, replace(line, state="queued"))
        self._submit(lambda: self.station.retry(job), item)

    def dismiss_selected(self) -> None:
        chosen = [i for i in self.jobs.selectedItems() if self.jobs.line(i).open] or self.jobs.open_lines()[:1]
        for item in chosen:
            line = self.jobs.line(item)
            if line.state == "failed" and line.job is not None:
                try:
                    self.station.dismiss(line.job)
                except PrintingError as exc:
                    self.say(pick(exc.said), "error")
                    continue
            self.jobs.remove(item)
            self.say(self.tr("{order}: set aside, not printed. Scan it again to print it later.").format(
                order=line.order))  # fmt: skip
        self._update_buttons()
        self.focus_scan()

    def _submit(self, work: Work, item: QListWidgetItem) -> None:
        self._pending += 1
        self._queue.put_nowait((work, item))
        if self._printer is None or self._printer.done():
            self._printer = asyncio.ensure_future(self._print_one_at_a_time())
        self._update_buttons()

    async def _print_one_at_a_time(self) -> None:
        while not self._queue.empty():
            work, item = self._queue.get_nowait()
            try:
                await self._print(work, item)
            finally:
                self._pending -= 1
                self._update_buttons()

    async def _print(self, work: Work, item: QListWidgetItem) -> None:
        line = self.jobs.line(item)
        self.jobs.show_line(item, replace(line, state="printing"))
        mine = self.current is not None and self.current.domain_id == line.order
        if mine:
            self.say(self.tr("Printing…"))
        try:
            outcome = await asyncio.to_thread(work)
        except Exception as exc:  # refused before it became a job, or a bug: said in words
            words = pick(exc.said) if isinstance(exc, PrintingError) else message_for(exc)
            if not isinstance(exc, PrintingError):
                log.exception("printing %s failed", line.order)
            self.jobs.show_line(item, replace(line, state="refused", detail=words))
            if self.current is not None and self.current.domain_id == line.order:
                self.say(words, "error")
            QApplication.beep()
            return
        self._landed(item, line.order, outcome)

    def _landed(self, item: QListWidgetItem, order: str, outcome: JobOutcome) -> None:
        """A job's result, on its own line and its own order, whatever is on screen now."""
        mine = self.current is not None and self.current.domain_id == order
        line = self.jobs.line(item)
        if outcome.state == "done":
            self.jobs.settle(order)
            where = pick(outcome.delivery.said) if outcome.delivery else outcome.delivered_to or ""
            if self.jobs.row(item) >= 0:
                self.jobs.remove(item)
            self.jobs.add(replace(line, state="done", job=outcome.job_id, detail=where))
            if mine and self.current is not None:
                self.current = Scanned(self.current.domain_id, self.current.document, self.current.label,
                                       outcome.job_id, self.current.verdict, self.current.typed)  # fmt: skip
                self.say(self.tr("Printed: job {job} — {where}").format(job=outcome.job_id, where=where), "ok")
            self.printed.emit(outcome.job_id)
            self.rare_queue.refresh()
        else:
            error = pick(outcome.error)
            QApplication.beep()
            self.jobs.show_line(item, replace(line, state="failed", job=outcome.job_id, detail=error,
                                              retryable=outcome.retryable, failures=line.failures + 1))  # fmt: skip
            if mine and outcome.retryable:
                self.say(self.tr("Job {job} failed: {error} — F5 retries the same label.").format(
                    job=outcome.job_id, error=error), "error")  # fmt: skip
            elif mine:
                self.say(self.tr("Job {job} failed: {error} — change the printer in Settings → Printers, then print "
                                 "again.").format(job=outcome.job_id, error=error), "error")  # fmt: skip
        self._update_buttons()

    def clear(self) -> None:
        self._generation += 1  # a look-up still running is not shown
        self._show_nothing(self.tr("Scan an order to begin."))
        self.scan_box.clear()
        self.focus_scan()

    def _update_buttons(self) -> None:
        self.print_button.setEnabled(self.current is not None)
        self.retry_button.setEnabled(self.jobs.newest_failed() is not None)
        self.dismiss_button.setEnabled(bool(self.jobs.open_lines()))

    def printer_changed(self) -> None:
        """Settings chose another printer or template: a label on screen was laid out for the old one,
        so it is looked up again (jobs already queued finish on the printer they were made for)."""
        self.rare_queue.refresh()
        if self.current is not None:
            self.look_up(self.current.domain_id)

    async def shutdown(self) -> None:
        """Questions still open are dropped; a look-up and the labels already queued finish first
        (their threads must not outlive the loop, and a label the packer asked for is printed)."""
        if self.deciding is not None and not self.deciding.done():
            self.deciding.cancel()
        for task in (self.lookup, self._printer):
            if task is not None:
                with contextlib.suppress(Exception):
                    await task

    # -- the rare-character queue ---------------------------------------------------------------------
    def _take_from_queue(self, order: str) -> None:
        self.tabs.setCurrentIndex(0)
        self.look_up(order)

    async def run_batch_scan(self) -> tuple[int, int, bool]:
        return await self.rare_queue.run_batch_scan()

    def refresh_queue(self) -> None:
        self.rare_queue.refresh()
