"""`orderdesk report daily|monthly` (the 09:00 daily report and the monthly audit, for a cron job or a
timer) and `orderdesk insights consistency|quality|reconcile|health|selfcheck`, all computed from the
local cache by insights/ (the same code the Supervision workspace shows)."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from orderdesk.app.cli.common import UserError, display_width, emit_json, emit_line, open_cache, pad
from orderdesk.app.i18n import language, tr
from orderdesk.app.services.supervision import report_folder
from orderdesk.insights import health, reports, robots, selfcheck
from orderdesk.insights.consistency import KINDS, consistency
from orderdesk.insights.measures import HubFacts
from orderdesk.insights.quality import CHECK_LABELS, ThresholdsError, load_thresholds, quality
from orderdesk.insights.reconciliation import CAUSES, PART_LABELS, PARTS, month_bounds, reconcile
from orderdesk.sync.china_time import now_in_china


def register(commands: argparse._SubParsersAction) -> None:
    report = commands.add_parser("report", help=tr("日报与月度审计报告", "the daily report and the monthly audit"))
    sub = report.add_subparsers(dest="report_command", required=True)
    for name, zh, en in (("daily", "状态一致性日报", "the daily consistency report"),
                         ("monthly", "数据一致性审计报告", "the monthly data consistency audit")):  # fmt: skip
        p = sub.add_parser(name, help=tr(zh, en))
        p.add_argument("--date", help=tr("日期 YYYY-MM-DD(月报:YYYY-MM;默认今天/上月)",
                                         "date YYYY-MM-DD (monthly: YYYY-MM; default today / last month)"))  # fmt: skip
        p.add_argument("--out", type=Path, help=tr("PDF 写到这里", "write the PDF here"))
        p.add_argument("--push", action="store_true",
                       help=tr("推送到企业微信和钉钉群机器人(每期只推一次)", "push to the WeCom and DingTalk robots (once per period)"))  # fmt: skip
        p.add_argument(
            "--hub",
            help=tr("订单中心地址(推送时认领;默认取设置)", "hub address (claims for --push; default: settings)"),
        )
        p.set_defaults(run=run_daily if name == "daily" else run_monthly)
    insights = commands.add_parser(
        "insights",
        help=tr("一致性、数据质量、对账、健康分、自检", "consistency, quality, reconciliation, health, self-check"),
    )
    sub = insights.add_subparsers(dest="insights_command", required=True)
    for name, zh, en, run in (("consistency", "三系统一致性(按渠道和天)", "consistency per channel and day", run_consistency),
                              ("quality", "数据质量检查", "data-quality checks", run_quality),
                              ("reconcile", "BI 与财务对账", "BI versus finance", run_reconcile),
                              ("health", "健康分(17 个维度)", "the health score (17 dimensions)", run_health),
                              ("selfcheck", "10 项自检", "the 10-item self-check", run_selfcheck)):  # fmt: skip
        p = sub.add_parser(name, help=tr(zh, en))
        p.add_argument("--date", help=tr("日期(对账:月份 YYYY-MM)", "date (reconcile: month YYYY-MM)"))
        p.add_argument("--days", type=int, default=7, help=tr("向前看的天数", "days to look back"))
        if name in ("consistency", "reconcile"):
            p.add_argument("--channel", help=tr("只看一个渠道(如 douyin)", "one channel only (e.g. douyin)"))
        p.add_argument("--shop")
        p.add_argument(
            "--hub",
            help=tr(
                "订单中心地址(取库存、工单等数据;默认取设置)", "hub address (inventory, tickets…; default: settings)"
            ),
        )
        if name == "quality":
            p.add_argument("--thresholds", type=Path, help=tr("阈值文件(JSON)", "thresholds file (JSON)"))
        p.set_defaults(run=run)


def _day(text: str | None, default: date) -> date:
    if not text:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(
            tr(f"--date {text!r}:不是 YYYY-MM-DD 日期", f"--date {text!r}: not a YYYY-MM-DD date")
        ) from None


def _month(text: str | None) -> str:
    if not text:
        first = now_in_china().date().replace(day=1) - timedelta(days=1)
        return first.strftime("%Y-%m")
    try:
        month_bounds(text)
    except ValueError:
        raise UserError(tr(f"--date {text!r}:不是 YYYY-MM 月份", f"--date {text!r}: not a YYYY-MM month")) from None
    return text


def _zh() -> bool:
    return language() != "en"


def _push(args: argparse.Namespace, kind: str, period: str, title: str, markdown: str) -> list[dict[str, Any]]:
    from orderdesk.app.cli.inventory_cmd import _call

    found = robots.configured()
    if not found:
        raise UserError(tr("没有配置群机器人:设置 ORDERDESK_WECOM_WEBHOOK / ORDERDESK_DINGTALK_WEBHOOK(与 _SECRET),或存入钥匙串",
                           "no group robot configured: set ORDERDESK_WECOM_WEBHOOK / ORDERDESK_DINGTALK_WEBHOOK (and _SECRET), or keep them in the keyring"))  # fmt: skip
    outcomes = _call(args, lambda client: robots.push(client, kind, period, title, markdown, found))
    return [{"robot": o.robot, "sent": o.sent, "already": o.skipped == "already sent",
             "skipped": tr(o.skipped_zh, o.skipped) if o.skipped else ""} for o in outcomes]  # fmt: skip


def _hub_facts(args: argparse.Namespace) -> HubFacts:
    """What only the hub knows (inventory figures, channel API health, service tickets, the last drill) when
    this machine is signed in to it; otherwise none, and a line on stderr says why (the rows and dimensions
    that need the hub then say "no data": never "the hub has none")."""
    from orderdesk.app.cli.inventory_cmd import _hub_url
    from orderdesk.app.cli.sync_cmd import token_for
    from orderdesk.app.services.supervision import fetch_facts

    url = ""
    try:
        url = _hub_url(args)
        facts = asyncio.run(fetch_facts(url, token_for(url)))
    except Exception as exc:  # not signed in, offline: the figures from the cache alone
        facts = HubFacts(reached=False, error=str(exc))
    if not facts.reached:
        sys.stderr.write(tr(f"注意:未连上订单中心 {url}({facts.error}):需要中枢数据的项目显示为无数据\n",
                            f"note: the hub {url} was not reached ({facts.error}): what needs it says no data\n"))  # fmt: skip
    return facts


def _write_pdf(write: Any, out: Path) -> None:
    try:
        write(out)
    except OSError as exc:
        out.with_name(out.name + ".part").unlink(missing_ok=True)
        raise UserError(tr(f"--out {str(out)!r}:写不了 PDF({exc.strerror or exc})",
                           f"--out {str(out)!r}: cannot write the PDF ({exc.strerror or exc})")) from None  # fmt: skip


def _finish(args: argparse.Namespace, kind: str, period: str, title: str, markdown: str, out: Path,
            document: dict[str, Any]) -> int:  # fmt: skip
    """Push when asked, then say it all. Exit 3 when a robot was not sent to (a cron job must see it);
    one already sent by another run is no failure."""
    pushed = _push(args, kind, period, title, markdown) if args.push else []
    failed = [p for p in pushed if not p["sent"] and not p["already"]]
    if args.json:
        emit_json(document | {"pdf": str(out), "markdown": markdown, "pushed": pushed})
    else:
        emit_line(markdown)
        emit_line(tr(f"PDF:{out}", f"PDF: {out}"))
        for p in pushed:
            emit_line(
                f"{p['robot']}: "
                + (tr("已推送", "sent") if p["sent"] else tr("未推送", "not sent") + f" ({p['skipped']})")
            )
    return 3 if failed else 0


def run_daily(args: argparse.Namespace) -> int:
    day = _day(args.date, now_in_china().date())
    facts = _hub_facts(args)
    with open_cache(args) as cache, cache.read() as c:
        made = reports.daily(c, day, facts, int(time.time() * 1000))
    markdown = reports.daily_markdown(made)
    out = args.out or report_folder() / tr(f"状态一致性日报-{made.day}.pdf", f"daily-consistency-report-{made.day}.pdf")
    _write_pdf(lambda path: reports.daily_pdf(made, path), out)
    return _finish(args, "daily", made.day, f"状态一致性日报 {made.day}", markdown, out, made.as_dict())


def run_monthly(args: argparse.Namespace) -> int:
    month = _month(args.date)
    with open_cache(args) as cache, cache.read() as c:
        made = reports.monthly(c, month)
    markdown = reports.monthly_markdown(made)
    out = args.out or report_folder() / tr(f"数据一致性审计报告-{month}.pdf", f"monthly-consistency-audit-{month}.pdf")
    _write_pdf(lambda path: reports.monthly_pdf(made, path), out)
    return _finish(args, "monthly", month, f"数据一致性审计报告 {month}", markdown, out, made.as_dict())


def _channel(args: argparse.Namespace, c: Any) -> str | None:
    """``--channel``, refused when no channel mapping table knows it."""
    if not args.channel:
        return None
    from orderdesk.sync.cache.mapping_store import active_registry

    registry = active_registry(c)
    known = sorted(s for s in registry.sources if registry.table(s).source_system.value == "channel")
    if args.channel not in known:
        raise UserError(tr(f"--channel {args.channel!r}:没有这个渠道;可用:{'、'.join(known)}",
                           f"--channel {args.channel!r}: no such channel; known: {', '.join(known)}"))  # fmt: skip
    return str(args.channel)


def _window(args: argparse.Namespace) -> tuple[date, date]:
    end = _day(args.date, now_in_china().date())
    if args.days < 1:
        raise UserError(tr(f"--days {args.days}:至少 1 天", f"--days {args.days}: at least 1"))
    return end - timedelta(days=args.days - 1), end


def run_consistency(args: argparse.Namespace) -> int:
    start, end = _window(args)
    with open_cache(args) as cache, cache.read() as c:
        channel = _channel(args, c)
        found = consistency(c, start, end, channels=[channel] if channel else (), shop=args.shop)
    rows = found.per_channel()
    if args.json:
        emit_json({"start": found.start, "end": found.end,
                   "channels": [{"channel": r.channel, "orders": r.orders, "disagreeing": r.disagreeing, "rate": r.rate,
                                 "highlighted": r.highlighted, "kinds": r.kinds} for r in rows],
                   "days": [{"channel": x.channel, "day": x.day, "orders": x.orders, "disagreeing": x.disagreeing,
                             "rate": x.rate, "kinds": x.kinds} for x in found.cells.values()]})  # fmt: skip
        return 0
    if not rows:
        emit_line(tr(f"{found.start} 至 {found.end} 没有订单", f"no orders from {found.start} to {found.end}"))
    for r in rows:
        mark = "!" if r.highlighted else " "
        kinds = ", ".join(
            f"{KINDS[k][0 if _zh() else 1]} {n}" for k, n in sorted(r.kinds.items(), key=lambda kv: -kv[1])
        )
        emit_line(f"{mark} {r.channel:16} {r.disagreeing:>6}/{r.orders:<7} {100 * r.rate:6.2f}%  {kinds}")
    return 0


def run_quality(args: argparse.Namespace) -> int:
    start, end = _window(args)
    try:
        limits = load_thresholds(args.thresholds) if args.thresholds else None
    except ThresholdsError as exc:
        raise UserError(tr(f"--thresholds {str(args.thresholds)!r}:阈值文件被拒绝,位置 {exc.json_path}:{exc.args[0].split(': ', 1)[-1]}",
                           f"--thresholds {str(args.thresholds)!r}: refused at {exc.json_path}: {exc.args[0].split(': ', 1)[-1]}")) from None  # fmt: skip
    with open_cache(args) as cache, cache.read() as c:
        checks = quality(c, start, end, limits, shop=args.shop)
    if args.json:
        emit_json(
            {"start": start.isoformat(), "end": end.isoformat(), "checks": [r.as_dict() for r in checks.values()]}
        )
        return 0
    for r in checks.values():
        value = "—" if r.value is None else (f"{r.value:.0f}" if r.is_count else f"{r.value:.2f}%")
        emit_line(
            f"{r.status:8} {pad(CHECK_LABELS[r.id][0 if _zh() else 1], 26)} {value:>9}  ({r.unexpected}/{r.evaluated})"
        )
    return 0


def run_reconcile(args: argparse.Namespace) -> int:
    month = _month(args.date)
    with open_cache(args) as cache, cache.read() as c:
        found = reconcile(c, month, _channel(args, c))
    if args.json:
        emit_json(found.as_dict())
        return 0
    zh = _zh()
    emit_line(f"{month} {args.channel or ''}  BI {found.bi_gmv / 100:,.2f}  {tr('财务', 'finance')} {found.finance / 100:,.2f}  "
              f"{tr('差额', 'gap')} {found.gap / 100:,.2f}")  # fmt: skip
    width = max(display_width(PART_LABELS[part][0 if zh else 1]) for part in PARTS)
    for part in PARTS:
        label = pad(PART_LABELS[part][0 if zh else 1], width)
        emit_line(f"  {label} {found.parts[part] / 100:>14,.2f}  ({len(found.orders[part])})")
    rate = found.unexplained_rate
    emit_line(tr("  未解释率 ", "  unexplained rate ") + ("—" if rate is None else f"{100 * rate:.3f}%"))
    for i, d in enumerate(found.top(), 1):
        emit_line(f"  {i:2}. {d.channel_order_no} {d.domain_id} {d.difference / 100:>12,.2f}  "
                  f"{CAUSES[d.cause][0 if zh else 1] if d.cause else ''}")  # fmt: skip
    return 0


def run_health(args: argparse.Namespace) -> int:
    _, day = _window(args)
    with open_cache(args) as cache:
        with cache.read() as c:
            scored = health.measure(c, day, shop=args.shop, days=args.days, facts=_hub_facts(args))
        with cache.write() as c:
            health.keep(c, scored)
    if args.json:
        emit_json(scored.as_dict())
        return 0
    zh = _zh()
    emit_line(tr("健康分 ", "health ") + ("—" if scored.score is None else f"{scored.score:.1f}") +
              tr(f"(覆盖 {100 * scored.coverage:.0f}%)", f" (coverage {100 * scored.coverage:.0f}%)"))  # fmt: skip
    for m in scored.dimensions:
        d = m.dimension
        value = tr("无数据", "no data") if m.value is None else f"{m.value:.2f}{d.unit}"
        score = "—" if m.score is None else f"{m.score:.0f}"
        emit_line(f"  {pad(d.name[0 if zh else 1], 30)} {value:>14} {score:>4}  ×{d.weight:g}")
    return 0


def run_selfcheck(args: argparse.Namespace) -> int:
    _, day = _window(args)
    with open_cache(args) as cache, cache.read() as c:
        check = selfcheck.run(c, day, _hub_facts(args))
    if args.json:
        emit_json(check.as_dict())
        return 0
    zh = _zh()
    for i in check.items:
        verdict = tr("达标", "pass") if i.passed else tr("未达标", "fail")
        emit_line(f"{i.number:2}. {verdict:6} {i.title[0 if zh else 1]}: {i.value or tr('无数据', 'no data')} "
                  f"[{i.bar[0 if zh else 1]}] {i.evidence[0 if zh else 1]}")  # fmt: skip
    emit_line(f"{check.score}/10 {selfcheck.VERDICTS[check.verdict][0 if zh else 1]}")
    return 0
