"""The Supervision workspace (主管): does the order, logistics and finance data agree? Tabs for the
consistency dashboard (per channel and day, drill-down to each order's trace, the channels' API
health), data quality, BI versus finance, the health score, the self-check, the reports, and the
channel mapping tables. Every figure is computed by insights/ in a worker thread (the window never
waits) from the cache, so it reads offline too; what only the hub knows is fetched when it answers."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSpinBox, QSplitter, QTabWidget, QVBoxLayout, QWidget

from orderdesk.app.services.supervision import SupervisionDesk, fetch_facts, last_days
from orderdesk.app.ui import theme
from orderdesk.app.ui.i18n import pick
from orderdesk.app.ui.lifetimes import KeptTasks
from orderdesk.app.ui.supervision_charts import Chart
from orderdesk.app.ui.supervision_widgets import OrderTrace, chosen_key, fill, percent, table
from orderdesk.insights.consistency import KINDS, RATE_BAR
from orderdesk.insights.measures import HubFacts
from orderdesk.insights.quality import CHECK_LABELS
from orderdesk.sync.cache import Cache
from orderdesk.sync.labels import SOURCES, label
from orderdesk.sync.states import ANOMALY_LABELS, AnomalyKind

log = logging.getLogger(__name__)


class Tab(QWidget):
    """A tab whose figures come from a worker thread: ``refresh`` starts it, ``note`` says how it went.
    Each tab defines ``load``, the coroutine that computes and shows its figures."""

    load: Callable[[], Coroutine[Any, Any, None]]

    def __init__(self, page: SupervisionPage) -> None:
        super().__init__()
        self.page = page
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.loaded = False
        self._running = False
        self._again = False

    def start(self, work: Coroutine[Any, Any, None]) -> None:
        self.page.start(work)

    def say(self, text: str, kind: str = "note") -> None:
        self.note.setText(text)
        self.note.setStyleSheet(theme.error_style() if kind == "error" else theme.text_style(kind))

    def refresh(self) -> None:
        """Compute again; asked while a computation runs, once more after it (the last inputs win)."""
        self.loaded = True
        if self._running:
            self._again = True
            return
        self._running = True
        self.say(self.tr("Computing…"))
        self.start(self._guarded())

    async def _guarded(self) -> None:
        try:
            while True:
                self._again = False
                try:
                    await self.load()
                except Exception as exc:  # a damaged cache or a bug: said here, the other tabs go on
                    log.exception("supervision: %s", type(self).__name__)
                    self.say(self.tr("Could not compute: {error}").format(error=exc), "error")
                if not self._again:
                    return
        finally:
            self._running = False


class ConsistencyTab(Tab):
    def __init__(self, page: SupervisionPage) -> None:
        super().__init__(page)
        self.days = QSpinBox()
        self.days.setRange(1, 90)
        self.days.setValue(7)
        self.days.setSuffix(self.tr(" days"))
        self.days.valueChanged.connect(lambda _v: self.refresh())
        self.summary = QLabel()
        self.summary.setObjectName("consistency_summary")
        self.summary.setFont(theme.font("heading", bold=True))
        self.channels = table([self.tr("Channel"), self.tr("Orders"), self.tr("Disagreeing"), self.tr("Rate"),
                               self.tr("Kinds")], "consistency_channels")  # fmt: skip
        self.channels.itemSelectionChanged.connect(self._drill)
        self.health = table([self.tr("Source"), self.tr("Calls"), self.tr("Call success"), self.tr("Records refused")],
                            "api_health")  # fmt: skip
        self.rates = Chart(self.tr("Disagreeing orders per channel (%)"))
        self.trend = Chart(self.tr("Disagreeing orders per day (%)"), "line")
        self.orders = table([self.tr("Order no."), self.tr("Unified id"), self.tr("Channel"), self.tr("Disagreements")],
                            "consistency_orders")  # fmt: skip
        self.orders.itemActivated.connect(
            lambda item: self.page.open_trace(
                item.data(Qt.ItemDataRole.UserRole), self.orders.item(item.row(), 3).text()
            )
        )
        self.result: Any = None
        self._asked = 0
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Orders created in the last")))
        top.addWidget(self.days)
        top.addWidget(self.summary, 1)
        charts = QHBoxLayout()
        charts.addWidget(self.rates)
        charts.addWidget(self.trend)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.channels, 2)
        column.addLayout(charts, 3)
        column.addWidget(QLabel(self.tr("<b>API health of each source</b> (the hub's ingest, last 7 days)")))
        column.addWidget(self.health, 1)
        right = QWidget()
        drill = QVBoxLayout(right)
        drill.setContentsMargins(0, 0, 0, 0)
        self.drill_title = QLabel(self.tr("<b>Disagreeing orders</b> (Enter or double-click: the order's trace)"))
        drill.addWidget(self.drill_title)
        drill.addWidget(self.orders, 1)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([700, 450])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.note)
        layout.addWidget(split, 1)

    async def load(self) -> None:
        start, end = last_days(self.page.desk.today(), self.days.value())
        result = await asyncio.to_thread(self.page.desk.consistency, start, end)
        self.result = result
        total = result.total()
        self.summary.setText(self.tr("{disagreeing:,} of {orders:,} orders disagree ({rate}); bar {bar}").format(
            disagreeing=total.disagreeing, orders=total.orders, rate=percent(total.rate), bar=percent(RATE_BAR, 1)))  # fmt: skip
        self.summary.setStyleSheet(theme.error_style() if total.highlighted else theme.text_style("ok"))
        rows = result.per_channel()
        fill(self.channels, [(channel_name(r.channel), r.orders, r.disagreeing, percent(r.rate), self._kinds(r.kinds))
                             for r in rows], keys=[r.channel for r in rows], alerts=[r.highlighted for r in rows])  # fmt: skip
        self.rates.show_values([channel_name(r.channel) for r in rows], [100 * r.rate for r in rows], bar=100 * RATE_BAR,
                               alert_above=100 * RATE_BAR)  # fmt: skip
        per_day: dict[str, list[int]] = {}
        for (_, day), cell in result.cells.items():
            counts = per_day.setdefault(day, [0, 0])
            counts[0] += cell.orders
            counts[1] += cell.disagreeing
        days = sorted(per_day)
        rates = [100 * per_day[d][1] / per_day[d][0] if per_day[d][0] else 0.0 for d in days]
        self.trend.show_values([d[5:] for d in days], rates, bar=100 * RATE_BAR, alert_above=100 * RATE_BAR)
        self._drill()
        self.say(self.tr("Highlighted: channels above {bar}. Choose a channel to see its orders.").format(
            bar=percent(RATE_BAR, 1)))  # fmt: skip
        self.show_api_health(self.page.facts)

    def _kinds(self, kinds: dict[str, int]) -> str:
        return ", ".join(f"{pick(*KINDS[k])} {n}" for k, n in sorted(kinds.items(), key=lambda kv: -kv[1]))

    def _drill(self) -> None:
        if self.result is None:
            return
        channel = chosen_key(self.channels)
        ids = self.result.drill(channel=channel)
        self._asked += 1
        self.start(self._show_orders(ids, self._asked))

    async def _show_orders(self, ids: list[int], asked: int) -> None:
        briefs = await asyncio.to_thread(self.page.desk.orders, ids)
        if asked != self._asked:
            return  # another channel was chosen meanwhile: its orders win
        kinds = self.result.order_kinds if self.result is not None else {}
        fill(self.orders, [(b.channel_order_no, b.domain_id, channel_name(b.channel), ", ".join(pick(*KINDS[k]) for k in kinds.get(b.id, [])))
                           for b in briefs], keys=[b.id for b in briefs])  # fmt: skip

    def show_api_health(self, facts: HubFacts) -> None:
        sources = (facts.ingest or {}).get("sources") if facts.ingest else None
        if not sources:
            fill(self.health, [(self.tr("no figures from the hub (offline, or a hub without ingest statistics)"),
                                "", "", "")])  # fmt: skip
            return
        rows = []
        for s in sources:
            calls = s.get("calls", 0)
            rate = s.get("call_success_rate")
            rows.append((channel_name(s.get("source", "")), calls, percent(rate, 2) if rate is not None else "—",
                         s.get("records_refused", 0)))  # fmt: skip
        fill(self.health, rows, alerts=[s.get("call_success_rate") is not None and s["call_success_rate"] < 0.999
                                        for s in sources])  # fmt: skip


class QualityTab(Tab):
    def __init__(self, page: SupervisionPage) -> None:
        super().__init__(page)
        self.checks = table([self.tr("Check"), self.tr("Value"), self.tr("Warn above"), self.tr("Fail above"),
                             self.tr("Status"), self.tr("Checked"), self.tr("Found")], "quality_checks")  # fmt: skip
        self.checks.itemSelectionChanged.connect(self._trend)
        self.trend = Chart(self.tr("The chosen check per day"), "line")
        self.anomalies = table([self.tr("Open anomalies"), self.tr("Count"), self.tr("Precision"), self.tr("Recall")],
                               "open_anomalies")  # fmt: skip
        self.anomalies.setToolTip(self.tr("Precision: of the open anomalies of a kind, the share that were really planted; "
                                          "recall: of the planted ones, the share found. Measured on the demo's planted "
                                          "anomalies (./dev bench anomalies)."))  # fmt: skip
        self.results: dict[str, Any] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.checks, 2)
        row = QHBoxLayout()
        row.addWidget(self.trend, 3)
        row.addWidget(self.anomalies, 2)
        layout.addLayout(row, 2)

    async def load(self) -> None:
        start, end = last_days(self.page.desk.today(), 30)
        self.results = await asyncio.to_thread(self.page.desk.quality, start, end)
        anomalies = await asyncio.to_thread(self.page.desk.open_anomalies)
        status = {
            "pass": self.tr("pass"),
            "warn": self.tr("warn"),
            "fail": self.tr("fail"),
            "no_data": self.tr("no data"),
        }
        rows, alerts = [], []
        for r in self.results.values():
            unit = "" if r.is_count else "%"
            value = "—" if r.value is None else (f"{r.value:.0f}" if r.is_count else f"{r.value:.2f}%")
            rows.append((pick(*CHECK_LABELS[r.id]), value, f"{r.warn:g}{unit}", f"{r.fail:g}{unit}", status[r.status],
                         r.evaluated, r.unexpected))  # fmt: skip
            alerts.append(r.status in ("fail", "warn"))
        fill(self.checks, rows, keys=list(self.results), alerts=alerts)
        measured = await asyncio.to_thread(self.page.desk.anomaly_precision)
        rows = []
        for kind, n in sorted(anomalies.items(), key=lambda kv: -kv[1]):
            m = measured.get(kind, {})
            rows.append((_anomaly_words(kind), n, percent(m.get("precision"), 1) if m else "—",
                         percent(m.get("recall"), 1) if m else "—"))  # fmt: skip
        fill(self.anomalies, rows)
        whole = measured.get("*")
        said = self.tr("The last 30 days. Thresholds: resources/insights/quality.json (warn / fail, as dbt and Soda).")
        if whole:
            said += " " + self.tr("Anomalies: precision {precision}, recall {recall} on {orders} demo orders ({day}).").format(
                precision=percent(whole["precision"], 1), recall=percent(whole["recall"], 1),
                orders=f"{whole['orders']:,}", day=whole["measured"])  # fmt: skip
        self.say(said)
        if self.checks.rowCount():
            self.checks.selectRow(0)

    def _trend(self) -> None:
        key = chosen_key(self.checks)
        r = self.results.get(key) if key else None
        if r is None or r.is_count:
            self.trend.show_values([], [])
            return
        days = sorted(d for d in r.per_day if d != "—")
        values = [100 * r.per_day[d][1] / r.per_day[d][0] if r.per_day[d][0] else 0.0 for d in days]
        self.trend.show_values([d[5:] for d in days], values, bar=r.fail, alert_above=r.warn)


def channel_name(channel: str) -> str:
    return pick(*label(SOURCES, channel))


def _anomaly_words(kind: str) -> str:
    try:
        return pick(*ANOMALY_LABELS[AnomalyKind(kind)])
    except ValueError:
        return kind


class SupervisionPage(QWidget):
    """The tabs, the hub's facts they share, and the order-trace dialog the drill-downs open."""

    go_to = Signal(str)  # a workspace a suggestion names ("orders", "finance", …)

    def __init__(self, cache: Cache, *, hub_url: str = "", token: Callable[[], str | None] = lambda: None,
                 user: str = "") -> None:  # fmt: skip
        super().__init__()
        from orderdesk.app.ui.supervision_more import (
            HealthTab,
            MappingsTab,
            ReconciliationTab,
            ReportsTab,
            SelfCheckTab,
        )

        self.cache, self.hub_url, self.token, self.user = cache, hub_url, token, user
        self.desk = SupervisionDesk(cache)
        self.facts = HubFacts()
        self._tasks = KeptTasks()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("supervision_tabs")
        self.consistency = ConsistencyTab(self)
        self.quality = QualityTab(self)
        self.reconciliation = ReconciliationTab(self)
        self.health = HealthTab(self)
        self.selfcheck = SelfCheckTab(self)
        self.reports = ReportsTab(self)
        self.mappings = MappingsTab(self)
        for tab, title in ((self.consistency, self.tr("&Consistency")), (self.quality, self.tr("&Data quality")),
                           (self.reconciliation, self.tr("&BI vs finance")), (self.health, self.tr("&Health score")),
                           (self.selfcheck, self.tr("Self-chec&k")), (self.reports, self.tr("&Reports")),
                           (self.mappings, self.tr("&Mappings"))):  # fmt: skip
            self.tabs.addTab(tab, title)
        self.tabs.currentChanged.connect(self._shown)
        refresh = QPushButton(self.tr("Refresh (F5)"))
        refresh.setObjectName("supervision_refresh")
        refresh.clicked.connect(self.refresh_current)
        QShortcut(QKeySequence("F5"), self, activated=self.refresh_current,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)  # fmt: skip
        self.tabs.setCornerWidget(refresh)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    def start(self, work: Coroutine[Any, Any, None]) -> None:
        self._tasks.start(work)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self._shown(self.tabs.currentIndex())

    def _shown(self, index: int) -> None:
        tab = self.tabs.widget(index)
        if isinstance(tab, Tab) and not tab.loaded:
            if not self.facts.inventory and not self.facts.ingest:
                self.start(self._fetch_facts())
            tab.refresh()

    def refresh_current(self) -> None:
        tab = self.tabs.currentWidget()
        if isinstance(tab, Tab):
            self.start(self._fetch_facts())
            tab.refresh()

    async def _fetch_facts(self) -> None:
        try:
            self.facts = await fetch_facts(self.hub_url, self.token())
        except Exception as exc:  # offline: the dimensions that need the hub say "no data"
            log.info("supervision: the hub's figures: %s", exc)
        self.consistency.show_api_health(self.facts)

    def open_trace(self, order_id: int | None, why: str = "") -> None:
        if order_id is None:
            return
        dialog = OrderTrace(self.cache, int(order_id), self, why)
        dialog.open()
