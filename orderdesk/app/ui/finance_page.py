"""The Finance workspace (财务): the invoices the hub made from order state, by what a clerk must do
about them — fix buyer data (资料缺失), confirm or split a merge (待确认合并), see why one failed and
retry (开票中/失败), open the issued ones and red-letter them (已开票, 红冲), and the month's list for
Kingdee with the month lock (月度清单). Every action goes into the outbox: offline it waits there
(the status bar counts it) and goes with the next sync. Keyboard: Ctrl+PgUp/PgDn between tabs, Enter
on a row does the tab's main action."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from orderdesk.app.services.finance import (
    TAB_NAMES,
    FinanceDesk,
    Queued,
    fetch_figures,
    fetch_pdf,
    figures_words,
    state_words,
    totals,
)
from orderdesk.app.ui import theme
from orderdesk.app.ui.finance_widgets import BuyerForm, InvoiceTable, money, when
from orderdesk.app.ui.i18n import pick
from orderdesk.app.ui.lifetimes import KeptTasks
from orderdesk.invoicing.red_letter import REASON_LABELS, RedReason

log = logging.getLogger(__name__)


def _buyer(b: dict[str, Any]) -> str:
    return b["buyer"].get("title", "")


def _state(b: dict[str, Any]) -> str:
    return pick(*state_words(b))


def _reason(b: dict[str, Any]) -> str:
    reason = b.get("reason") or {}
    return pick(reason.get("zh"), reason.get("en"))


def _problems(b: dict[str, Any]) -> str:
    return "; ".join(
        f"{p['field']} {p.get('value', '')!s}: {pick(p.get('zh'), p.get('en'))}" for p in b.get("problems", [])
    )


class FinancePage(QWidget):
    queued = Signal(object)  # a Queued action: the window syncs now

    def __init__(self, cache: Any, *, hub_url: str = "", token: Callable[[], str] = lambda: "",
                 files: Path | None = None, opener: Callable[[Path], None] | None = None) -> None:  # fmt: skip
        super().__init__()
        self.desk = FinanceDesk(cache)
        self.hub_url, self.token = hub_url, token
        self.files = files or Path(cache.path).parent / "invoices"
        self.opener = opener or (lambda path: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))
        self._tasks = KeptTasks()
        self.tabs = QTabWidget()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.figures = QLabel()  # the hub's figures when it answers: credit line, signed → issued, locks
        self.figures.setStyleSheet(theme.note_style())
        layout = QVBoxLayout(self)
        layout.addWidget(self.figures)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        self._needs_data_tab()
        self._merge_tab()
        self._issuing_tab()
        self._issued_tab()
        self._red_tab()
        self._monthly_tab()
        within = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence("Ctrl+PgDown"), self, activated=lambda: self._step(1), context=within)
        QShortcut(QKeySequence("Ctrl+PgUp"), self, activated=lambda: self._step(-1), context=within)
        for number in range(1, 7):  # Alt+1…6: straight to a tab
            QShortcut(
                QKeySequence(f"Alt+{number}"), self, activated=lambda n=number: self.show_tab(n - 1), context=within
            )
        self.tables = {"needs_data": self.needs_data, "merge": self.merge, "issuing": self.issuing,
                       "issued": self.issued, "red": self.reds}  # fmt: skip
        empty = {
            "needs_data": self.tr("No invoice waits for data: every request has what the tax platform needs."),
            "merge": self.tr("No merge to confirm: invoices of one buyer and day appear here to be merged."),
            "issuing": self.tr("Nothing is being issued and nothing failed."),
            "issued": self.tr("No invoice issued yet: requests come with paid orders at the next sync."),
            "red": self.tr("No red-letter invoice: open one from an issued invoice (Issued tab)."),
        }
        for name, words in empty.items():
            self.tables[name].empty_words = words
        self.month_list.empty_words = self.tr("No invoice issued in this month.")
        self.reload()

    # -- the tabs --------------------------------------------------------------------------------
    def _needs_data_tab(self) -> None:
        self.needs_data = InvoiceTable([(self.tr("Invoice"), lambda b: b["order_no"]), (self.tr("Buyer"), _buyer),
                                        (self.tr("Total"), lambda b: money(b["total_fen"])), (self.tr("Problem"), _problems)])  # fmt: skip
        self.buyer_form = BuyerForm()
        self.fix_button = QPushButton(self.tr("Save the fix (Ctrl+S)"))
        self.fix_button.clicked.connect(self.fix)
        QShortcut(QKeySequence("Ctrl+S"), self.buyer_form, activated=self.fix,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)  # fmt: skip
        side = QWidget()
        column = QVBoxLayout(side)
        column.addWidget(self.buyer_form)
        column.addWidget(self.fix_button)
        column.addStretch(1)
        self.needs_data.selectionModel().selectionChanged.connect(self._show_buyer)
        self.needs_data.chosen.connect(lambda _b: self.buyer_form.edits["title"].setFocus())
        self._add_tab("needs_data", self._split(self.needs_data, side))

    def _merge_tab(self) -> None:
        self.merge = InvoiceTable([(self.tr("Invoice"), lambda b: b["order_no"]), (self.tr("Buyer"), _buyer),
                                   (self.tr("Signed on"), lambda b: b["day"]), (self.tr("Orders"), lambda b: str(len(b["orders"]))),
                                   (self.tr("Lines"), lambda b: str(len(b["lines"]))), (self.tr("Tax"), lambda b: money(b["tax_fen"])),
                                   (self.tr("Total"), lambda b: money(b["total_fen"]))])  # fmt: skip
        self.merge_plan = QTextEdit(readOnly=True)
        self.confirm_button = QPushButton(self.tr("Confirm the merge (Enter)"))
        self.split_button = QPushButton(self.tr("Split: each order alone"))
        self.confirm_button.clicked.connect(self.confirm)
        self.split_button.clicked.connect(self.split)
        self.merge.chosen.connect(lambda _b: self.confirm())
        self.merge.selectionModel().selectionChanged.connect(self._show_plan)
        side = QWidget()
        column = QVBoxLayout(side)
        column.addWidget(self.merge_plan, 1)
        row = QHBoxLayout()
        row.addWidget(self.confirm_button)
        row.addWidget(self.split_button)
        column.addLayout(row)
        self._add_tab("merge", self._split(self.merge, side))

    def _issuing_tab(self) -> None:
        self.issuing = InvoiceTable([(self.tr("Invoice"), lambda b: b["order_no"]), (self.tr("State"), _state),
                                     (self.tr("Attempts"), lambda b: str(b.get("attempts", 0))), (self.tr("Buyer"), _buyer),
                                     (self.tr("Total"), lambda b: money(b["total_fen"])), (self.tr("Reason"), _reason)])  # fmt: skip
        self.retry_button = QPushButton(self.tr("Retry (Enter)"))
        self.retry_button.clicked.connect(self.retry)
        self.issuing.chosen.connect(lambda _b: self.retry())
        self._add_tab("issuing", self._stack(self.issuing, [self.retry_button]))

    def _issued_tab(self) -> None:
        self.issued = InvoiceTable([(self.tr("Number"), lambda b: b.get("number") or ""), (self.tr("Buyer"), _buyer),
                                    (self.tr("Issued at"), lambda b: when(b.get("issued_at_ms"))), (self.tr("State"), _state),
                                    (self.tr("Total"), lambda b: money(b["total_fen"])),
                                    (self.tr("Balance"), lambda b: money(b.get("balance_fen"))),
                                    (self.tr("Orders"), lambda b: ", ".join(b["orders"]))])  # fmt: skip
        self.pdf_button = QPushButton(self.tr("Open the PDF (Enter)"))
        self.pdf_button.clicked.connect(self.open_pdf)
        self.issued.chosen.connect(lambda _b: self.open_pdf())
        self.red_reason = QComboBox()
        for reason in RedReason:
            self.red_reason.addItem(pick(*REASON_LABELS[reason]), reason.value)
        self.red_reason.setCurrentIndex(self.red_reason.findData(RedReason.SALES_RETURN.value))
        self.red_order = QComboBox()
        self.red_button = QPushButton(self.tr("Red-letter this order's lines"))
        self.red_button.clicked.connect(self.red)
        self.issued.selectionModel().selectionChanged.connect(self._show_orders)
        self._add_tab("issued", self._stack(self.issued, [self.pdf_button, QLabel(self.tr("Red-letter:")), self.red_order,
                                                          self.red_reason, self.red_button]))  # fmt: skip

    def _red_tab(self) -> None:
        self.reds = InvoiceTable([(self.tr("Red number"), lambda b: b.get("number") or ""),
                                  (self.tr("Blue number"), lambda b: b.get("blue_number") or ""),
                                  (self.tr("Reason"), lambda b: pick(*REASON_LABELS[RedReason(b["red_reason"])])),
                                  (self.tr("State"), _state), (self.tr("Total"), lambda b: money(b["total_fen"])),
                                  (self.tr("Order"), lambda b: ", ".join(b["orders"]))])  # fmt: skip
        open_red = QPushButton(self.tr("Open the PDF (Enter)"))
        open_red.clicked.connect(lambda: self.open_pdf(self.reds.current()))
        self.reds.chosen.connect(self.open_pdf)
        self._add_tab("red", self._stack(self.reds, [open_red]))

    def _monthly_tab(self) -> None:
        self.month = QComboBox()
        self.month.currentIndexChanged.connect(self._show_month)
        self.month_summary = QLabel()
        self.month_list = InvoiceTable([(self.tr("Number"), lambda b: b.get("number") or ""),
                                        (self.tr("Date"), lambda b: when(b.get("issued_at_ms"))[:10]),
                                        (self.tr("Customer"), _buyer), (self.tr("Blue/red"), lambda b: self.tr("red") if b.get("red_of") else self.tr("blue")),
                                        (self.tr("Tax"), lambda b: money(b["tax_fen"])), (self.tr("Total"), lambda b: money(b["total_fen"]))])  # fmt: skip
        xlsx = QPushButton(self.tr("Export XLSX for Kingdee…"))
        csv = QPushButton(self.tr("Export CSV…"))
        self.lock_button = QPushButton(self.tr("Lock this month's order data"))
        xlsx.clicked.connect(lambda: self.export("xlsx"))
        csv.clicked.connect(lambda: self.export("csv"))
        self.lock_button.clicked.connect(self.lock)
        page = QWidget()
        column = QVBoxLayout(page)
        row = QHBoxLayout()
        for widget in (QLabel(self.tr("Month")), self.month, xlsx, csv, self.lock_button):
            row.addWidget(widget)
        row.addStretch(1)
        column.addLayout(row)
        column.addWidget(self.month_summary)
        column.addWidget(self.month_list, 1)
        self.tabs.addTab(page, self.tr("Monthly list"))

    def _add_tab(self, name: str, widget: QWidget) -> None:
        self.tabs.addTab(widget, name)  # the title, with its count, is set by reload()

    @staticmethod
    def _split(table: QWidget, side: QWidget) -> QSplitter:
        splitter = QSplitter()
        splitter.addWidget(table)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        return splitter

    @staticmethod
    def _stack(table: QWidget, buttons: list[QWidget]) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.addWidget(table, 1)
        row = QHBoxLayout()
        for button in buttons:
            row.addWidget(button)
        row.addStretch(1)
        column.addLayout(row)
        return page

    def _step(self, by: int) -> None:
        self.show_tab((self.tabs.currentIndex() + by) % self.tabs.count())

    def show_tab(self, index: int) -> None:
        """Show a tab with its table focused and a row selected, ready for the keyboard."""
        self.tabs.setCurrentIndex(index)
        table = list(self.tables.values())[index] if index < len(self.tables) else self.month_list
        table.setFocus()
        if table.current() is None and table.model_.rowCount():
            table.selectRow(0)

    def tab_titles(self) -> dict[str, str]:
        return {"needs_data": self.tr("Needs data"), "merge": self.tr("Merges to confirm"),
                "issuing": self.tr("Issuing / failed"), "issued": self.tr("Issued"), "red": self.tr("Red-letter")}  # fmt: skip

    # -- showing ---------------------------------------------------------------------------------
    def reload(self) -> None:
        counts = self.desk.counts()
        titles = self.tab_titles()
        for index, name in enumerate(TAB_NAMES):
            self.tables[name].fill(self.desk.tab(name))
            self.tabs.setTabText(index, f"{titles[name]} ({counts[name]})")
        months = self.desk.months()
        chosen = self.month.currentText()
        self.month.blockSignals(True)
        self.month.clear()
        self.month.addItems(months)
        if chosen in months:
            self.month.setCurrentText(chosen)
        self.month.blockSignals(False)
        self._show_month()
        self.retry_button.setEnabled(bool(self.issuing.model_.rowCount()))
        if self.hub_url and self.token():
            self._start(self._show_figures())
        refused = self.desk.refused()
        if refused:
            kind, payload, error = refused[0]
            self._said(self.tr("The hub refused {n} action(s); the last: {kind} {what}: {error}").format(
                n=len(refused), kind=kind, what=payload.get("invoice", payload.get("month", "")), error=error), "error")  # fmt: skip

    def _show_buyer(self) -> None:
        body = self.needs_data.current()
        if body is not None:
            self.buyer_form.show_buyer(body["buyer"])

    def _show_plan(self) -> None:
        body = self.merge.current()
        if body is None:
            self.merge_plan.clear()
            return
        lines = [self.tr("{n} orders of {buyer}, signed {day}, to {address}:").format(
            n=len(body["orders"]), buyer=_buyer(body), day=body["day"], address=body.get("address", ""))]  # fmt: skip
        for order in body["orders"]:
            mine = [x for x in body["lines"] if x["order"] == order]
            lines.append(f"\n{order}  {money(sum(x['included_fen'] for x in mine))}")
            lines += [
                f"   {x['goods_name']} ×{x['quantity']}  {money(x['included_fen'])}  ({x['rate_bp'] / 100:g}%)"
                for x in mine
            ]
        lines.append("\n" + self.tr("Total {total}, of which tax {tax}").format(total=money(body["total_fen"]),
                                                                              tax=money(body["tax_fen"])))  # fmt: skip
        self.merge_plan.setPlainText("\n".join(lines))

    def _show_orders(self) -> None:
        body = self.issued.current()
        self.red_order.clear()
        for order in body["orders"] if body else []:
            self.red_order.addItem(order)

    def _show_month(self) -> None:
        month = self.month.currentText()
        bodies = self.desk.month(month) if month else []
        self.month_list.fill(bodies)
        total, tax = totals(bodies)
        locked = month in self.desk.locks()
        self.month_summary.setText(self.tr("{n} invoices, total {total}, tax {tax}{locked}").format(
            n=len(bodies), total=money(total), tax=money(tax), locked=self.tr(" · locked") if locked else ""))  # fmt: skip
        self.lock_button.setEnabled(bool(month) and not locked)

    def _said(self, text: str, style: str = "note") -> None:
        self.message.setText(text)
        self.message.setStyleSheet(theme.text_style(style))

    def _done(self, queued: Queued, what: str) -> None:
        self._said(self.tr("{what}: waiting to go to the hub (with the next sync)").format(what=what), "ok")
        self.queued.emit(queued)

    # -- acting ----------------------------------------------------------------------------------
    def fix(self) -> None:
        body = self.needs_data.current()
        if body is None:
            return
        problems = self.buyer_form.check()
        if problems:
            self._said(self.tr("Not saved: {problems}").format(problems="; ".join(problems)), "error")
            return
        changes = self.buyer_form.changes()
        if not changes:
            self._said(self.tr("Nothing changed: correct the fields named above first"), "warning")
            return
        self._done(
            self.desk.fix(body["order_no"], changes), self.tr("Fix of {invoice}").format(invoice=body["order_no"])
        )

    def confirm(self) -> None:
        body = self.merge.current()
        if body is not None:
            self._done(
                self.desk.confirm(body["order_no"]),
                self.tr("Merge {invoice} confirmed").format(invoice=body["order_no"]),
            )

    def split(self) -> None:
        body = self.merge.current()
        if body is not None:
            self._done(
                self.desk.split(body["order_no"]), self.tr("Merge {invoice} split").format(invoice=body["order_no"])
            )

    def retry(self) -> None:
        body = self.issuing.current()
        if body is None:
            return
        if body["state"] != "failed":
            self._said(
                self.tr("Only a failed invoice can be retried; this one is {state}").format(state=_state(body)),
                "warning",
            )
            return
        self._done(self.desk.retry(body["order_no"]), self.tr("Retry of {invoice}").format(invoice=body["order_no"]))

    def red(self) -> None:
        body = self.issued.current()
        order = self.red_order.currentText()
        if body is None or not order:
            return
        reason = RedReason(self.red_reason.currentData())
        self._done(self.desk.red(body["order_no"], order, reason),
                   self.tr("Red-letter of {order} on {number}").format(order=order, number=body.get("number")))  # fmt: skip

    def lock(self) -> None:
        month = self.month.currentText()
        if month:
            self._done(self.desk.lock(month), self.tr("Lock of {month}").format(month=month))

    def export(self, form: str) -> None:
        month = self.month.currentText()
        if not month:
            self._said(self.tr("No month with issued invoices yet"), "warning")
            return
        suggested = str(Path.home() / f"monthly-list-{month}.{form}")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the monthly list"), suggested, f"*.{form}")
        if path:
            self.export_to(month, Path(path))

    def export_to(self, month: str, path: Path) -> dict[str, int]:
        written = self.desk.monthly_list(month, path)
        self._said(self.tr("Written {path}: {rows} rows").format(path=path, rows=sum(written.values())), "ok")
        return written

    def _start(self, work: Any) -> None:
        self._tasks.start(work)

    async def _show_figures(self) -> None:
        try:
            figures = await fetch_figures(self.hub_url, self.token())
        except Exception as exc:  # offline: the figures wait for the hub; the tabs work from the cache
            log.debug("invoice figures: %s", exc)
            return
        if not shiboken6.isValid(self.figures):  # the window closed while the hub answered (Ctrl-C in the demo)
            return
        self.figures.setText(pick(*figures_words(figures)))

    def open_pdf(self, body: dict[str, Any] | None = None) -> None:
        body = body or self.issued.current()
        if body is None or not body.get("number"):
            return
        self._start(self._open_pdf(body["order_no"]))

    async def _open_pdf(self, order_no: str) -> None:
        self._said(self.tr("Fetching the PDF of {invoice}…").format(invoice=order_no))
        try:
            path = await fetch_pdf(self.hub_url, self.token(), order_no, self.files)
        except Exception as exc:  # offline, or the hub said no: say so, the rest of the page goes on
            log.warning("fetching the PDF of %s failed: %s", order_no, exc)
            self._said(
                self.tr("The PDF could not be fetched (is the hub reachable?): {error}").format(error=exc), "error"
            )
            return
        if self.opener(path) is False:  # no PDF viewer answered: say where the file is
            self._said(self.tr("Saved {path}; no PDF viewer opened it here.").format(path=path), "warning")
        else:
            self._said(self.tr("Opened {path}").format(path=path), "ok")
