"""The orders workspace: filters and search over the whole cache, the table, the order's full chain.
Matching ids are queried in a worker thread; a newer filter supersedes an older one still running.
Times are China time, whatever the machine's clock says; a click on a column header sorts (in SQL).
The selected order stays selected, and in view, when the list reloads (a sync, a new filter); when
it leaves the list, the detail below says so instead of showing it on."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QDate, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from orderdesk.app.services.browser import CANCELLED, OUTCOMES, OrderBrowser, OrderFilter
from orderdesk.app.services.session import Session
from orderdesk.app.ui.empty_state import WithEmptyState
from orderdesk.app.ui.order_detail import OrderDetail
from orderdesk.app.ui.orders_model import OrdersModel
from orderdesk.app.ui.words import channel_label, fulfilment_text, refund_label, word
from orderdesk.sync import labels
from orderdesk.sync.cache import Cache
from orderdesk.sync.china_time import day_start_ms, now_in_china
from orderdesk.sync.states import Fulfilment

FIRST_SCREEN = 500
ADDRESS_WIDTH = 300  # rows fetched first, so a large result shows at once while the rest loads


class OrdersPage(QWidget):
    shown = Signal(float)  # seconds until the first rows of a result were on screen
    sync_requested = Signal()  # the empty state's "Sync now"
    loaded = Signal(int, float)  # matching orders, seconds the whole result took

    def __init__(self, cache: Cache, *, full_contact: bool, hub: Callable[[], Session | None] | None = None) -> None:
        super().__init__()
        self.cache = cache
        self.browser = OrderBrowser(cache, full_contact=full_contact, hub=hub)
        self._generation = 0
        self.loading: asyncio.Task[None] | None = None
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Unified id, channel order no., waybill no., phone tail or name"))
        self.search.setClearButtonEnabled(True)
        self.channel = QComboBox()
        self.fulfilment = QComboBox()
        self.fulfilment.addItem(self.tr("Any fulfilment"), None)
        for state in Fulfilment:
            self.fulfilment.addItem(fulfilment_text(state.value), state.value)
        self.fulfilment.addItem(fulfilment_text(None, cancelled=True), CANCELLED)
        for value in OUTCOMES:  # where the order ended up, refunds included (a returned order may read "confirmed")
            self.fulfilment.addItem(word(labels.OUTCOME_WORDS, value), value)
        self.refund = QComboBox()
        self.refund.addItem(self.tr("Any refund"), None)
        for value in ("none", "refunding", "partially_refunded", "refunded"):
            self.refund.addItem(refund_label(value), value)
        self.printed = QComboBox()
        self.printed.addItem(self.tr("Printed or not"), None)
        self.printed.addItem(self.tr("Label printed"), True)
        self.printed.addItem(self.tr("Not printed"), False)
        self.anomalies = QCheckBox(self.tr("Open anomalies only"))
        self.dated = QCheckBox(self.tr("Created (China time) from"))
        today = now_in_china().date()
        self.since = QDateEdit(QDate(today - timedelta(days=30)))
        self.until = QDateEdit(QDate(today))
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.count = QLabel()
        self.count.setMinimumWidth(self.count.fontMetrics().horizontalAdvance("1,000,000 orders · searching…"))
        self.count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.reset_button = QPushButton(self.tr("Clear filters"))
        self.reset_button.clicked.connect(self.reset_filters)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        for widget in (self.dated, self.since, QLabel(self.tr("to")), self.until):
            top.addWidget(widget)
        top.addWidget(self.reset_button)
        top.addWidget(self.count)
        for combo in (self.channel, self.fulfilment, self.refund, self.printed):  # they narrow, not the window widen
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(9)
        bar = QHBoxLayout()
        for widget in (self.channel, self.fulfilment, self.refund, self.printed, self.anomalies):
            bar.addWidget(widget)
        bar.addStretch(1)
        self._sort = ("created", True)
        self.model = OrdersModel(self.browser)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setWordWrap(False)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(3, Qt.SortOrder.DescendingOrder)
        self.model.sort_requested.connect(self._sort_by)  # from now on: the indicator above is the default
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self._sized = False
        self.detail = OrderDetail(self.browser)
        self.listing = WithEmptyState(self.table, "clipboard-list")
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.listing)
        split.addWidget(self.detail)
        split.setSizes([500, 300])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
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
        for name in self.browser.channels():
            self.channel.addItem(channel_label(name), name)
        self.channel.setCurrentIndex(max(0, self.channel.findData(current)))
        self.channel.blockSignals(False)

    def current_filter(self) -> OrderFilter:
        since = until = None
        if self.dated.isChecked():  # whole days in China, whatever the machine's time zone
            first, last = sorted((date(*self.since.date().getDate()), date(*self.until.date().getDate())))
            since = day_start_ms(first)  # "from" after "to" means the same days, not none
            until = day_start_ms(last + timedelta(days=1))
        return OrderFilter(
            channel=self.channel.currentData(),
            fulfilment=self.fulfilment.currentData(),
            refund=self.refund.currentData(),
            printed=self.printed.currentData(),
            anomalies=self.anomalies.isChecked(),
            since_ms=since,
            until_ms=until,
            text=self.search.text(),
            sort=self._sort[0],
            descending=self._sort[1],
        )

    def reset_filters(self) -> None:
        """Every filter back to "any", the search emptied: all orders again."""
        for widget in (self.search, self.channel, self.fulfilment, self.refund, self.printed, self.anomalies,
                       self.dated):  # fmt: skip
            widget.blockSignals(True)
        self.search.clear()
        for combo in (self.channel, self.fulfilment, self.refund, self.printed):
            combo.setCurrentIndex(0)
        self.anomalies.setChecked(False)
        self.dated.setChecked(False)
        for widget in (self.search, self.channel, self.fulfilment, self.refund, self.printed, self.anomalies,
                       self.dated):  # fmt: skip
            widget.blockSignals(False)
        self.reload()

    def _sort_by(self, key: str, descending: bool) -> None:
        self._sort = (key, descending)
        self.reload()

    def reload(self) -> asyncio.Task[None]:
        """Query the matching ids off the UI thread; only the newest request is shown."""
        self._generation += 1
        self.count.setText(self.tr("searching…"))
        self.loading = asyncio.ensure_future(self._reload(self._generation, self.current_filter()))
        return self.loading

    async def _reload(self, generation: int, wanted: OrderFilter) -> None:
        started = time.perf_counter()

        selected = self.selected_id()
        first = await self.browser.matching(wanted, limit=FIRST_SCREEN)
        if generation != self._generation:
            return  # superseded
        self.model.set_ids(first)
        self.table.scrollToTop()  # a new result starts at its top (the order chosen before is scrolled to below)
        self._size_columns()
        self._reselect(selected, final=len(first) < FIRST_SCREEN)
        self.shown.emit(time.perf_counter() - started)
        if len(first) == FIRST_SCREEN:
            self.count.setText(self.tr("searching…"))
            everything = await self.browser.matching(wanted)
            if generation != self._generation:
                return
            if everything[:FIRST_SCREEN] == first:
                self.model.extend(everything[FIRST_SCREEN:])
            else:  # the cache changed in between (a sync): show the newer result whole
                self.model.set_ids(everything)
            self._reselect(selected, final=True)
        if not self.model.ids and wanted.text.strip():  # an order the retention window took out: ask the hub
            self.count.setText(self.tr("asking the hub…"))
            if await self.browser.bring_back(wanted.text) and generation == self._generation:
                self.model.set_ids(await self.browser.matching(wanted))
                self._reselect(None, final=True)
            if generation != self._generation:
                return
        elapsed = time.perf_counter() - started
        found = len(self.model.ids)
        self._say_if_empty(found, wanted)
        self.count.setText(self.tr("1 order") if found == 1 else self.tr("{count} orders").format(count=f"{found:,}"))
        self.loaded.emit(len(self.model.ids), elapsed)

    def _say_if_empty(self, found: int, wanted: OrderFilter) -> None:
        if found:
            self.listing.show_content()
        elif wanted == OrderFilter(sort=wanted.sort, descending=wanted.descending):  # no filter: no orders at all
            self.listing.show_empty(
                self.tr("No orders in this station's cache yet"),
                self.tr(
                    "The sync brings the hub's orders here by itself every few seconds; the status bar "
                    "below says whether it reaches the hub."
                ),
                (self.tr("Sync now"), self.sync_requested.emit),
            )
        else:
            self.listing.show_empty(
                self.tr("No order matches these filters"),
                self.tr(
                    "Search by unified id, channel order no., waybill no., the last digits of a phone or a "
                    "name; or widen the filters above."
                ),
                (self.tr("Clear filters"), self.reset_filters),
            )

    def selected_id(self) -> int | None:
        row = self.table.currentIndex().row()
        return self.model.ids[row] if 0 <= row < len(self.model.ids) else None

    def _reselect(self, order_id: int | None, *, final: bool) -> None:
        """Select (and scroll to) the order selected before the reload; once the whole result is in
        and it is not there, the detail says it left the list."""
        row = None if order_id is None else self.model.row_of(order_id)
        if row is None and final and len(self.model.ids) == 1:
            row = 0  # the one order found: shown at once
        if row is None and order_id is None:
            return
        if row is not None:
            index = self.model.index(row, 0)
            self.table.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            )
            self.table.scrollTo(index)
        elif final:
            self.detail.left_the_list()

    def _size_columns(self) -> None:
        """Columns as wide as their first screenful needs, once (then the user's widths stay)."""
        if self._sized or not len(self.model.ids):
            return
        self._sized = True
        header = self.table.horizontalHeader()
        for column in range(self.model.columnCount()):
            self.table.resizeColumnToContents(column)
            widest = ADDRESS_WIDTH if column == 6 else 260  # an address is long: enough to read the street
            header.resizeSection(column, min(header.sectionSize(column) + 8, widest))

    def _show_current(self) -> None:
        order_id = self.selected_id()
        if order_id is not None:
            self.detail.show_order(order_id)

    async def shutdown(self) -> None:
        """Let a query under way finish (its thread must not outlive the loop); its result is dropped."""
        self._generation += 1
        self._debounce.stop()
        if self.loading is not None:
            with contextlib.suppress(Exception):
                await self.loading
        await self.detail.tasks.wait()
