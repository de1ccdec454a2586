"""The daily 《状态一致性日报》 and the monthly 《数据一致性审计报告》: the figures (from the other insights
modules), a markdown summary for the group robots, and a PDF with charts (reportlab)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from orderdesk.insights import health, selfcheck
from orderdesk.insights.consistency import KINDS, RATE_BAR, consistency
from orderdesk.insights.measures import HubFacts
from orderdesk.insights.quality import CHECK_LABELS, quality
from orderdesk.insights.reconciliation import CAUSES, PART_LABELS, PARTS, Reconciliation, channels_of_month, reconcile
from orderdesk.sync.labels import SOURCES
from orderdesk.sync.resources import RESOURCES

TREND_DAYS = 7
STATUS_WORDS = {"pass": "达标 pass", "warn": "警告 warn", "fail": "未达标 fail", "no_data": "无数据 no data"}


@dataclass(slots=True)
class DailyReport:
    day: str  # the report's date; its figures cover the TREND_DAYS days before it
    channels: list[dict[str, Any]]
    trend: list[tuple[str, float, int]]  # day, rate, orders
    total: dict[str, Any]
    score: dict[str, Any]
    check: dict[str, Any]
    quality: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"kind": "daily", "day": self.day, "channels": self.channels, "trend": self.trend, "total": self.total,
                "health": self.score, "selfcheck": self.check, "quality": self.quality}  # fmt: skip


@dataclass(slots=True)
class MonthlyReport:
    month: str
    overall: Reconciliation
    channels: list[Reconciliation]

    def as_dict(self) -> dict[str, Any]:
        return {"kind": "monthly", "month": self.month, "overall": self.overall.as_dict(),
                "channels": [r.as_dict() for r in self.channels]}  # fmt: skip


def daily(c: Connection, day: date, facts: HubFacts | None = None, now_ms: int | None = None) -> DailyReport:
    end = day - timedelta(days=1)
    start = end - timedelta(days=TREND_DAYS - 1)
    now = datetime.fromtimestamp(now_ms / 1000, UTC) if now_ms is not None else None
    agree = consistency(c, start, end, now=now)
    channels = [{"channel": t.channel, "orders": t.orders, "disagreeing": t.disagreeing, "rate": t.rate,
                 "highlighted": t.highlighted, "kinds": t.kinds} for t in agree.per_channel()]  # fmt: skip
    by_day: dict[str, list[int]] = {}
    for (_, d), cell in agree.cells.items():
        counts = by_day.setdefault(d, [0, 0])
        counts[0] += cell.orders
        counts[1] += cell.disagreeing
    trend = [(d, (n[1] / n[0]) if n[0] else 0.0, n[0]) for d, n in sorted(by_day.items())]
    t = agree.total()
    total = {"orders": t.orders, "disagreeing": t.disagreeing, "rate": t.rate, "kinds": t.kinds}
    score = health.measure(c, end, facts=facts, now_ms=now_ms)
    check = selfcheck.run(c, end, facts, now_ms=now_ms)
    checks = [r.as_dict() for r in quality(c, start, end).values()]
    return DailyReport(day.isoformat(), channels, trend, total, score.as_dict(), check.as_dict(), checks)


def monthly(c: Connection, month: str) -> MonthlyReport:
    return MonthlyReport(month, reconcile(c, month), [reconcile(c, month, ch) for ch in channels_of_month(c, month)])


def _name(channel: str) -> str:
    """A channel as people call it (淘宝/天猫), for the reports."""
    return SOURCES.get(channel, (channel, channel))[0]


def _yuan(fen: int) -> str:
    return f"{fen / 100:,.2f}"


def daily_markdown(r: DailyReport) -> str:
    """Chinese first, then English: what a group robot posts."""
    if not r.total["orders"]:
        return (
            f"### 状态一致性日报 {r.day}\n近 {TREND_DAYS} 天没有订单:请检查同步是否正常,或换一个日期。\n\n"
            f"Daily consistency report {r.day}: no orders in the {TREND_DAYS} days before it — check the sync."
        )
    lines = [f"### 状态一致性日报 {r.day}", f"近 {TREND_DAYS} 天 {r.total['orders']:,} 单,三系统不一致 "
             f"{r.total['disagreeing']:,} 单(**{100 * r.total['rate']:.2f}%**,阈值 {100 * RATE_BAR:.1f}%)", ""]  # fmt: skip
    for ch in r.channels:
        mark = "【超标】" if ch["highlighted"] else ""
        lines.append(f"- {mark}{_name(ch['channel'])}:{100 * ch['rate']:.2f}%({ch['disagreeing']}/{ch['orders']})")
    kinds = sorted(r.total["kinds"].items(), key=lambda kv: -kv[1])
    if kinds:
        lines += ["", "不一致类型:" + ",".join(f"{KINDS[k][0]} {n}" for k, n in kinds)]
    score = r.score.get("score")
    lines += ["", f"健康分:**{'无数据' if score is None else f'{score:.1f}'}**;自检 {r.check['score']}/10 "
              f"{selfcheck.VERDICTS[r.check['verdict']][0]}"]  # fmt: skip
    weak = [d for d in r.score["dimensions"] if d["score"] is not None and d["score"] < health.ALERT_BELOW]
    for d in sorted(weak, key=lambda d: d["score"])[:5]:
        lines.append(f"- {d['name_zh']} {d['score']:.0f} 分:{health.BY_ID[d['id']].suggestion[0]}")
    lines += ["", f"Daily consistency report {r.day}: {100 * r.total['rate']:.2f}% of {r.total['orders']:,} orders "
              f"disagree; health {'no data' if score is None else f'{score:.1f}'}; self-check {r.check['score']}/10."]  # fmt: skip
    return "\n".join(lines)


def monthly_markdown(r: MonthlyReport) -> str:
    o = r.overall
    rate = "无数据" if o.unexplained_rate is None else f"{100 * o.unexplained_rate:.3f}%"
    lines = [f"### 数据一致性审计报告 {r.month}", f"BI GMV {_yuan(o.bi_gmv)} 元,财务入账 {_yuan(o.finance)} 元,"
             f"差额 {_yuan(o.gap)} 元;未解释 {rate}(目标 ≤ 0.5%)", ""]  # fmt: skip
    lines += [f"- {PART_LABELS[p][0]}:{_yuan(o.parts[p])} 元" for p in PARTS if o.parts[p]]
    lines += ["", "差异 TOP10:"]
    for i, d in enumerate(o.top(), 1):
        cause = CAUSES[d.cause][0] if d.cause else ""
        lines.append(f"{i}. {d.channel_order_no}({_name(d.channel)})差异 {_yuan(d.difference)} 元 · {cause}")
    lines += ["", f"Data consistency audit {r.month}: BI {_yuan(o.bi_gmv)} vs finance {_yuan(o.finance)} yuan, "
              f"gap {_yuan(o.gap)}, unexplained {rate}."]  # fmt: skip
    return "\n".join(lines)


# -- PDF ----------------------------------------------------------------------------------------------

_FONT = "OrderDeskCJK"  # Droid Sans Fallback: every GBK hanzi, no Latin
_LATIN = "OrderDeskLatin"  # DejaVu Sans: Latin, digits, punctuation


def _font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if _FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(_FONT, str(RESOURCES / "fonts" / "DroidSansFallbackFull.ttf")))
        pdfmetrics.registerFont(TTFont(_LATIN, str(RESOURCES / "fonts" / "DejaVuSans.ttf")))
    return _FONT


def _mixed(text: str) -> str:
    """Paragraph markup with each run of ASCII in the Latin font (the CJK font has no Latin glyphs)."""
    from xml.sax.saxutils import escape

    _font()
    out, run, latin = [], "", False
    for ch in text:
        is_latin = ord(ch) < 0x2E80
        if run and is_latin != latin:
            out.append(f'<font name="{_LATIN}">{escape(run)}</font>' if latin else escape(run))
            run = ""
        run += ch
        latin = is_latin
    if run:
        out.append(f'<font name="{_LATIN}">{escape(run)}</font>' if latin else escape(run))
    return "".join(out)


@functools.cache
def _styles() -> Any:
    from reportlab.lib.styles import ParagraphStyle

    font = _font()
    return {"title": ParagraphStyle("t", fontName=font, fontSize=16, leading=22, spaceAfter=8),
            "h": ParagraphStyle("h", fontName=font, fontSize=11.5, leading=16, spaceBefore=8, spaceAfter=4),
            "p": ParagraphStyle("p", fontName=font, fontSize=9, leading=13),
            "cell": ParagraphStyle("c", fontName=font, fontSize=8, leading=10),
            "red": ParagraphStyle("r", fontName=font, fontSize=8, leading=10, textColor="#c0392b")}  # fmt: skip


def _p(text: str, style: str = "p") -> Any:
    from reportlab.platypus import Paragraph

    return Paragraph(_mixed(text), _styles()[style])


def _table(rows: list[list[str]], widths: list[float], red_rows: set[int] | None = None) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    red = red_rows or set()
    cells = [[_p(x, "red" if i in red else "cell") for x in row] for i, row in enumerate(rows)]
    table = Table(cells, colWidths=widths, repeatRows=1)
    style = [("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7")),
             ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#b0b8c4")), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]  # fmt: skip
    table.setStyle(TableStyle(style))
    return table


def _axis_number(value: float) -> str:
    """An axis label with thousands separators (1,200,000, not 1200000), decimals only when small."""
    return f"{value:,.0f}" if abs(value) >= 100 or value == int(value) else f"{value:,.2f}"


def _bars(labels: list[str], values: list[float]) -> Any:
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors

    drawing = Drawing(460, 150)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 40, 30, 400, 110
    chart.data = [values or [0.0]]
    chart.categoryAxis.categoryNames = labels or ["—"]
    chart.categoryAxis.labels.fontName = _font() if any(ord(ch) >= 0x2E80 for ch in "".join(labels)) else _LATIN
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = min(0.0, *values) if values else 0.0
    chart.valueAxis.labels.fontName = _LATIN
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = _axis_number
    chart.bars[0].fillColor = colors.HexColor("#3b6fb6")
    drawing.add(chart)
    return drawing


def _line(labels: list[str], values: list[float]) -> Any:
    from reportlab.graphics.charts.linecharts import HorizontalLineChart
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors

    drawing = Drawing(460, 150)
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 40, 30, 400, 110
    chart.data = [values or [0.0]]
    chart.categoryAxis.categoryNames = labels or ["—"]
    chart.categoryAxis.labels.fontName = _LATIN
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = _LATIN
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = _axis_number
    chart.lines[0].strokeColor = colors.HexColor("#c0392b")
    drawing.add(chart)
    return drawing


def daily_pdf(r: DailyReport, path: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm

    story: list[Any] = [_p(f"状态一致性日报 Daily consistency report · {r.day}", "title"),
                        _p(f"近 {TREND_DAYS} 天订单 {r.total['orders']:,},不一致 {r.total['disagreeing']:,}"
                                  f"({100 * r.total['rate']:.2f}%);差异率 > {100 * RATE_BAR:.1f}% 的渠道标红。", "p")]  # fmt: skip
    rows = [["渠道 channel", "订单 orders", "不一致 disagreeing", "差异率 rate"]]
    red = set()
    for i, ch in enumerate(r.channels, 1):
        rows.append([_name(ch["channel"]), f"{ch['orders']:,}", f"{ch['disagreeing']:,}", f"{100 * ch['rate']:.2f}%"])
        if ch["highlighted"]:
            red.add(i)
    story += [_p("各渠道 · Channels", "h"), _table(rows, [40 * mm, 30 * mm, 35 * mm, 30 * mm], red)]
    rates = [100 * ch["rate"] for ch in r.channels]
    story += [_p("差异率 % · Rate per channel", "h"), _bars([_name(ch["channel"]) for ch in r.channels], rates)]
    trend = [100 * x for _, x, _ in r.trend]
    story += [_p("每日差异率 % · Daily rate", "h"), _line([d[5:] for d, _, _ in r.trend], trend)]
    kinds = [["类型 kind", "订单 orders"]] + [[f"{KINDS[k][0]} {KINDS[k][1]}", str(n)] for k, n in
                                              sorted(r.total["kinds"].items(), key=lambda kv: -kv[1])]  # fmt: skip
    story += [_p("不一致类型 · Kinds", "h"), _table(kinds, [110 * mm, 30 * mm])]
    score = r.score.get("score")
    story.append(_p(f"健康分 Health score:{'无数据 no data' if score is None else f'{score:.1f}'}"
                           f"(覆盖 coverage {100 * r.score['coverage']:.0f}%)", "h"))  # fmt: skip
    dims = [["维度 dimension", "值 value", "分 score", "权重 weight"]]
    for d in r.score["dimensions"]:
        value = "无数据" if d["value"] is None else f"{d['value']:.2f} {d['unit']}"
        dims.append([d["name_zh"], value, "—" if d["score"] is None else f"{d['score']:.0f}", f"{d['weight']:g}"])
    story.append(_table(dims, [60 * mm, 40 * mm, 20 * mm, 20 * mm]))
    story.append(_p(f"自检 Self-check:{r.check['score']}/10 · {selfcheck.VERDICTS[r.check['verdict']][0]}", "h"))
    items = [["#", "检测项", "实测", "结果"]] + [[str(i["number"]), i["title_zh"], i["value"] or "无数据",
                                                "达标" if i["passed"] else "未达标"] for i in r.check["items"]]  # fmt: skip
    story.append(
        _table(
            items,
            [10 * mm, 80 * mm, 35 * mm, 20 * mm],
            {n for n, i in enumerate(r.check["items"], 1) if not i["passed"]},
        )
    )
    checks = [["数据质量 check", "值 value", "结果 status"]] + [[CHECK_LABELS[q["id"]][0], "—" if q["value"] is None
              else f"{q['value']:.2f}", STATUS_WORDS.get(q["status"], q["status"])] for q in r.quality]  # fmt: skip
    story += [_p("数据质量 · Data quality", "h"), _table(checks, [70 * mm, 30 * mm, 30 * mm])]
    return _build(path, story, A4)


def monthly_pdf(r: MonthlyReport, path: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm

    o = r.overall
    rate = "无数据" if o.unexplained_rate is None else f"{100 * o.unexplained_rate:.3f}%"
    story: list[Any] = [_p(f"数据一致性审计报告 Data consistency audit · {r.month}", "title"),
                        _p(f"BI GMV {_yuan(o.bi_gmv)} 元 · 财务入账 {_yuan(o.finance)} 元 · 差额 {_yuan(o.gap)} 元 · "
                                  f"未解释 {rate}(目标 ≤ 0.5%)", "p")]  # fmt: skip
    parts = [["构成 part", "金额 yuan", "订单 orders"]] + [[f"{PART_LABELS[p][0]}", _yuan(o.parts[p]), str(len(o.orders[p]))]
                                                            for p in PARTS]  # fmt: skip
    story += [_p("差额构成 · Make-up of the gap", "h"), _table(parts, [80 * mm, 35 * mm, 25 * mm])]
    story += [
        _p("差额构成(元)· Make-up (yuan)", "h"),
        _bars([PART_LABELS[p][0][:4] for p in PARTS], [o.parts[p] / 100 for p in PARTS]),
    ]
    top = [["#", "订单 order", "渠道", "差异 yuan", "根因 cause"]]
    top += [[str(i), d.channel_order_no, _name(d.channel), _yuan(d.difference), CAUSES[d.cause][0] if d.cause else ""]
            for i, d in enumerate(o.top(), 1)]  # fmt: skip
    story += [
        _p("差异 TOP10 · Top 10 differing orders", "h"),
        _table(top, [10 * mm, 50 * mm, 25 * mm, 30 * mm, 30 * mm]),
    ]
    per = [["渠道 channel", "BI", "财务 finance", "差额 gap", "未解释 unexplained"]]
    per += [[_name(x.channel) if x.channel else "", _yuan(x.bi_gmv), _yuan(x.finance), _yuan(x.gap),
             "—" if x.unexplained_rate is None else f"{100 * x.unexplained_rate:.3f}%"] for x in r.channels]  # fmt: skip
    story += [_p("各渠道 · Channels", "h"), _table(per, [30 * mm, 30 * mm, 30 * mm, 30 * mm, 30 * mm])]
    return _build(path, story, A4)


def _build(path: Path, story: list[Any], size: Any) -> Path:
    """Written to a temporary name and moved into place: a half-written report never looks whole."""
    import os

    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".part")
    SimpleDocTemplate(str(temporary), pagesize=size, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                      bottomMargin=15 * mm, title=path.stem, author="OrderDesk").build(story)  # fmt: skip
    os.replace(temporary, path)
    return path
