"""One order's full chain, for the supervisor asking why it is stuck: canonical state and anomalies,
every source's observations with the raw payload, the event timeline, the audit trail, print history."""

from __future__ import annotations

import html
import json
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QPlainTextEdit,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
)

from app.ui.i18n import pick
from app.ui.orders_model import channel_label, refund_label
from printing.jobs import jobs_of
from printing.label_data import mask_phone
from sync.cache import Cache
from sync.cache.queries import order_document
from sync.text_rules import visible


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
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
    def __init__(self, cache: Cache, *, full_contact: bool) -> None:
        super().__init__()
        self.cache = cache
        self.full_contact = full_contact
        self.document: dict[str, Any] | None = None
        self.overview = QTextBrowser()
        self.observations = _table([self.tr("Observed"), self.tr("Source"), self.tr("Raw status"),
                                    self.tr("Outcome"), self.tr("Rule"), self.tr("Operator")])  # fmt: skip
        self.payload = QPlainTextEdit()
        self.payload.setReadOnly(True)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.observations)
        split.addWidget(self.payload)
        self.events = _table([self.tr("At"), self.tr("Event"), self.tr("Source"), self.tr("Operator")])
        self.audit = _table([self.tr("No."), self.tr("At"), self.tr("Operator"), self.tr("Source"), self.tr("Action")])
        self.prints = _table(
            [self.tr("Job"), self.tr("State"), self.tr("Printer"), self.tr("Reason"), self.tr("Error")]
        )
        self.addTab(self.overview, self.tr("Overview"))
        self.addTab(split, self.tr("Observations"))
        self.addTab(self.events, self.tr("Timeline"))
        self.addTab(self.audit, self.tr("Audit trail"))
        self.addTab(self.prints, self.tr("Print history"))
        self.observations.currentCellChanged.connect(self._show_payload)

    def show_order(self, order_id: int) -> None:
        with self.cache.read() as c:
            document = order_document(c, order_id)
            prints = jobs_of(c, document["domain_id"])
        self.document = document
        self.overview.setHtml(self._overview(document))
        _fill(self.observations, [[o["observed_at"], o["source"], f"{o['status_field']}={o['raw_status']}",
                                   o["outcome"], o["rule"], o["operator"]] for o in document["observations"]])  # fmt: skip
        self.payload.clear()
        _fill(self.events, [[e["at"], e["kind"], e["source"], e["operator"]] for e in document["events"]])
        _fill(self.audit, [[a["seq"], a["at"], a["operator"], a["source"], a["action"]] for a in document["audit"]])
        _fill(self.prints, [[p["id"], p["state"], p["printer"], p["reason"], pick(p["error_zh"], p["error"])]
                            for p in prints])  # fmt: skip

    def _show_payload(self, row: int, *_: int) -> None:
        if self.document and 0 <= row < len(self.document["observations"]):
            payload = self.document["observations"][row]["payload"]
            self.payload.setPlainText(visible(json.dumps(payload, ensure_ascii=False, indent=2)))

    def _overview(self, d: dict[str, Any]) -> str:
        e = html.escape
        fulfilment, refund, cancelled = self.tr("Fulfilment"), self.tr("Refund"), self.tr("cancelled")
        receiver_label, waybill_label, anomalies_label = (
            self.tr("Receiver"),
            self.tr("Waybill no."),
            self.tr("Open anomalies"),
        )
        receiver = d["receiver"]
        phone = receiver["phone"] if self.full_contact else mask_phone(receiver["phone"])
        state = pick(d["fulfilment_label"]["zh"], d["fulfilment_label"]["en"]) if d["fulfilment_label"] else "—"
        parts = [
            f"<h3>{e(d['domain_id'])}</h3>",
            f"<p>{e(channel_label(d['channel']))} / {e(d['shop'])} · {e(d['channel_order_no'])} · {e(d['created_at'])}</p>",
            f"<p><b>{e(fulfilment)}</b> {e(state)} · <b>{e(refund)}</b> "
            f"{e(refund_label(d['refund']))}{' · <b>' + e(cancelled) + '</b>' if d['cancelled'] else ''}</p>",
            f"<p><b>{e(receiver_label)}</b> {e(receiver['name'])} {e(phone)}<br>"
            f"{e(receiver['province'] + receiver['city'] + receiver['district'])} {e(receiver['address'])}</p>",
            f"<p><b>{e(waybill_label)}</b> {e(d['carrier'])} {e(d['waybill_no'])}</p>",
        ]
        open_anomalies = [a for a in d["anomalies"] if a["open"]]
        if open_anomalies:
            parts.append(f"<h4>{e(anomalies_label)}</h4><ul>")
            parts += [f"<li><b>{e(pick(a['label']['zh'], a['label']['en']))}</b>: "
                      f"{e(pick(a['text']['zh'], a['text']['en']))}</li>" for a in open_anomalies]  # fmt: skip
            parts.append("</ul>")
        return "".join(parts)
