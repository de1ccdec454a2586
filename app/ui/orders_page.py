"""The orders workspace: filters and search over the whole cache, the table, the order's full chain.
Matching ids are queried in a worker thread; a newer filter supersedes an older one still running."""

from __future__ import annotations

import asyncio
import time
from array import array
from datetime import datetime

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.browser import OrderFilter, channels, matching_ids
from app.ui.i18n import pick
from app.ui.order_detail import OrderDetail
from app.ui.orders_model import OrdersModel, channel_label, refund_label
from sync.cache import Cache
from sync.states import FULFILMENT_LABELS, Fulfilment

FIRST_SCREEN = 500  # rows fetched first, so a large result shows at once while the rest loads


class OrdersPage(QWidget):
    shown = Signal(float)  # seconds until the first rows of a result were on screen
    loaded = Signal(int, float)  # matching orders, seconds the whole result took

    def __init__(self, cache: Cache, *, full_contact: bool) -> None:
        super().__init__()
        self.cache = cache
        self._generation = 0
        self.loading: asyncio.Task[None] | None = None
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Unified id, channel order no., waybill no., phone tail or name"))
        self.search.setClearButtonEnabled(True)
        self.channel = QComboBox()
        self.fulfilment = QComboBox()
        self.fulfilment.addItem(self.tr("Any fulfilment"), None)
        for state in Fulfilment:
            self.fulfilment.addItem(pick(*FULFILMENT_LABELS[state]), state.value)
        self.refund = QComboBox()
        self.refund.addItem(self.tr("Any refund"), None)
        for value in ("none", "refunding", "partially_refunded", "refunded"):
            self.refund.addItem(refund_label(value), value)
        self.printed = QComboBox()
        self.printed.addItem(self.tr("Printed or not"), None)
        self.printed.addItem(self.tr("Label printed"), True)
        self.printed.addItem(self.tr("Not printed"), False)
        self.anomalies = QCheckBox(self.tr("Open anomalies only"))
        self.dated = QCheckBox(self.tr("Created from"))
        self.since = QDateEdit(QDate.currentDate().addDays(-30))
        self.until = QDateEdit(QDate.currentDate())
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.count = QLabel()
        bar = QHBoxLayout()
        for widget in (self.search, self.channel, self.fulfilment, self.refund, self.printed, self.anomalies,
                       self.dated, self.since, QLabel(self.tr("to")), self.until, self.count):  # fmt: skip
            bar.addWidget(widget)
        bar.setStretch(0, 3)
        self.search.setMinimumWidth(280)
        self.model = OrdersModel(cache, full_contact=full_contact)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setWordWrap(False)
        self.detail = OrderDetail(cache, full_contact=full_contact)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setSizes([500, 300])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(split)
        self._debounce = QTimer(self, singleShot=True, interval=150)
        self._debounce.timeout.connect(self.reload)
        for signal in (self.search.textChanged, self.channel.currentIndexChanged, self.fulfilment.currentIndexChanged,
                       self.refund.currentIndexChanged, self.printed.currentIndexChanged, self.anomalies.toggled,
                       self.dated.toggled, self.since.dateChanged, self.until.dateChanged):  # fmt: skip
            signal.connect(self._debounce.start)
        self.table.selectionModel().currentRowChanged.connect(self._show_current)
        self.refill_channels()

    def refill_channels(self) -> None:
        current = self.channel.currentData()
        self.channel.blockSignals(True)
        self.channel.clear()
        self.channel.addItem(self.tr("Any channel"), None)
        with self.cache.read() as c:
            for name in channels(c):
                self.channel.addItem(channel_label(name), name)
        self.channel.setCurrentIndex(max(0, self.channel.findData(current)))
        self.channel.blockSignals(False)

    def current_filter(self) -> OrderFilter:
        since = until = None
        if self.dated.isChecked():
            since = int(datetime(*self.since.date().getDate()).timestamp() * 1000)
            until = int(datetime(*self.until.date().addDays(1).getDate()).timestamp() * 1000)
        return OrderFilter(
            channel=self.channel.currentData(),
            fulfilment=self.fulfilment.currentData(),
            refund=self.refund.currentData(),
            printed=self.printed.currentData(),
            anomalies=self.anomalies.isChecked(),
            since_ms=since,
            until_ms=until,
            text=self.search.text(),
        )

    def reload(self) -> asyncio.Task[None]:
        """Query the matching ids off the UI thread; only the newest request is shown."""
        self._generation += 1
        self.count.setText(self.tr("searching…"))
        self.loading = asyncio.ensure_future(self._reload(self._generation, self.current_filter()))
        return self.loading

    async def _reload(self, generation: int, wanted: OrderFilter) -> None:
        started = time.perf_counter()

        def query(limit: int | None) -> array[int]:
            with self.cache.read() as c:
                return matching_ids(c, wanted, limit=limit)

        first = await asyncio.to_thread(query, FIRST_SCREEN)
        if generation != self._generation:
            return  # superseded
        self.model.set_ids(first)
        self.shown.emit(time.perf_counter() - started)
        if len(first) == FIRST_SCREEN:
            self.count.setText(self.tr("searching…"))
            everything = await asyncio.to_thread(query, None)
            if generation != self._generation:
                return
            if everything[:FIRST_SCREEN] == first:
                self.model.extend(everything[FIRST_SCREEN:])
            else:  # the cache changed in between (a sync): show the newer result whole
                self.model.set_ids(everything)
        elapsed = time.perf_counter() - started
        self.count.setText(self.tr("{count} orders").format(count=f"{len(self.model.ids):,}"))
        self.loaded.emit(len(self.model.ids), elapsed)

    def _show_current(self) -> None:
        row = self.table.currentIndex().row()
        if 0 <= row < len(self.model.ids):
            self.detail.show_order(self.model.ids[row])
