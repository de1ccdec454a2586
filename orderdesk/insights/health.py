"""The order-system health score (订单健康度评分): 17 dimensions, each with a formula, a 0–100
sub-score, a weight, its thresholds, its data source, and a suggestion that names where in the
console it is fixed. Per shop and overall; kept per day in the cache's ``health_history``.

A sub-score is linear between ``good`` (100) and ``bad`` (0) and clamped. The score is the weighted
mean of the dimensions that have data; ``coverage`` is the share of the weight that had data. A
dimension without data says so and never counts as passing. Weights follow the OpenSSF Scorecard's
risk levels: 10 (critical), 7.5 (high), 5 (medium), 2.5 (low).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from orderdesk.insights import measures
from orderdesk.insights.consistency import consistency
from orderdesk.insights.measures import HubFacts
from orderdesk.insights.quality import quality
from orderdesk.insights.reconciliation import month_totals

ALERT_BELOW = 70.0
MIN_COVERAGE = 0.5


@dataclass(frozen=True, slots=True)
class Dimension:
    id: str
    name: tuple[str, str]
    formula: tuple[str, str]
    unit: str
    good: float
    bad: float
    weight: float
    source: tuple[str, str]
    fix: str  # the workspace where it is fixed: packing, orders, finance, supervision, inventory, settings
    suggestion: tuple[str, str]


@dataclass(slots=True)
class Measured:
    dimension: Dimension
    value: float | None
    evidence: str = ""

    @property
    def score(self) -> float | None:
        if self.value is None:
            return None
        d = self.dimension
        share = (self.value - d.bad) / (d.good - d.bad)
        return round(100.0 * min(1.0, max(0.0, share)), 1)

    def as_dict(self) -> dict[str, Any]:
        d = self.dimension
        return {"id": d.id, "name_zh": d.name[0], "name_en": d.name[1], "value": self.value, "unit": d.unit,
                "score": self.score, "weight": d.weight, "good": d.good, "bad": d.bad, "evidence": self.evidence,
                "fix": d.fix}  # fmt: skip


def _d(*args: Any) -> Dimension:
    return Dimension(*args)


DIMENSIONS: tuple[Dimension, ...] = (
    _d("status_jumps", ("状态跳变频次", "Status jumps"), ("状态倒退、退款倒退、取消后履约异常数 / 每百单", "regressions, refund regressions and fulfilment after cancel per 100 orders"),
       "/100", 0.5, 5.0, 7.5, ("缓存:异常表", "cache: anomalies"), "orders", ("在「订单」按异常筛选,逐单查看全链路", "Filter Orders by anomaly and read each trace")),
    _d("reserved_duration", ("库存占用时长", "Stock reserved duration"), ("已结束预占的 90 分位时长(分钟)", "p90 minutes a settled reservation held its stock"),
       "min", 5.0, 15.0, 5.0, ("中枢:库存数据", "hub: inventory figures"), "inventory", ("在「库存」检查长时间未确认的预占与配额", "Check long-held reservations and quotas in Inventory")),
    _d("invoice_timeliness", ("发票时效", "Invoice timeliness"), ("签收到开票 ≤ 2 小时的蓝票占比(%)", "% of blue invoices issued within 2 h of signing"),
       "%", 99.0, 80.0, 7.5, ("缓存:发票", "cache: invoices"), "finance", ("在「财务」处理待补资料与开票失败", "Clear needs-data and failed invoices in Finance")),
    _d("sync_lag", ("同步延迟", "Sync lag"), ("距上次取到变更或中枢应答的秒数", "seconds since the last feed page or hub answer"),
       "s", 60.0, 1800.0, 5.0, ("缓存:同步状态", "cache: sync state"), "settings", ("在「设置」检查中枢地址与网络", "Check the hub address and network in Settings")),
    _d("unmapped_statuses", ("未映射状态", "Unmapped statuses"), ("未映射的原始状态数 / 每千单", "observations no rule knew, per 1,000 orders"),
       "/1000", 0.0, 5.0, 7.5, ("缓存:观测", "cache: observations"), "supervision", ("在「主管 › 映射表」补充规则并导入新版本", "Add the rule in Supervision › Mappings and import a new version")),
    _d("evidence_violations", ("证据规则违例", "Evidence violations"), ("无权证明的状态声明数 / 每千单", "states claimed by a system that cannot evidence them, per 1,000 orders"),
       "/1000", 0.0, 5.0, 5.0, ("缓存:异常表", "cache: anomalies"), "supervision", ("检查该渠道映射表的规则", "Check that channel's mapping rules")),
    _d("consistency_rate", ("状态不一致率", "Disagreement rate"), ("三系统说法不一的订单占比(%)", "% of orders whose systems disagree"),
       "%", 0.3, 3.0, 10.0, ("缓存:观测", "cache: observations"), "supervision", ("在「主管 › 一致性」下钻到不一致订单", "Drill into disagreeing orders in Supervision › Consistency")),
    _d("null_rates", ("关键字段空值率", "Key-field null rates"), ("实收金额、运单号、电话、地址空值率的最大值(%)", "worst null rate of paid amount, waybill, phone, address (%)"),
       "%", 0.1, 2.0, 7.5, ("缓存:订单", "cache: orders"), "supervision", ("在「主管 › 数据质量」查看样例订单并向渠道补数", "See sample orders in Supervision › Data quality and ask the channel")),
    _d("event_order_errors", ("事件时序错乱", "Events out of order"), ("签收早于发货等时序错乱订单占比(%)", "% of orders with an event before the one it needs"),
       "%", 0.0, 1.0, 5.0, ("缓存:事件", "cache: events"), "supervision", ("查看来源系统的时间戳与时区", "Check the source system's clock and time zone")),
    _d("bi_finance_gap", ("BI 与财务差异", "BI versus finance"), ("上月未解释差异 / BI GMV(%)", "last month's unexplained gap / BI GMV (%)"),
       "%", 0.5, 2.0, 10.0, ("缓存:订单与结算账单", "cache: orders and settlement bills"), "supervision", ("在「主管 › 对账」查看差异 TOP10 与根因", "See the top 10 and causes in Supervision › Reconciliation")),
    _d("anomaly_repair", ("异常修复时长", "Anomaly repair time"), ("异常从发现到修复的平均小时数", "mean hours from detection to repair"),
       "h", 4.3, 24.0, 7.5, ("缓存:异常表", "cache: anomalies"), "orders", ("按异常筛选订单,先修最久的", "Filter by anomaly and repair the oldest first")),
    _d("anomaly_backlog", ("未处理异常积压", "Open anomaly backlog"), ("未处理异常 / 每千单", "open anomalies per 1,000 orders"),
       "/1000", 1.0, 20.0, 7.5, ("缓存:异常表", "cache: anomalies"), "orders", ("按异常筛选订单并处理", "Filter Orders by anomaly and work through them")),
    _d("print_failures", ("打印失败率", "Print failures"), ("失败的打印任务占比(%)", "% of print jobs that failed"),
       "%", 0.5, 5.0, 5.0, ("缓存:打印任务", "cache: print jobs"), "packing", ("在「打包」查看失败任务并检查打印机", "See failed jobs in Packing and check the printer")),
    _d("rare_char_substitutions", ("生僻字替换", "Rare-character substitutions"), ("需替换字符的面单占比(%)", "% of labels that substituted a character"),
       "%", 0.5, 5.0, 2.5, ("缓存:替换记录", "cache: substitutions"), "packing", ("为打印机配置含扩展区字体的模板", "Give the printer a profile with an Ext-B font")),
    _d("red_letter_latency", ("红冲时效", "Red-letter latency"), ("退款到发起红字发票的平均小时数", "mean hours from refund to red-letter request"),
       "h", 2.0, 48.0, 5.0, ("缓存:发票与事件", "cache: invoices and events"), "finance", ("在「财务 › 红冲」处理待红冲发票", "Work the Red-letter tab in Finance")),
    _d("quarantined_records", ("隔离记录", "Quarantined records"), ("隔离中未处理的记录数", "records quarantined and still open"),
       "", 0.0, 50.0, 2.5, ("缓存:隔离区", "cache: quarantine"), "supervision", ("用 orderdesk quarantine 查看并修正后放回", "Inspect, fix and put back with orderdesk quarantine")),
    _d("availability", ("可用率", "Availability"), ("本机调用中枢时有应答的分钟占比(%)", "% of minutes this console called the hub and was answered"),
       "%", 99.95, 99.0, 10.0, ("缓存:本机调用记录", "cache: this console's calls"), "settings", ("检查中枢与网络;离线时照常打包,恢复后自动同步", "Check the hub and network; packing goes on offline")),
)  # fmt: skip
BY_ID = {d.id: d for d in DIMENSIONS}


@dataclass(slots=True)
class Health:
    day: str
    shop: str
    dimensions: list[Measured]

    @property
    def coverage(self) -> float:
        total = sum(m.dimension.weight for m in self.dimensions)
        return sum(m.dimension.weight for m in self.dimensions if m.score is not None) / total

    @property
    def score(self) -> float | None:
        """None when less than half the weight has data: a score from a few dimensions would pass by default."""
        if self.coverage < MIN_COVERAGE:
            return None
        scored = [(m.score, m.dimension.weight) for m in self.dimensions if m.score is not None]
        weight = sum(w for _, w in scored)
        return round(sum(s * w for s, w in scored) / weight, 1) if weight else None

    def suggestions(self) -> list[Measured]:
        """Dimensions below 70 (the weakest first), and those without data."""
        weak = [m for m in self.dimensions if m.score is not None and m.score < ALERT_BELOW]
        return sorted(weak, key=lambda m: (m.score, -m.dimension.weight))

    def as_dict(self) -> dict[str, Any]:
        return {"day": self.day, "shop": self.shop, "score": self.score, "coverage": round(self.coverage, 3),
                "dimensions": [m.as_dict() for m in self.dimensions]}  # fmt: skip


def _per(n: int, orders: int, per: int) -> float | None:
    return per * n / orders if orders else None


def measure(
    c: Connection, day: date, *, shop: str | None = None, facts: HubFacts | None = None, days: int = 7,
    now_ms: int | None = None,
) -> Health:  # fmt: skip
    """The score for ``day`` over the ``days`` days that end with it."""
    now = now_ms if now_ms is not None else int(time.time() * 1000)
    facts = facts or HubFacts()
    w = measures.Window(day - timedelta(days=days - 1), day, now, shop)
    orders = measures.orders(c, w)
    values: dict[str, tuple[float | None, str]] = {}

    def put(key: str, value: float | None, evidence: str) -> None:
        values[key] = (value, evidence)

    jumps = measures.anomalies_of_kinds(c, w, ("regression", "refund_regression", "after_cancel"))
    put("status_jumps", _per(jumps, orders, 100), f"{jumps} / {orders}")
    p90 = ((facts.inventory or {}).get("reserved_ms") or {}).get("p90")
    put("reserved_duration", None if p90 is None else p90 / 60000, "hub inventory figures" if p90 is not None else "")
    share, total, late = measures.invoice_timeliness(c, w)
    put("invoice_timeliness", None if share is None else 100 * share, f"{total - len(late)} / {total}")
    lag = measures.sync_lag_s(c, now)
    put("sync_lag", lag, "")
    unmapped = measures.unmapped_observations(c, w)
    put("unmapped_statuses", _per(unmapped, orders, 1000), f"{unmapped} / {orders}")
    evidence = measures.anomalies_of_kinds(c, w, ("evidence_violation",))
    put("evidence_violations", _per(evidence, orders, 1000), f"{evidence} / {orders}")
    agree = (
        consistency(c, w.start, w.end, now=datetime.fromtimestamp(now / 1000, UTC), shop=shop).total()
        if orders
        else None
    )
    put("consistency_rate", None if agree is None else 100 * agree.rate,
        "" if agree is None else f"{agree.disagreeing} / {agree.orders}")  # fmt: skip
    checks = quality(c, w.start, w.end, shop=shop) if orders else {}
    rates = [checks[k].value for k in ("missing_paid_amount", "missing_waybill", "missing_receiver_phone",
                                       "missing_receiver_address") if k in checks]  # fmt: skip
    nulls = [rate for rate in rates if rate is not None]
    put("null_rates", max(nulls) if nulls else None, "")
    order_errors = checks.get("event_order_errors")
    put("event_order_errors", order_errors.value if order_errors else None,
        f"{order_errors.unexpected} / {order_errors.evaluated}" if order_errors else "")  # fmt: skip
    month = measures.previous_month(day)
    gap = month_totals(c, month, now_ms=now)
    put("bi_finance_gap", None if gap.unexplained_rate is None else 100 * gap.unexplained_rate, month)
    hours, repaired = measures.repair_hours(c, w)
    put("anomaly_repair", hours, f"{repaired}")
    backlog = measures.open_anomalies(c, w)
    put("anomaly_backlog", _per(backlog, orders, 1000), f"{backlog} / {orders}")
    jobs, failed, substituted = measures.print_jobs(c, w)
    put("print_failures", _per(failed, jobs, 100), f"{failed} / {jobs}")
    put("rare_char_substitutions", _per(substituted, jobs, 100), f"{substituted} / {jobs}")
    _, red_hours, refunds, _ = measures.red_letter(c, w)
    put("red_letter_latency", red_hours, f"{refunds}")
    put("quarantined_records", float(measures.quarantined_open(c)), "")
    up, minutes, _ = measures.availability(c, w)
    put("availability", None if up is None else 100 * up, f"{minutes} min")
    measured = [Measured(d, *values.get(d.id, (None, ""))) for d in DIMENSIONS]
    return Health(day.isoformat(), shop or "*", measured)


def keep(c: Connection, health: Health, now_ms: int | None = None) -> None:
    """Record a day's score (the latest computation of a day replaces the earlier one)."""
    c.exec_driver_sql(
        "INSERT INTO health_history (day, shop, score, coverage, dimensions_json, computed_at_ms) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (day, shop) DO UPDATE SET score = excluded.score, coverage = excluded.coverage, "
        "dimensions_json = excluded.dimensions_json, computed_at_ms = excluded.computed_at_ms",
        (health.day, health.shop, health.score, health.coverage,
         json.dumps([m.as_dict() for m in health.dimensions], ensure_ascii=False),
         now_ms if now_ms is not None else int(time.time() * 1000)),
    )  # fmt: skip


def history(c: Connection, shop: str = "*", days: int = 30) -> list[tuple[str, float | None]]:
    rows = c.exec_driver_sql(
        "SELECT day, score FROM health_history WHERE shop = ? ORDER BY day DESC LIMIT ?", (shop, days)
    ).all()
    return [(d, s) for d, s in reversed(rows)]


def shops(c: Connection) -> list[str]:
    return [r[0] for r in c.exec_driver_sql("SELECT DISTINCT shop FROM orders ORDER BY 1")]
