"""The Inventory workspace: every SKU with its pools as water levels, fed by the change feed like the
orders (so it reads offline from the cache); beside the chosen SKU its pools per warehouse, quotas,
the holds nearest expiry, the breaker — with the supervisor's resume, which needs a note and goes
straight to the hub, audited there — and its movements, which only the hub keeps. Packers see it
all read-only."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from orderdesk.app.services.inventory import (
    StockDesk,
    breaker_words,
    fetch_detail,
    minutes_left,
    movement_words,
    reason_words,
    resume,
)
from orderdesk.app.ui import theme
from orderdesk.app.ui.empty_state import WithEmptyState
from orderdesk.app.ui.errors import message_for
from orderdesk.app.ui.finance_widgets import when
from orderdesk.app.ui.i18n import pick
from orderdesk.app.ui.inventory_widgets import LEVELS, LevelsDelegate, PoolLevels, fill, small_table
from orderdesk.app.ui.lifetimes import KeptTasks
from orderdesk.sync.cache import Cache

log = logging.getLogger(__name__)
SKU_ROLE = Qt.ItemDataRole.UserRole


class InventoryPage(QWidget):
    resumed = Signal(str)  # the SKU a supervisor resumed: sync now, so the feed shows it
    sync_requested = Signal()  # the empty state's "Sync now"

    def __init__(self, cache: Cache, *, hub_url: str = "", token: Callable[[], str | None] = lambda: None,
                 may_resume: bool = False) -> None:  # fmt: skip
        super().__init__()
        self.desk = StockDesk(cache)
        self.hub_url, self.token, self.may_resume = hub_url, token, may_resume
        self.current: dict[str, Any] | None = None
        self._fetched: tuple[str, Any] | None = None
        self._tasks = KeptTasks()
        self.count = QLabel()
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.list = QTableWidget(0, 8)
        self.list.setObjectName("inventory_list")
        self.list.setHorizontalHeaderLabels([self.tr("SKU"), self.tr("Name"), self.tr("Levels"), self.tr("Sellable"),
                                             self.tr("Reserved"), self.tr("Paid, not shipped"), self.tr("Holds"),
                                             self.tr("Breaker")])  # fmt: skip
        self.list.verticalHeader().hide()
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setItemDelegateForColumn(2, LevelsDelegate(self.list))
        self.list.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.list.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        self.list.setColumnWidth(2, 160)
        self.list.itemSelectionChanged.connect(self._chosen)
        self._detail_panel()
        splitter = QSplitter()
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.count)
        column.addWidget(self.list, 1)
        splitter.addWidget(left)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.detail)
        splitter.addWidget(scroll)
        splitter.setSizes([560, 640])
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        self.stocked = WithEmptyState(splitter, "warehouse")
        layout.addWidget(self.stocked, 1)
        if not may_resume:
            self._said(self.tr("Read-only: a supervisor resumes a tripped SKU."))
        self.reload()

    def _detail_panel(self) -> None:
        self.detail = QWidget()
        self.title = QLabel()
        self.title.setFont(theme.font("title", bold=True))
        self.breaker = QLabel()
        self.breaker.setObjectName("breaker_state")
        self.breaker.setWordWrap(True)
        self.resume_note = QLineEdit()
        self.resume_note.setObjectName("resume_note")
        self.resume_note.setPlaceholderText(self.tr("Why it is safe to sell again (required)"))
        self.resume_button = QPushButton(self.tr("&Resume selling"))
        self.resume_button.setObjectName("resume_button")
        self.resume_button.clicked.connect(self.resume_current)
        self.resume_note.returnPressed.connect(self.resume_current)
        self.resume_row = QWidget()
        row = QHBoxLayout(self.resume_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.resume_note, 1)
        row.addWidget(self.resume_button)
        self.resume_row.hide()
        self.levels = QVBoxLayout()
        self.quotas = small_table([self.tr("Channel"), self.tr("Campaign"), self.tr("Taken"), self.tr("Quota")])
        self.holds = small_table([self.tr("Expires in"), self.tr("Channel"), self.tr("Units"), self.tr("Reservation")])
        self.listing = QLabel()
        self.listing.setWordWrap(True)
        self.history = QLabel()
        self.history.setWordWrap(True)
        self.movements = small_table([self.tr("When"), self.tr("Movement"), self.tr("Units"), self.tr("Reason"),
                                      self.tr("By"), self.tr("Reference")])  # fmt: skip
        self.movements.setObjectName("movements")
        self.quotas.setMaximumHeight(130)
        self.holds.setMaximumHeight(190)
        self.movements.setMinimumHeight(240)
        column = QVBoxLayout(self.detail)
        column.addWidget(self.title)
        column.addWidget(self.breaker)
        column.addWidget(self.resume_row)
        column.addLayout(self.levels)
        for heading, widget in ((self.tr("Quotas"), self.quotas), (self.tr("Holds nearest expiry"), self.holds),
                                (self.tr("Movements (from the hub)"), self.movements)):  # fmt: skip
            column.addWidget(QLabel(f"<b>{heading}</b>"))
            column.addWidget(widget)
        column.addWidget(self.listing)
        column.addWidget(self.history)
        column.addStretch(1)

    # -- the list ---------------------------------------------------------------------------------
    def reload(self) -> None:
        chosen = self.current["sku"] if self.current else None
        bodies = self.desk.skus()
        tripped = sum(1 for b in bodies if (b.get("breaker") or {}).get("state") == "tripped")
        self.count.setText(self.tr("{skus} SKUs · {tripped} tripped").format(skus=len(bodies), tripped=tripped))
        self.list.blockSignals(True)
        self.list.setRowCount(len(bodies))
        for r, body in enumerate(bodies):
            totals = body.get("totals") or {}
            state = (body.get("breaker") or {}).get("state")
            cells = [body["sku"], body.get("title", ""), "", f"{totals.get('sellable', 0):,}",
                     f"{totals.get('reserved', 0):,}", f"{totals.get('committed', 0):,}",
                     f"{(body.get('held') or {}).get('count', 0):,}",
                     self.tr("TRIPPED") if state == "tripped" else self.tr("selling")]  # fmt: skip
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(SKU_ROLE, body["sku"])
                if c == 2:
                    item.setData(LEVELS, totals)
                if state == "tripped":
                    item.setBackground(theme.colour("problem"))
                self.list.setItem(r, c, item)
        self.list.blockSignals(False)
        if bodies:
            if not self.may_resume:
                self._said(self.tr("Read-only: a supervisor resumes a tripped SKU."))
            names = [b["sku"] for b in bodies]
            self.list.selectRow(names.index(chosen) if chosen in names else 0)
            self._chosen()
            self.stocked.show_content()
        else:
            self.stocked.show_empty(
                self.tr("No stock yet"),
                self.tr(
                    "The hub has not recorded any SKU. Stock arrives with the sync once the warehouse or a "
                    "channel records it at the hub."
                ),
                (self.tr("Sync now"), self.sync_requested.emit),
            )

    def _chosen(self) -> None:
        rows = self.list.selectionModel().selectedRows()
        if not rows:
            return
        sku = rows[0].data(SKU_ROLE)
        body = self.desk.get(sku)
        if body is None:
            return
        self.show_sku(body)
        seen = (sku, body.get("version"))
        if seen != self._fetched:  # another SKU, or this one moved: its movements and history from the hub
            self._fetched = seen
            self._start(self._fetch(sku))

    def select(self, sku: str) -> bool:
        for r in range(self.list.rowCount()):
            if self.list.item(r, 0).text() == sku:
                self.list.selectRow(r)
                return True
        return False

    # -- one SKU ----------------------------------------------------------------------------------
    def show_sku(self, body: dict[str, Any]) -> None:
        self.current = body
        self.title.setText(f"{body.get('title') or body['sku']}  ·  {body['sku']}")
        tripped = (body.get("breaker") or {}).get("state") == "tripped"
        self.breaker.setText(pick(*breaker_words(body)))
        self.breaker.setStyleSheet(theme.error_style() if tripped else theme.text_style("ok"))
        self.resume_row.setVisible(tripped and self.may_resume)
        while self.levels.count():
            widget = self.levels.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        for warehouse, pools in sorted((body.get("levels") or {}).items()):
            bar = PoolLevels(warehouse, pools)
            self.levels.addWidget(bar)
            bar.show()  # at once, not at the layout's next pass: the levels are what the page is about
        fill(
            self.quotas,
            [(q["channel"], q["campaign"] or "—", q["taken"], q["quantity"]) for q in body.get("quotas", [])],
        )
        now = int(time.time() * 1000)
        held = body.get("held") or {}
        fill(self.holds, [(pick(*minutes_left(h["expires_at_ms"], now)), h["channel"], h["quantity"], h["key"])
                          for h in held.get("expiring", [])])  # fmt: skip
        actions = body.get("listing_actions") or []
        words = {"pause": self.tr("pause"), "resume": self.tr("resume")}
        asked = ", ".join(f"{a['channel']} {words.get(a['action'], a['action'])}" for a in actions)
        self.listing.setText(self.tr("Waiting for the channels: {actions}").format(actions=asked) if actions else "")

    async def _fetch(self, sku: str) -> None:
        token = self.token()
        if not self.hub_url or not token:
            self.history.setText(self.tr("Movements need the hub: signed in offline."))
            return
        try:
            detail, moves = await fetch_detail(self.hub_url, token, sku)
        except Exception as exc:  # offline: the levels show from the cache, the movements wait for the hub
            log.debug("inventory detail of %s: %s", sku, exc)
            self.history.setText(self.tr("Movements need the hub: {error}").format(error=message_for(exc)))
            return
        if self.current is None or self.current["sku"] != sku:
            return  # another SKU was chosen meanwhile
        fill(self.movements, [(when(m["at_ms"]), pick(*movement_words(m)), m["quantity"], pick(*reason_words(m["reason"])), m["actor"],
                               m["ref_id"]) for m in moves])  # fmt: skip
        lines = []
        for h in detail.get("breaker_history", [])[:5]:
            event = self.tr("tripped") if h["event"] == "tripped" else self.tr("resumed")
            lines.append(f"{when(h['at_ms'])} {event} · {h['actor']}")
        self.history.setText(self.tr("Breaker history: {lines}").format(lines="; ".join(lines)) if lines else "")

    # -- resuming ---------------------------------------------------------------------------------
    def resume_current(self) -> None:
        if self.current is None or not self.may_resume:
            return
        note = self.resume_note.text().strip()
        if not note:
            self._said(self.tr("Say why it is safe to sell again before resuming."), "error")
            self.resume_note.setFocus()
            return
        self._start(self._resume(self.current["sku"], note))

    async def _resume(self, sku: str, note: str) -> None:
        self.resume_button.setEnabled(False)
        try:
            done = await resume(self.hub_url, self.token() or "", sku, note)
        except Exception as exc:  # refused, or the hub is away: said, nothing changed
            self._said(self.tr("Not resumed: {error}").format(error=message_for(exc)), "error")
            return
        finally:
            self.resume_button.setEnabled(True)
        self.resume_note.clear()
        channels = ", ".join(done.get("channels", [])) or "—"
        self._said(self.tr("{sku} sells again; asked to resume the listing on: {channels}").format(
            sku=sku, channels=channels), "ok")  # fmt: skip
        self.resumed.emit(sku)

    def _said(self, text: str, kind: str = "note") -> None:
        self.note.setText(text)
        self.note.setStyleSheet(theme.text_style(kind))

    def _start(self, work: Any) -> None:
        self._tasks.start(work)
