"""The Supervision tabs beyond the dashboard: BI versus finance, the health score, the self-check, the
reports (made and pushed now, or at the daily report's time) and the channel mapping tables."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from orderdesk.app.services.settings import Settings, report_minutes
from orderdesk.app.services.supervision import daily_due, push, report_folder
from orderdesk.app.ui import theme
from orderdesk.app.ui.i18n import pick
from orderdesk.app.ui.supervision_charts import Chart
from orderdesk.app.ui.supervision_page import SupervisionPage, Tab, channel_name
from orderdesk.app.ui.supervision_widgets import chosen_key, fill, percent, table, yuan
from orderdesk.insights import health as health_score
from orderdesk.insights import reports, robots
from orderdesk.insights.reconciliation import CAUSES, PART_LABELS, PARTS
from orderdesk.insights.selfcheck import VERDICTS
from orderdesk.sync.mapping.registry import MappingTableError

log = logging.getLogger(__name__)
FEES = ("commission", "freight_insurance", "coupons")


class ReconciliationTab(Tab):
    def __init__(self, page: SupervisionPage) -> None:
        super().__init__(page)
        self.month = QComboBox()
        self.month.setObjectName("reconcile_month")
        self.channel = QComboBox()
        self.channel.setObjectName("reconcile_channel")
        self.summary = QLabel()
        self.summary.setObjectName("reconcile_summary")
        self.summary.setFont(theme.font("heading", bold=True))
        self.summary.setWordWrap(True)
        self.parts = table([self.tr("Part of the gap"), self.tr("Yuan"), self.tr("Orders")], "reconcile_parts")
        self.parts.itemSelectionChanged.connect(self._part_orders)
        self.chart = Chart(self.tr("Make-up of the gap (yuan)"))
        self.orders = table([self.tr("Order no."), self.tr("Unified id"), self.tr("BI"), self.tr("Finance"),
                             self.tr("Difference"), self.tr("Cause")], "reconcile_orders")  # fmt: skip
        self.orders.itemActivated.connect(self._trace)
        self.orders_title = QLabel()
        self.result: Any = None
        for box in (self.month, self.channel):
            box.currentIndexChanged.connect(lambda _i: self.refresh() if self.loaded else None)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Month")))
        top.addWidget(self.month)
        top.addWidget(QLabel(self.tr("Channel")))
        top.addWidget(self.channel)
        top.addStretch(1)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.parts, 1)
        column.addWidget(self.chart, 1)
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.orders_title)
        column.addWidget(self.orders, 1)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.note)
        layout.addWidget(split, 1)

    async def load(self) -> None:
        if self.month.count() == 0:
            months = await asyncio.to_thread(self.page.desk.months)
            self.month.blockSignals(True)
            self.month.addItems(months)
            current = self.page.desk.today().strftime("%Y-%m")
            if len(months) > 1 and months[0] == current:
                self.month.setCurrentIndex(1)  # the last whole month first: this one is still settling
            self.month.blockSignals(False)
            self.channel.blockSignals(True)
            self.channel.addItem(self.tr("All channels"), None)
            for name in ("taobao", "douyin", "pdd", "wechat_channels", "youzan", "miniapp"):
                self.channel.addItem(channel_name(name), name)
            self.channel.blockSignals(False)
        if self.month.count() == 0:
            self.say(self.tr("No payments in the cache yet: nothing to reconcile."))
            return
        month, channel = self.month.currentText(), self.channel.currentData()
        r = await asyncio.to_thread(self.page.desk.reconcile, month, channel)
        self.result = r
        rate = r.unexplained_rate
        self.summary.setText(self.tr("BI GMV {bi} · finance {finance} · gap {gap} yuan · unexplained {rate} (goal ≤ 0.5%)")
                             .format(bi=yuan(r.bi_gmv), finance=yuan(r.finance), gap=yuan(r.gap), rate=percent(rate, 3)))  # fmt: skip
        self.summary.setStyleSheet(theme.error_style() if rate is not None and rate > 0.005 else theme.text_style("ok"))
        fill(self.parts, [(pick(*PART_LABELS[p]), yuan(r.parts[p]), len(r.orders[p])) for p in PARTS], keys=list(PARTS),
             alerts=[p == "unexplained" and rate is not None and rate > 0.005 for p in PARTS])  # fmt: skip
        self.chart.show_values([pick(*PART_LABELS[p])[:6] for p in PARTS], [r.parts[p] / 100 for p in PARTS])
        self.say(self.tr("Choose a part to see the orders that make it up; the top 10 are shown first."))
        self._show(None)

    def _trace(self, item: Any) -> None:
        row = item.row()
        cause = self.orders.item(row, 5).text() if self.orders.item(row, 5) else ""
        why = self.tr("Differs by {amount} yuan · {cause}").format(amount=self.orders.item(row, 4).text(), cause=cause)
        self.page.open_trace(item.data(Qt.ItemDataRole.UserRole), why)

    def _part_orders(self) -> None:
        self._show(chosen_key(self.parts))

    def _show(self, part: str | None) -> None:
        if self.result is None:
            return
        found = self.result.top() if part is None else self.result.orders[part][:500]
        title = self.tr("<b>Top 10 differing orders</b>") if part is None else self.tr("<b>{part}</b>: {n} orders").format(
            part=pick(*PART_LABELS[part]), n=len(self.result.orders[part]))  # fmt: skip
        self.orders_title.setText(title)
        fill(self.orders, [(d.channel_order_no, d.domain_id, yuan(d.bi), yuan(d.finance),
                            yuan(d.parts[part] if part else d.difference), pick(*CAUSES[d.cause]) if d.cause else "")
                           for d in found], keys=[d.order_id for d in found])  # fmt: skip


class HealthTab(Tab):
    def __init__(self, page: SupervisionPage) -> None:
        super().__init__(page)
        self.score = QLabel()
        self.score.setObjectName("health_score")
        self.score.setFont(theme.font("figure", bold=True))
        self.alert = QLabel()
        self.alert.setObjectName("health_alert")
        self.alert.setWordWrap(True)
        self.trend = Chart(self.tr("Health score per day"), "line", 160)
        self.dimensions = table([self.tr("Dimension"), self.tr("Value"), self.tr("Score"), self.tr("Weight"),
                                 self.tr("Good / bad"), self.tr("Formula"), self.tr("Source"), self.tr("What to do")],
                                "health_dimensions")  # fmt: skip
        self.dimensions.itemActivated.connect(self._go)
        self.shop = QComboBox()  # every shop together, or one: a score per shop, with its own history
        self.shop.setObjectName("health_shop")
        self.shop.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.shop.currentIndexChanged.connect(lambda _i: self.refresh() if self.loaded else None)
        self.scored: health_score.Health | None = None
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(self.score)
        row.addWidget(self.alert, 1)
        row.addWidget(QLabel(self.tr("Shop")))
        row.addWidget(self.shop)
        layout.addLayout(row)
        layout.addWidget(self.note)
        layout.addWidget(self.trend, 1)
        layout.addWidget(self.dimensions, 2)

    async def load(self) -> None:
        if self.shop.count() == 0:
            shops = await asyncio.to_thread(self.page.desk.shops)
            self.shop.blockSignals(True)
            self.shop.addItem(self.tr("All shops"), None)
            for name in shops:
                self.shop.addItem(name, name)
            self.shop.blockSignals(False)
        shop = self.shop.currentData()
        day = self.page.desk.today()
        scored = await asyncio.to_thread(self.page.desk.health, day, self.page.facts, shop=shop)
        self.scored = scored
        history = await asyncio.to_thread(self.page.desk.history, 30, shop or "*")
        value = scored.score
        self.score.setText(self.tr("Health {score}").format(score="—" if value is None else f"{value:.1f}"))
        low = value is not None and value < health_score.ALERT_BELOW
        self.score.setStyleSheet(theme.error_style() if low else theme.text_style("ok"))
        weak = scored.suggestions()
        if value is None:
            self.alert.setText(self.tr("Too little data to score ({coverage} of the weight has data).").format(
                coverage=percent(scored.coverage, 0)))  # fmt: skip
        elif low:
            self.alert.setText(self.tr("Below 70: {first}").format(first="; ".join(
                f"{pick(*m.dimension.name)} → {pick(*m.dimension.suggestion)}" for m in weak[:3])))  # fmt: skip
        else:
            self.alert.setText(self.tr("Coverage {coverage}").format(coverage=percent(scored.coverage, 0)))
        self.alert.setStyleSheet(theme.error_style() if low else theme.text_style("note"))
        days = [d for d, s in history if s is not None]
        self.trend.show_values([d[5:] for d in days], [s for _, s in history if s is not None], bar=70, alert_below=70,
                               y_range=(0, 100))  # fmt: skip
        rows = []
        for m in scored.dimensions:
            d = m.dimension
            value_text = self.tr("no data") if m.value is None else f"{m.value:.2f} {d.unit}"
            rows.append((pick(*d.name), value_text, "—" if m.score is None else f"{m.score:.0f}", f"{d.weight:g}",
                         f"{d.good:g} / {d.bad:g}", pick(*d.formula), pick(*d.source), pick(*d.suggestion)))  # fmt: skip
        fill(self.dimensions, rows, keys=[m.dimension.fix for m in scored.dimensions],
             alerts=[m.score is not None and m.score < health_score.ALERT_BELOW for m in scored.dimensions])  # fmt: skip
        self.say(
            self.tr(
                "Enter or double-click a dimension: go where it is fixed. A dimension without data never counts as passing."
            )
        )
        if low and shop is None:  # the supervisor is told of the whole business's score, not each shop's
            self.page.reports.notify_low(scored)

    def _go(self, item: Any) -> None:
        workspace = item.data(Qt.ItemDataRole.UserRole)
        if workspace == "supervision":
            return
        self.page.go_to.emit(workspace)


class SelfCheckTab(Tab):
    def __init__(self, page: SupervisionPage) -> None:
        super().__init__(page)
        self.verdict = QLabel()
        self.verdict.setObjectName("selfcheck_verdict")
        self.verdict.setFont(theme.font("title", bold=True))
        self.items = table(["#", self.tr("Check"), self.tr("Bar"), self.tr("Measured"), self.tr("Result"),
                            self.tr("Evidence")], "selfcheck_items")  # fmt: skip
        layout = QVBoxLayout(self)
        layout.addWidget(self.verdict)
        layout.addWidget(self.note)
        layout.addWidget(self.items, 1)

    async def load(self) -> None:
        check = await asyncio.to_thread(self.page.desk.selfcheck, self.page.desk.today(), self.page.facts)
        self.verdict.setText(
            self.tr("{score}/10 · {verdict}").format(score=check.score, verdict=pick(*VERDICTS[check.verdict]))
        )
        self.verdict.setStyleSheet(theme.text_style("ok") if check.verdict == "healthy" else theme.error_style())
        fill(self.items, [(i.number, pick(*i.title), pick(*i.bar), i.value or self.tr("no data"),
                           self.tr("pass") if i.passed else self.tr("fail"), pick(*i.evidence)) for i in check.items],
             alerts=[not i.passed for i in check.items])  # fmt: skip
        self.say(
            self.tr(
                "Measured from the data, not ticked: ≥ 8 healthy, 6–7 at risk, ≤ 5 upgrade. A row without data fails."
            )
        )


class ReportsTab(Tab):
    def __init__(self, page: SupervisionPage) -> None:
        super().__init__(page)
        self.preview = QTextEdit()
        self.preview.setObjectName("report_preview")
        self.preview.setReadOnly(True)
        self.robots = QLabel()
        self.robots.setWordWrap(True)
        self.make_daily = QPushButton(self.tr("Make the &daily report"))
        self.make_daily.setObjectName("make_daily")
        self.make_monthly = QPushButton(self.tr("Make last month's &audit"))
        self.make_monthly.setObjectName("make_monthly")
        self.send = QPushButton(self.tr("&Send now"))
        self.send.setObjectName("send_report")
        self.make_daily.clicked.connect(lambda: self.start(self._make("daily", send=False)))
        self.make_monthly.clicked.connect(lambda: self.start(self._make("monthly", send=False)))
        self.send.clicked.connect(lambda: self.start(self._make(self.kind, send=True)))
        self.kind = "daily"
        self.made: tuple[str, str, str, str] | None = None  # kind, period, title, markdown
        self._pushed_today: str | None = None
        self._health_pushed: str | None = None
        buttons = QHBoxLayout()
        for b in (self.make_daily, self.make_monthly, self.send):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.robots)
        layout.addWidget(self.note)
        layout.addWidget(self.preview, 1)
        self._clock = QTimer(self, interval=60_000)
        self._clock.timeout.connect(self._on_the_hour)
        self._clock.start()

    def _robot_words(self) -> str:
        found = robots.configured()
        if not found:
            return self.tr("No group robot configured: set ORDERDESK_WECOM_WEBHOOK / ORDERDESK_DINGTALK_WEBHOOK (and "
                           "_SECRET) or keep them in the keyring (orderdesk-robots). Reports are still made as PDF.")  # fmt: skip
        return self.tr("Pushes to: {robots} (each report once, whichever console sends it)").format(
            robots=", ".join(r.name for r in found))  # fmt: skip

    async def load(self) -> None:
        self.robots.setText(self._robot_words())
        await self._make("daily", send=False)

    async def _make(self, kind: str, *, send: bool) -> None:
        desk = self.page.desk
        folder = report_folder()
        if kind == "daily":
            made = await asyncio.to_thread(desk.daily, desk.today(), self.page.facts)
            period, title, markdown = made.day, f"状态一致性日报 {made.day}", reports.daily_markdown(made)
            path = await asyncio.to_thread(reports.daily_pdf, made, folder / f"状态一致性日报-{made.day}.pdf")
        else:
            months = await asyncio.to_thread(desk.months)
            month = next((m for m in months if m < desk.today().strftime("%Y-%m")), None) or (
                months[0] if months else ""
            )
            if not month:
                self.say(self.tr("No payments in the cache yet: no audit to make."))
                return
            monthly = await asyncio.to_thread(desk.monthly, month)
            period, title, markdown = month, f"数据一致性审计报告 {month}", reports.monthly_markdown(monthly)
            path = await asyncio.to_thread(reports.monthly_pdf, monthly, folder / f"数据一致性审计报告-{month}.pdf")
        self.kind = kind
        self.made = (kind, period, title, markdown)
        self.preview.setMarkdown(markdown)
        self.say(self.tr("Made {path}").format(path=path), "ok")
        if send:
            await self._send(kind, period, title, markdown)

    async def _send(self, kind: str, period: str, title: str, markdown: str) -> None:
        token = self.page.token()
        if not robots.configured():
            self.say(self._robot_words(), "error")
            return
        if not token:
            self.say(
                self.tr("Sending needs the hub (it makes sure each report goes once): signed in offline."), "error"
            )
            return
        try:
            outcomes = await push(self.page.hub_url, token, kind, period, title, markdown)
        except Exception as exc:
            self.say(self.tr("Not sent: {error}").format(error=exc), "error")
            return
        words = []
        for o in outcomes:
            words.append(
                f"{o.robot}: "
                + (self.tr("sent") if o.sent else self.tr("not sent ({why})").format(why=pick(o.skipped_zh, o.skipped)))
            )
        self.say("; ".join(words), "ok" if all(o.sent or o.skipped == "already sent" for o in outcomes) else "error")

    def _on_the_hour(self) -> None:
        """At the daily report's time (settings): make it and push it, once a day (the hub's claims make it
        once across consoles too)."""
        minutes = report_minutes(Settings.load().report_time) or 9 * 60
        due = daily_due(minutes)
        if due is None or self._pushed_today == due.isoformat() or not robots.configured() or not self.page.token():
            return
        self._pushed_today = due.isoformat()
        self.start(self._make("daily", send=True))

    def notify_low(self, scored: health_score.Health) -> None:
        """Below 70: the suggestions to the group robots, once a day."""
        if self._health_pushed == scored.day or not robots.configured() or not self.page.token():
            return
        self._health_pushed = scored.day
        lines = [f"### 订单健康分 {scored.score:.1f}(低于 70)· {scored.day}"]
        lines += [
            f"- {m.dimension.name[0]} {m.score:.0f} 分:{m.dimension.suggestion[0]}" for m in scored.suggestions()[:5]
        ]
        self.start(self._send("health", scored.day, f"订单健康分 {scored.day}", "\n".join(lines)))


class MappingsTab(Tab):
    def __init__(self, page: SupervisionPage) -> None:
        super().__init__(page)
        self.sources = table([self.tr("Source"), self.tr("System"), self.tr("Version"), self.tr("Rules"),
                              self.tr("Assumed")], "mapping_sources")  # fmt: skip
        self.sources.itemSelectionChanged.connect(self._rules)
        self.rules = table([self.tr("Rule"), self.tr("When"), self.tr("Then"), self.tr("Label"), self.tr("Where it comes from")],
                           "mapping_rules")  # fmt: skip
        self.raw = QLineEdit()
        self.raw.setObjectName("mapping_try")
        self.raw.setPlaceholderText(self.tr("A raw status to try, e.g. 3"))
        self.raw.returnPressed.connect(self._try)
        self.tried = QLabel()
        self.tried.setObjectName("mapping_tried")
        self.tried.setWordWrap(True)
        importing = QPushButton(self.tr("&Import a new version…"))
        importing.setObjectName("mapping_import")
        importing.clicked.connect(self._import)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Try")))
        row.addWidget(self.raw, 1)
        row.addWidget(importing)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.sources, 1)
        layout.addWidget(self.rules, 2)
        layout.addLayout(row)
        layout.addWidget(self.tried)

    async def load(self) -> None:
        registry = await asyncio.to_thread(self.page.desk.registry)
        tables = [registry.table(s) for s in registry.sources]
        from orderdesk.sync.mapping.provenance import assumed_rules

        fill(self.sources, [(channel_name(t.source), t.source_system.value, t.version, len(t.document["rules"]),
                             len(assumed_rules(t.document))) for t in tables], keys=[t.source for t in tables],
             alerts=[bool(assumed_rules(t.document)) for t in tables])  # fmt: skip
        self.say(
            self.tr(
                "Each channel's raw statuses and what they mean. Rows marked as assumed wait for a supervisor to confirm them."
            )
        )
        if tables and not self.sources.selectionModel().selectedRows():
            self.sources.selectRow(0)

    def _rules(self) -> None:
        source = chosen_key(self.sources)
        if source is None:
            return
        found = self.page.desk.rules(source)
        fill(self.rules, [(r["id"], _words(r["when"]), _words(r["then"]), pick(r["label"].get("zh"), r["label"].get("en")),
                           pick(r["basis_zh"], r["basis_en"])) for r in found], alerts=[r["assumed"] for r in found])  # fmt: skip

    def _try(self) -> None:
        source, raw = chosen_key(self.sources), self.raw.text().strip()
        if source is None or not raw:
            return
        mapped = self.page.desk.try_status(source, raw)
        if mapped["unmapped"]:
            self.tried.setText(
                self.tr("{source} {raw}: no rule knows it (it would be an unmapped status)").format(
                    source=source, raw=raw
                )
            )
            self.tried.setStyleSheet(theme.error_style())
            return
        label = mapped.get("label") or {}
        self.tried.setText(f"{source} {raw} → {pick(label.get('zh'), label.get('en'))} · fulfilment={mapped['fulfilment']} "
                           f"refund={mapped['refund']} · {mapped['rule']} ({mapped['mapping_version']})")  # fmt: skip
        self.tried.setStyleSheet(theme.text_style("ok"))

    def _import(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("A mapping table (JSON)"), "", "JSON (*.json)")
        if name:
            self.import_file(Path(name))

    def import_file(self, path: Path) -> None:
        try:
            result = self.page.desk.import_mapping(path, self.page.user or "supervisor")
        except MappingTableError as exc:
            self.tried.setText(self.tr("Refused at {path}: {message}").format(path=exc.json_path, message=exc.message))
            self.tried.setStyleSheet(theme.error_style())
            return
        except (OSError, ValueError) as exc:
            self.tried.setText(self.tr("Cannot read {file}: {error}").format(file=path.name, error=exc))
            self.tried.setStyleSheet(theme.error_style())
            return
        self.tried.setText(
            self.tr("Imported {version}: in force from the next batch").format(version=result["mapping_version"])
        )
        self.tried.setStyleSheet(theme.text_style("ok"))
        self.refresh()


def _words(part: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in part.items())
