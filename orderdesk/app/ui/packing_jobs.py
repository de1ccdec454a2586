"""The station's print jobs, each with its own order: queued, printing, printed, failed or refused.
Failed and refused ones stay in view (across restarts too) until they are printed or a person
dismisses them; a result always lands on its own job's line, whatever was scanned since."""

from __future__ import annotations

import time
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QPaintEvent
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from orderdesk.app.ui import theme
from orderdesk.app.ui.empty_state import paint_empty_words
from orderdesk.sync.china_time import clock

KEPT_DONE = 20  # printed jobs stay listed for reference, the newest this many
JOB_ROLE = Qt.ItemDataRole.UserRole


@dataclass
class JobLine:
    order: str
    state: str  # queued | printing | done | failed | refused | skipped
    job: int | None = None
    detail: str = ""
    retryable: bool = True  # a failed job F5 can send again (else a printer setting must change first)
    note: str = ""  # what stays said whatever the state: a reprint and its reason
    failures: int = 0  # how often it failed so far (a retry that fails again says so)

    @property
    def open(self) -> bool:
        """Still needs a person: failed, refused, or never confirmed."""
        return self.state in ("failed", "refused")


class JobsPanel(QListWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setFont(theme.font("station_small"))
        self.setWordWrap(True)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # the scan box keeps the keyboard
        self.empty_words = self.tr("No print job yet in this shift: scan an order, Enter prints its label.")

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        paint_empty_words(self, self.empty_words)

    def add(self, line: JobLine) -> QListWidgetItem:
        item = QListWidgetItem()
        self.insertItem(0, item)  # newest on top
        self.show_line(item, line)
        self._trim()
        return item

    def line(self, item: QListWidgetItem) -> JobLine:
        return item.data(JOB_ROLE)

    def show_line(self, item: QListWidgetItem, line: JobLine) -> None:
        item.setData(JOB_ROLE, line)
        words = {
            "queued": self.tr("waiting for the printer"),
            "printing": self.tr("printing…"),
            "done": self.tr("printed"),
            "failed": self.tr("failed"),
            "refused": self.tr("not printed"),
            "skipped": self.tr("not printed: the next order was scanned"),
        }[line.state]
        if line.state == "failed" and line.failures > 1:
            words = self.tr("failed {times} times, last at {at}").format(times=line.failures, at=clock(time.time()))
        job = self.tr("job {job}").format(job=line.job) if line.job is not None else ""
        item.setText("  ·  ".join(part for part in (line.order, job, line.note, words, line.detail) if part))
        brush = {"done": "ok", "failed": "error", "refused": "error", "skipped": "warning"}.get(line.state)
        item.setForeground(QBrush(theme.colour(brush)) if brush else QBrush())

    def all_items(self) -> list[QListWidgetItem]:
        return [self.item(row) for row in range(self.count())]

    def open_lines(self) -> list[QListWidgetItem]:
        return [item for item in self.all_items() if self.line(item).open]

    def newest_failed(self) -> QListWidgetItem | None:
        """The selected failed job F5 can retry, else the newest one."""

        def retryable(item: QListWidgetItem) -> bool:
            line = self.line(item)
            return line.state == "failed" and line.retryable

        selected = [i for i in self.selectedItems() if retryable(i)]
        failed = selected or [i for i in self.all_items() if retryable(i)]
        return failed[0] if failed else None

    def settle(self, order: str) -> None:
        """``order`` is printed now (or looked at again): its failed, refused and skipped lines are done
        with."""
        for item in self.all_items():
            line = self.line(item)
            if line.order == order and (line.open or line.state == "skipped"):
                self.takeItem(self.row(item))

    def queued_or_printing(self, order: str) -> bool:
        return any(self.line(i).order == order and self.line(i).state in ("queued", "printing")
                   for i in self.all_items())  # fmt: skip

    def remove(self, item: QListWidgetItem) -> None:
        self.takeItem(self.row(item))

    def _trim(self) -> None:
        done = [i for i in self.all_items() if self.line(i).state == "done"]
        for item in done[KEPT_DONE:]:
            self.takeItem(self.row(item))
