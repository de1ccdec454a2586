"""One order's full chain, for the supervisor asking why it is stuck: canonical state and anomalies,
every source's observations with the raw payload, the event timeline, the audit trail, print history.
Everything in words of the console's language (sync/labels.py), times in China time."""

from __future__ import annotations

import asyncio
import html
import json
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QPlainTextEdit,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
)

from orderdesk.app.services.browser import OrderBrowser, OrderRecord
from orderdesk.app.ui import theme
from orderdesk.app.ui.empty_state import paint_empty_words
from orderdesk.app.ui.i18n import pick
from orderdesk.app.ui.lifetimes import KeptTasks
from orderdesk.app.ui.words import channel_label, fulfilment_text, refund_label, word
from orderdesk.invoicing.states import STATE_LABELS, InvoiceState
from orderdesk.printing.label_data import mask_phone
from orderdesk.sync import labels
from orderdesk.sync.china_time import shown, shown_iso
from orderdesk.sync.text_rules import visible


def yuan(fen: int | None) -> str:
    """¥12.34 from 1234 fen (money is integer fen everywhere; shown in yuan)."""
    if fen is None:
        return "—"
    return f"{'-' if fen < 0 else ''}¥{abs(fen) // 100:,}.{abs(fen) % 100:02d}"


def _audit_detail(entry: dict[str, Any]) -> str:
    """What an audit entry changed or why: its reason (a reprint, an override), else before → after."""
    payload = entry.get("payload")
    if isinstance(payload, dict) and payload.get("reason"):
        return str(payload["reason"])
    before, after = entry.get("before"), entry.get("after")
    if isinstance(after, dict) and "fulfilment" in after:
        was = before.get("fulfilment") if isinstance(before, dict) else None
        return f"{fulfilment_text(was) if was else '—'} → {fulfilment_text(after['fulfilment'], bool(after.get('cancelled')))}"
    return ""


class _Table(QTableWidget):
    """A detail tab's table; empty, it says so in its middle (``empty_words``)."""

    empty_words = ""

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        paint_empty_words(self, self.empty_words)


def _table(headers: list[str], empty_words: str = "") -> QTableWidget:
    table = _Table(0, len(headers))
    table.empty_words = empty_words
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[list[Any]]) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))
    table.resizeColumnsToContents()


