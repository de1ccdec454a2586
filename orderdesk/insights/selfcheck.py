"""The seed's 10-item self-check (2026年订单管理健康度自测表), computed from data rather than ticked:
each row with its measured value, its bar, pass or fail, and the evidence behind it. A row without
data fails and says why. Score ≥ 8 healthy, 6–7 at risk, ≤ 5 upgrade (the seed's words).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection

from orderdesk.insights import measures
from orderdesk.insights.measures import HubFacts
from orderdesk.insights.reconciliation import UNEXPLAINED_BAR, month_totals
from orderdesk.sync.china_time import shown

VERDICTS: dict[str, tuple[str, str]] = {
    "healthy": ("系统健康", "Healthy"),
    "at_risk": ("存在局部风险", "At risk"),
    "upgrade": ("建议立即启动订单中枢升级", "Upgrade the order hub now"),
}


@dataclass(slots=True)
class Item:
    number: int
    title: tuple[str, str]
    bar: tuple[str, str]
    value: str | None  # the measured value in words (None: no data)
    passed: bool
    evidence: tuple[str, str]

    def as_dict(self) -> dict[str, Any]:
        return {"number": self.number, "title_zh": self.title[0], "title_en": self.title[1], "bar_zh": self.bar[0],
                "bar_en": self.bar[1], "value": self.value, "passed": self.passed, "evidence_zh": self.evidence[0],
                "evidence_en": self.evidence[1]}  # fmt: skip


@dataclass(slots=True)
class SelfCheck:
    day: str
    items: list[Item]

    @property
    def score(self) -> int:
        return sum(i.passed for i in self.items)

    @property
    def verdict(self) -> str:
        return "healthy" if self.score >= 8 else "at_risk" if self.score >= 6 else "upgrade"

    def as_dict(self) -> dict[str, Any]:
        return {
            "day": self.day,
            "score": self.score,
            "verdict": self.verdict,
            "items": [i.as_dict() for i in self.items],
        }


NO_DATA = ("没有数据可测", "no data to measure")


def _pct(x: float) -> str:
    return f"{100 * x:.2f}%"


def run(
    c: Connection, day: date, facts: HubFacts | None = None, *, days: int = 30, now_ms: int | None = None
) -> SelfCheck:
    """Every row over the ``days`` days that end with ``day`` (the BI-finance row: the month before)."""
    now = now_ms if now_ms is not None else int(time.time() * 1000)
    facts = facts or HubFacts()
    w = measures.Window(day - timedelta(days=days - 1), day, now)
    items: list[Item] = []

    def add(title: tuple[str, str], bar: tuple[str, str], value: str | None, passed: bool,
            evidence: tuple[str, str]) -> None:  # fmt: skip
        items.append(Item(len(items) + 1, title, bar, value, passed and value is not None, evidence))

    share, entries, complete = measures.audit_completeness(c)
    add(("订单状态变更有完整审计日志", "Every state change has a complete audit entry"),
        ("记录操作人、时间、来源系统、原始参数:100%", "who, when, source system, raw payload: 100%"),
        None if share is None else _pct(share), share == 1.0,
        (f"审计记录 {complete}/{entries} 条完整", f"{complete} of {entries} audit entries complete") if entries else NO_DATA)  # fmt: skip
    drill = facts.drill
    title, bar = ("库存扣减支持毫秒级原子操作", "Stock deduction is atomic"), ("单 SKU 并发 1000+ 请求无超卖", "1,000+ concurrent requests on one SKU, no oversell")  # fmt: skip
    if drill:
        requests, oversold, wrong = int(drill["requests"]), int(drill["oversold"]), int(drill["differences"])
        when = shown(int(drill["at_ms"]))
        add(title, bar, f"{requests:,} 并发 / 超卖 {oversold}", requests >= 1000 and oversold == 0 and wrong == 0,
            (f"{when} 演练 {drill['sku']}:{requests:,} 个并发请求,库存 {drill['stock']},放出 {drill['units_held']} 件,"
             f"超卖 {oversold},台账差异 {wrong},p99 {drill['p99_ms']:.0f} ms",
             f"{when} drill on {drill['sku']}: {requests:,} requests at once, stock {drill['stock']}, "
             f"{drill['units_held']} held, {oversold} oversold, {wrong} ledger differences, p99 {drill['p99_ms']:.0f} ms"))  # fmt: skip
    elif not facts.reached:
        add(title, bar, None, False, (f"未连上订单中心:{facts.error}", f"the hub was not reached: {facts.error}"))
    else:
        add(title, bar, None, False, ("中枢没有并发演练记录(orderdesk inventory drill)",
                                      "the hub keeps no concurrency drill (orderdesk inventory drill)"))  # fmt: skip
    on_time, invoices, late = measures.invoice_timeliness(c, w)
    add(("发票开具与订单状态强绑定", "Invoicing follows the order's state"), ("签收后 2 小时内自动开票", "issued within 2 hours of signing"),
        None if on_time is None else _pct(on_time), on_time == 1.0,
        (f"{invoices} 张蓝票,超时 {len(late)} 张 {' '.join(late[:3])}", f"{invoices} blue invoices, {len(late)} late {' '.join(late[:3])}") if invoices else NO_DATA)  # fmt: skip
    started, _, refunds, missing = measures.red_letter(c, w)
    add(("退款触发红字发票自动申请", "A refund starts the red-letter invoice"), ("退款成功即启动红冲流程", "every refunded invoice is being reversed"),
        None if started is None else _pct(started), started == 1.0,
        (f"{refunds} 笔已开票退款,未红冲 {len(missing)} {' '.join(missing[:3])}", f"{refunds} invoiced refunds, {len(missing)} not reversed {' '.join(missing[:3])}") if refunds else NO_DATA)  # fmt: skip
    ids, orders, bad = measures.unified_ids(c, w)
    add(("跨渠道订单具备统一 ID", "One id across channels"), ("每单一个 DB+日期+12 位的订单域 ID", "every order has its DB + day + 12 unified id"),
        None if ids is None else _pct(ids), ids == 1.0,
        (f"{orders} 单,格式不符 {len(bad)}", f"{orders} orders, {len(bad)} malformed") if orders else NO_DATA)  # fmt: skip
    month = measures.previous_month(day)
    gap = month_totals(c, month, now_ms=now)
    rate = gap.unexplained_rate
    add(("BI 销售额与财务入账差异率", "BI sales versus finance"), ("未解释差异 ≤ 0.5%", "unexplained gap ≤ 0.5%"),
        None if rate is None else _pct(rate), rate is not None and rate <= UNEXPLAINED_BAR,
        (f"{month}:差额 {gap.gap / 100:,.2f} 元,未解释 {gap.unexplained_abs / 100:,.2f} 元", f"{month}: gap {gap.gap / 100:,.2f} yuan, unexplained {gap.unexplained_abs / 100:,.2f}") if rate is not None else NO_DATA)  # fmt: skip
    hours, repaired = measures.repair_hours(c, w)
    add(("订单异常平均修复时长", "Mean anomaly repair time"), ("≤ 8 小时", "≤ 8 hours"),
        None if hours is None else f"{hours:.1f} h", hours is not None and hours <= 8,
        (f"{repaired} 个异常已修复", f"{repaired} anomalies repaired") if repaired else NO_DATA)  # fmt: skip
    tickets = facts.tickets or {}
    share = tickets.get("order_related_share")
    add(("客户投诉中订单相关占比", "Order-related share of complaints"), ("≤ 15%", "≤ 15%"),
        None if share is None else _pct(share), share is not None and share <= 0.15,
        (f"客服工单 {tickets.get('tickets', 0)} 张,订单相关 {tickets.get('order_related', 0)} 张",
         f"{tickets.get('tickets', 0)} service tickets, {tickets.get('order_related', 0)} about an order") if share is not None
        else (f"未连上订单中心:{facts.error}", f"the hub was not reached: {facts.error}") if not facts.reached
        else ("订单中心没有客服工单(POST /v1/tickets)", "the hub holds no customer-service tickets (POST /v1/tickets)"))  # fmt: skip
    locked, close = measures.month_lock(c, month)
    ahead_h = None if locked is None else (close - locked) / 3_600_000
    add(("财务月结前订单数据锁定时效", "Month locked before the close"), ("月结(次月 5 日)前 ≥ 72 小时锁定", "locked ≥ 72 h before the close (the 5th)"),
        None if ahead_h is None else f"{ahead_h:.0f} h", ahead_h is not None and ahead_h >= 72,
        (f"{month} 锁定于月结前 {ahead_h:.0f} 小时", f"{month} locked {ahead_h:.0f} h before the close") if ahead_h is not None
        else (f"{month} 尚未锁定", f"{month} not locked"))  # fmt: skip
    year = measures.Window(day - timedelta(days=364), day, now)
    up, minutes, down = measures.availability(c, year)
    add(("订单系统全年可用率", "Availability over the year"), ("≥ 99.95%", "≥ 99.95%"),
        None if up is None else f"{100 * up:.3f}%", up is not None and up >= 0.9995,
        (f"本机记录 {minutes} 分钟,其中 {down} 分钟无应答", f"{minutes} minutes recorded here, {down} unanswered") if minutes else NO_DATA)  # fmt: skip
    return SelfCheck(day.isoformat(), items)
