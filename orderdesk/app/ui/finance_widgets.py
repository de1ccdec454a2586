"""Pieces of the Finance workspace: a table of invoices (each row keeps its invoice) and the buyer
data form that checks the taxpayer id as it is typed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPaintEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QWidget,
)

from orderdesk.app.services.finance import check_fix
from orderdesk.app.ui import theme
from orderdesk.app.ui.empty_state import paint_empty_words
from orderdesk.app.ui.i18n import pick
from orderdesk.invoicing.amounts import yuan_text
from orderdesk.invoicing.profile import check_taxpayer_id
from orderdesk.sync.china_time import shown

Column = tuple[str, Callable[[dict[str, Any]], str]]


def when(ms: int | None) -> str:
    return shown(ms) if ms else ""  # the one date format (sync/china_time.py)


def money(fen: int | None) -> str:
    """-¥42.46 (a red invoice's amounts are negative)."""
    return "" if fen is None else f"{'-' if fen < 0 else ''}¥{yuan_text(abs(fen))}"


class InvoiceTable(QTableView):
    """Invoices in rows; ``current()`` is the selected one's body. Enter activates (``chosen``).
    Empty, it says in its middle what an empty list means here (``empty_words``)."""

    chosen = Signal(dict)

    def __init__(self, columns: Sequence[Column], empty_words: str = "") -> None:
        super().__init__()
        self.columns = list(columns)
        self.empty_words = empty_words
        self.model_ = QStandardItemModel(0, len(self.columns), self)
        self.model_.setHorizontalHeaderLabels([title for title, _ in self.columns])
        self.setModel(self.model_)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.activated.connect(lambda index: self.chosen.emit(self.body(index.row())))

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        paint_empty_words(self, self.empty_words)

    def fill(self, bodies: Sequence[dict[str, Any]]) -> None:
        keep = self.current()
        self.model_.removeRows(0, self.model_.rowCount())
        for body in bodies:
            row = []
            for _, cell in self.columns:
                item = QStandardItem(cell(body))
                item.setData(body, Qt.ItemDataRole.UserRole)
                row.append(item)
            self.model_.appendRow(row)
        again = next(
            (i for i, b in enumerate(bodies) if keep and b["order_no"] == keep["order_no"]), 0 if bodies else None
        )
        if again is not None:
            self.selectRow(again)

    def body(self, row: int) -> dict[str, Any]:
        return self.model_.item(row, 0).data(Qt.ItemDataRole.UserRole)

    def current(self) -> dict[str, Any] | None:
        rows = self.selectionModel().selectedRows() if self.selectionModel() else []
        return self.body(rows[0].row()) if rows else None


class BuyerForm(QWidget):
    """The buyer's invoice data, each field checked as it is typed (the taxpayer id's check character)."""

    FIELDS = ("title", "taxpayer_id", "address", "phone", "bank", "account", "email")

    def __init__(self) -> None:
        super().__init__()
        self.kind = QComboBox()
        self.kind.addItem(self.tr("Ordinary e-invoice (普票)"), "pc")
        self.kind.addItem(self.tr("Special VAT e-invoice (专票)"), "bs")
        self.buyer_type = QComboBox()
        self.buyer_type.addItem(self.tr("Company"), "company")
        self.buyer_type.addItem(self.tr("Person"), "person")
        labels = {"title": self.tr("Title"), "taxpayer_id": self.tr("Taxpayer id"), "address": self.tr("Address"),
                  "phone": self.tr("Phone"), "bank": self.tr("Bank"), "account": self.tr("Account"),
                  "email": self.tr("E-mail")}  # fmt: skip
        self.edits = {name: QLineEdit() for name in self.FIELDS}
        self.edits["taxpayer_id"].setMaxLength(18)
        self.edits["taxpayer_id"].setPlaceholderText("91330100MA27U8Q10Y")
        self.id_check = QLabel()
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet(theme.error_style())
        form = QFormLayout(self)
        form.addRow(self.tr("Kind"), self.kind)
        form.addRow(self.tr("Buyer"), self.buyer_type)
        for name in self.FIELDS:
            form.addRow(labels[name], self.edits[name])
            if name == "taxpayer_id":
                form.addRow("", self.id_check)
        form.addRow(self.problems)
        self._current: dict[str, Any] = {}
        self.edits["taxpayer_id"].textChanged.connect(self._check_id)
        for edit in self.edits.values():
            edit.textChanged.connect(self.check)
        self.kind.currentIndexChanged.connect(self.check)
        self.buyer_type.currentIndexChanged.connect(self.check)

    def show_buyer(self, buyer: dict[str, Any]) -> None:
        self._current = dict(buyer)
        self.kind.setCurrentIndex(max(0, self.kind.findData(buyer.get("kind", "pc"))))
        self.buyer_type.setCurrentIndex(max(0, self.buyer_type.findData(buyer.get("buyer_type", "company"))))
        for name, edit in self.edits.items():
            edit.setText(str(buyer.get(name, "")))
        self.check()

    def changes(self) -> dict[str, str]:
        now = {name: edit.text().strip() for name, edit in self.edits.items()}
        now["kind"], now["buyer_type"] = self.kind.currentData(), self.buyer_type.currentData()
        return {k: v for k, v in now.items() if v != self._current.get(k, "")}

    def _check_id(self, text: str) -> None:
        text = text.strip().upper()
        if not text:
            self.id_check.setText("")
            return
        errors = check_taxpayer_id(text, "taxpayer_id")
        if errors:
            self.id_check.setText(pick(errors[0].said))
            self.id_check.setStyleSheet(theme.error_style())
        else:
            self.id_check.setText(self.tr("✓ a valid taxpayer id"))
            self.id_check.setStyleSheet(theme.text_style("ok"))

    def check(self) -> list[str]:
        """The problems of the data as it stands, shown under the form; [] when it can be invoiced."""
        errors = check_fix(self.changes(), self._current)
        words = [f"{e.field}: {pick(e.said)}" for e in errors]
        self.problems.setText("\n".join(words))
        return words