class OrderDetail(QTabWidget):
    """One order's whole record, read by the browser service in a worker thread; the newest order
    asked for wins (a slower read of an order chosen before is dropped)."""

    def __init__(self, browser: OrderBrowser) -> None:
        super().__init__()
        self.browser = browser
        self.full_contact = browser.full_contact
        self.document: dict[str, Any] | None = None
        self.tasks = KeptTasks()
        self._asked = 0
        self.overview = QTextBrowser()
        self.observations = _table([self.tr("Observed (China time)"), self.tr("Source"), self.tr("Raw status"),
                                    self.tr("Outcome"), self.tr("Mapping rule"), self.tr("Operator")])  # fmt: skip
        self.payload = QPlainTextEdit()
        self.payload.setReadOnly(True)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.observations)
        split.addWidget(self.payload)
        self.events = _table([self.tr("At (China time)"), self.tr("Event"), self.tr("Source"), self.tr("Operator")])
        self.audit = _table([self.tr("No."), self.tr("At (China time)"), self.tr("Operator"), self.tr("Source"),
                             self.tr("Action"), self.tr("Details")])  # fmt: skip
        self.prints = _table(
            [
                self.tr("Job"),
                self.tr("State"),
                self.tr("Printer"),
                self.tr("Reason"),
                self.tr("Error"),
                self.tr("At (China time)"),
            ],
            self.tr("No label printed for this order yet."),
        )
        self.addTab(self.overview, self.tr("Overview"))
        self.addTab(split, self.tr("Observations"))
        self.addTab(self.events, self.tr("Timeline"))
        self.addTab(self.audit, self.tr("Audit trail"))
        self.addTab(self.prints, self.tr("Print history"))
        self.invoices = _table([self.tr("Blue/red"), self.tr("Invoice number"), self.tr("State"), self.tr("Total"),
                                self.tr("Buyer"), self.tr("Issued (China time)"), self.tr("Note")],
                               self.tr("No invoice for this order: one comes when the buyer asks for it."))  # fmt: skip
        self.addTab(self.invoices, self.tr("Invoices"))
        self.observations.currentCellChanged.connect(self._show_payload)
        nothing_yet = self.tr("Choose an order above to see its whole record: what each source observed, the "
                              "timeline, the audit trail, the print history and the invoices.")  # fmt: skip
        self.overview.setHtml(f"<p style='color:{theme.colour('note').name()}'>{html.escape(nothing_yet)}</p>")

    def show_order(self, order_id: int) -> asyncio.Future[Any]:
        self._asked += 1
        return self.tasks.start(self._show(order_id, self._asked))

    async def _show(self, order_id: int, asked: int) -> None:
        record = await self.browser.record(order_id)
        if asked != self._asked:
            return  # another order was chosen meanwhile
        self.show_record(record)

    def show_record(self, record: OrderRecord) -> None:
        document, prints = record.document, record.prints
        self.document = document
        self.overview.setHtml(self._overview(document))
        _fill(self.observations, [[shown_iso(o["observed_at"]), word(labels.SOURCES, o["source"]),
                                   f"{o['status_field']}={o['raw_status']}", word(labels.OUTCOMES, o["outcome"]),
                                   pick(*labels.rule_label(o["rule"])), o["operator"]]
                                  for o in document["observations"]])  # fmt: skip
        for row, o in enumerate(document["observations"]):  # the rule's id and table version, for the curious
            item = self.observations.item(row, 4)
            if item is not None:
                item.setToolTip(f"{o['rule'] or '—'} · v{o['mapping_version'] or '—'}")
        self.payload.clear()
        _fill(self.events, [[shown_iso(e["at"]), word(labels.EVENTS, e["kind"]), word(labels.SOURCES, e["source"]),
                             e["operator"]] for e in document["events"]])  # fmt: skip
        _fill(self.audit, [[a["seq"], shown_iso(a["at"]), a["operator"], word(labels.SOURCES, a["source"]),
                            word(labels.AUDIT_ACTIONS, a["action"]), _audit_detail(a)] for a in document["audit"]])  # fmt: skip
        _fill(self.prints, [[p["id"], word(labels.PRINT_STATES, p["state"]), p["printer"], p["reason"],
                             pick(p["error_zh"], p["error"]), shown(p["created_at_ms"], seconds=True)]
                            for p in prints])  # fmt: skip
        _fill(self.invoices, [[self.tr("red") if i["red_of"] else self.tr("blue"), i["number"] or i["order_no"],
                               pick(*STATE_LABELS[InvoiceState(i["state"])]), yuan(i["total_fen"]), i["buyer"],
                               shown_iso(i["issued_at"]) if i["issued_at"] else "", self._invoice_note(i)]
                              for i in document.get("invoices", [])])  # fmt: skip

    def left_the_list(self) -> None:
        """The order shown is no longer among the filtered orders: say so rather than show it on."""
        self._asked += 1  # a read under way is for an order no longer listed
        self.document = None
        gone = self.tr("The order shown before is not among these orders. Choose one to see its details.")
        self.overview.setHtml(f"<p>{html.escape(gone)}</p>")
        for table in (self.observations, self.events, self.audit, self.prints, self.invoices):
            table.setRowCount(0)
        self.payload.clear()
        self.setCurrentIndex(0)

    def _show_payload(self, row: int, *_: int) -> None:
        if self.document and 0 <= row < len(self.document["observations"]):
            payload = self.document["observations"][row]["payload"]
            self.payload.setPlainText(visible(json.dumps(payload, ensure_ascii=False, indent=2)))

    def _money_and_lines(self, d: dict[str, Any]) -> str:
        """What was bought and paid, in yuan from integer fen, the refunded lines marked."""
        e = html.escape
        paid = self.tr("paid {amount}").format(amount=yuan(d.get("paid_amount_fen"))) if d.get(
            "paid_amount_fen") is not None else self.tr("paid amount unknown")  # fmt: skip
        refunded = self.tr("refunded {amount}").format(amount=yuan(d.get("refunded_fen") or 0))
        rows = "".join(
            f"<tr><td>{e(line['title'])}</td><td>{e(line['sku'])}</td><td align='right'>{line['quantity']}</td>"
            f"<td align='right'>{e(yuan(line['unit_price_fen']))}</td><td>{e(refund_label(line.get('refund')))}"
            f"{' ' + e(yuan(line['refunded_fen'])) if line.get('refunded_fen') else ''}</td></tr>"
            for line in d.get("lines", [])
        )
        head = "".join(f"<th align='left'>{e(h)}</th>" for h in (self.tr("Item"), self.tr("SKU"), self.tr("Qty"),
                                                                self.tr("Unit price"), self.tr("Refund")))  # fmt: skip
        money = self.tr("Money")
        return (f"<p><b>{e(money)}</b> {e(paid)} · {e(refunded)}</p>"
                f"<table cellspacing='6'><tr>{head}</tr>{rows}</table>")  # fmt: skip

    def _invoice_note(self, i: dict[str, Any]) -> str:
        if i["red_of"]:
            return self.tr("reverses {number}").format(number=i["blue_number"] or "")
        if i["red_numbers"]:
            return self.tr("red-lettered by {numbers}").format(numbers=", ".join(i["red_numbers"]))
        return self.tr("{n} orders on this invoice").format(n=len(i["orders"])) if len(i["orders"]) > 1 else ""

    def _overview(self, d: dict[str, Any]) -> str:
        e = html.escape
        fulfilment, refund, cancelled = self.tr("Fulfilment"), self.tr("Refund"), self.tr("cancelled")
        receiver_label, waybill_label, anomalies_label = (
            self.tr("Receiver"),
            self.tr("Waybill no."),
            self.tr("Open anomalies"),
        )
        shop_label, created_label = self.tr("shop"), self.tr("created (China time)")
        receiver = d["receiver"]
        phone = receiver["phone"] if self.full_contact else mask_phone(receiver["phone"])
        state = fulfilment_text(d["fulfilment"])
        outcome_label = self.tr("Order outcome")  # both axes together: a returned order may still read "confirmed"
        outcome_text = pick(d["outcome_label"]["zh"], d["outcome_label"]["en"]) if d.get("outcome_label") else ""
        parts = [
            f"<h3>{e(d['domain_id'])}</h3>",
            f"<p>{e(channel_label(d['channel']))} · {e(shop_label)} {e(d['shop'])} · {e(d['channel_order_no'])} · "
            f"{e(created_label)} {e(shown_iso(d['created_at']))}</p>",
            f"<p><b>{e(fulfilment)}</b> {e(state)} · <b>{e(refund)}</b> "
            f"{e(refund_label(d['refund']))}{' · <b>' + e(cancelled) + '</b>' if d['cancelled'] else ''}"
            f" · <b>{e(outcome_label)}</b> {e(outcome_text)}</p>",
            f"<p><b>{e(receiver_label)}</b> {e(receiver['name'])} {e(phone)}<br>"
            f"{e(receiver['province'] + receiver['city'] + receiver['district'])} {e(receiver['address'])}</p>",
            f"<p><b>{e(waybill_label)}</b> {e(d['carrier'])} {e(d['waybill_no'])}</p>",
            self._money_and_lines(d),
        ]
        open_anomalies = [a for a in d["anomalies"] if a["open"]]
        if open_anomalies:
            parts.append(f"<h4>{e(anomalies_label)}</h4><ul>")
            parts += [f"<li><b>{e(pick(a['label']['zh'], a['label']['en']))}</b>: "
                      f"{e(pick(a['text']['zh'], a['text']['en']))}</li>" for a in open_anomalies]  # fmt: skip
            parts.append("</ul>")
        return "".join(parts)
