"""`orderdesk invoices list|show|plan|fix|confirm|split|retry|red|monthly-list|lock`: the invoices the hub
made (as the cache holds them, offline too), the plan today's signed orders make, and the clerk's
actions, which go into the outbox like the console's and reach the hub with the next `orderdesk sync`
(or at once with ``--hub URL``)."""

from __future__ import annotations

import argparse
import json
import re
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from orderdesk.app.cli.common import EXIT_NOT_FOUND, UserError, emit_json, emit_line, open_cache
from orderdesk.app.i18n import tr
from orderdesk.app.services.finance import TAB_NAMES, FinanceDesk, Queued, check_fix, state_words
from orderdesk.invoicing.eligible import eligible_orders
from orderdesk.invoicing.monthly_list import listed
from orderdesk.invoicing.plan import PlanKind, plan, summary
from orderdesk.invoicing.red_letter import RedReason
from orderdesk.invoicing.tax_table import bundled
from orderdesk.sync.china_time import now_in_china

KIND_WORDS = {
    PlanKind.MERGED: ("合并开票(待确认)", "merged (to confirm)"),
    PlanKind.SINGLE: ("单独开票", "alone"),
    PlanKind.WAITING: ("等待当日结束", "waiting for the end of the day"),
    PlanKind.NEEDS_DATA: ("资料缺失", "needs data"),
    PlanKind.HELD: ("超出授信额度", "beyond the credit line"),
}


def register(commands: argparse._SubParsersAction) -> None:
    invoices = commands.add_parser("invoices", help=tr("发票", "invoices"))
    sub = invoices.add_subparsers(dest="invoices_command", required=True)
    p = sub.add_parser(
        "plan", help=tr("按合并规则预览今日应开的发票", "the invoices today's signed orders make, by the merge rule")
    )
    p.add_argument("--today", help=tr("北京时间日期 YYYY-MM-DD(默认今天)", "China date YYYY-MM-DD (default: today)"))
    p.add_argument("--credit", type=float, help=tr("本月剩余授信额度(元)", "the credit line left this month (yuan)"))
    p.set_defaults(run=run_plan)
    p = sub.add_parser("list", help=tr("按页签列出发票", "invoices by Finance tab"))
    p.add_argument("tab", nargs="?", choices=[*TAB_NAMES, "all"], default="all")
    p.set_defaults(run=run_list)
    p = sub.add_parser("show", help=tr("一张发票的全部内容", "one invoice in full"))
    p.add_argument("invoice", help=tr("发票的 order_no 或 20 位号码", "the invoice's order_no or 20-digit number"))
    p.set_defaults(run=run_show)
    for name, zh, en in (("confirm", "确认合并开票", "confirm a merge"), ("split", "拆分合并,每单单独开票", "split a merge"),
                         ("retry", "重试开票失败的发票", "retry a failed invoice")):  # fmt: skip
        p = sub.add_parser(name, help=tr(zh, en))
        p.add_argument("invoice")
        _hub_option(p)
        p.set_defaults(run=run_action, action=name)
    p = sub.add_parser("fix", help=tr("修改购方资料(资料缺失)", "fix the buyer's data (needs data)"))
    p.add_argument("invoice")
    for field in BuyerForm:
        p.add_argument(f"--{field.replace('_', '-')}", dest=field)
    _hub_option(p)
    p.set_defaults(run=run_action, action="fix")
    p = sub.add_parser("red", help=tr("冲红一个订单在发票上的行", "red-letter an order's lines on an invoice"))
    p.add_argument("invoice")
    p.add_argument("--order", required=True, help=tr("统一订单号", "the unified order id"))
    p.add_argument("--reason", choices=[r.value for r in RedReason], default=RedReason.SALES_RETURN.value,
                   help=tr("01 开票有误 02 销货退回 03 服务中止 04 销售折让", "01 error, 02 sales return, 03 service stopped, 04 discount"))  # fmt: skip
    p.add_argument("--line", action="append", default=[], metavar="LINE_NO=FEN",
                   help=tr("只冲红这些行的金额(分),默认全部", "only these lines, fen each (default: all of the order's lines)"))  # fmt: skip
    _hub_option(p)
    p.set_defaults(run=run_action, action="red")
    p = sub.add_parser("lock", help=tr("锁定某月的订单数据(月结)", "lock a month's order data for the close"))
    p.add_argument("month", help="YYYY-MM")
    _hub_option(p)
    p.set_defaults(run=run_action, action="lock")
    p = sub.add_parser("monthly-list", help=tr("月度清单(金蝶 XLSX 或 CSV)", "the monthly list (Kingdee XLSX or CSV)"))
    p.add_argument("month", nargs="?", help=tr("YYYY-MM,默认上个月", "YYYY-MM, default: last month"))
    p.add_argument("--out", type=Path, help=tr("输出文件 .xlsx 或 .csv", "the file to write, .xlsx or .csv"))
    p.add_argument("--kingdee", action="store_true",
                   help=tr("用金蝶官方 SDK 直接推送到金蝶云星空(环境变量 ORDERDESK_KINGDEE_URL/ACCT/USER/APP_ID/SECRET)",
                           "push straight into Kingdee 云星空 with Kingdee's SDK (ORDERDESK_KINGDEE_URL/ACCT/USER/APP_ID/SECRET)"))  # fmt: skip
    p.set_defaults(run=run_monthly_list)


BuyerForm = ("title", "taxpayer_id", "address", "phone", "bank", "account", "email", "kind", "buyer_type")


def _hub_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--hub", help=tr("同时立即同步到此订单中心", "also sync with this hub now"))


def _brief(b: dict[str, Any]) -> str:
    zh, en = state_words(b)
    number = b.get("number") or b["order_no"]
    return (f"{number}  {tr(zh, en)}  ¥{b['total_fen'] / 100:,.2f}  {b['buyer'].get('title', '')}  "
            f"{len(b['orders'])} {tr('单', 'orders')}")  # fmt: skip


def run_list(args: argparse.Namespace) -> int:
    with open_cache(args) as cache:
        desk = FinanceDesk(cache)
        tabs = list(TAB_NAMES) if args.tab == "all" else [args.tab]
        found = {tab: desk.tab(tab) for tab in tabs}
    if args.json:
        emit_json(found if args.tab == "all" else found[args.tab])
        return 0
    for tab, bodies in found.items():
        emit_line(f"{tab} ({len(bodies)})")
        for b in bodies:
            emit_line("  " + _brief(b))
    return 0


def _find(desk: FinanceDesk, key: str) -> dict[str, Any]:
    body = desk.invoice(key)
    if body is None:
        with desk.cache.read() as c:
            row = c.exec_driver_sql("SELECT body_json FROM invoices WHERE json_extract(body_json, '$.number') = ?",
                                    (key,)).first()  # fmt: skip
        body = json.loads(row[0]) if row else None
    if body is None:
        raise UserError(tr(f"缓存中没有发票 {key}(先 orderdesk sync)", f"no invoice {key} in the cache (orderdesk sync first)"),
                        EXIT_NOT_FOUND)  # fmt: skip
    return body


def run_show(args: argparse.Namespace) -> int:
    with open_cache(args) as cache:
        body = _find(FinanceDesk(cache), args.invoice)
    if args.json:
        emit_json(body)
        return 0
    emit_line(_brief(body))
    for x in body["lines"]:
        emit_line(f"  {x['index']:>4} {x['order']} #{x['line_no']} {x['goods_name']} ×{x['quantity']} "
                  f"¥{x['included_fen'] / 100:,.2f} ({x['rate_bp'] / 100:g}%, {tr('税额', 'tax')} ¥{x['tax_fen'] / 100:,.2f})")  # fmt: skip
    reason = body.get("reason") or {}
    if reason:
        emit_line(tr(f"原因:{reason.get('zh')}", f"reason: {reason.get('en')}"))
    for problem in body.get("problems", []):
        emit_line(tr(f"问题:{problem['field']} {problem.get('value', '')}:{problem['zh']}",
                     f"problem: {problem['field']} {problem.get('value', '')}: {problem['en']}"))  # fmt: skip
    return 0


def run_action(args: argparse.Namespace) -> int:
    with open_cache(args) as cache:
        desk = FinanceDesk(cache)
        if args.action == "lock":
            if not re.match(r"^20[0-9]{2}-(0[1-9]|1[0-2])$", args.month):
                raise UserError(
                    tr(f"month {args.month!r}:月份格式应为 YYYY-MM", f"month {args.month!r}: write it YYYY-MM")
                )
            queued = desk.lock(args.month)
        else:
            body = _find(desk, args.invoice)
            queued = _act(desk, args, body)
    emit: dict[str, Any] = {"queued": queued.kind, "invoice": queued.invoice, "key": queued.key}
    if args.hub:
        emit["sync"] = _sync_now(args)
    if args.json:
        emit_json(emit)
    else:
        emit_line(tr(f"已加入待推送:{queued.kind} {queued.invoice}(随下次 orderdesk sync 提交到订单中心)",
                     f"queued: {queued.kind} {queued.invoice} (goes to the hub with the next orderdesk sync)"))  # fmt: skip
    return 0


def _sync_now(args: argparse.Namespace) -> dict[str, Any]:
    """One sync round with the hub: the action goes now; what the hub said is in the outbox."""
    import asyncio

    from orderdesk.app.cli.sync_cmd import hub_error, token_for
    from orderdesk.sync.cache.apply import CacheWriter
    from orderdesk.sync.client import HubClient, HubError
    from orderdesk.sync.syncer import Syncer

    token = token_for(args.hub)

    async def once() -> dict[str, Any]:
        with open_cache(args) as cache:
            async with HubClient(args.hub, token) as client:
                return (await Syncer(client, CacheWriter(cache, operator="invoices")).run_once()).as_json()

    try:
        return asyncio.run(once())
    except HubError as exc:
        raise hub_error(exc, tr(";操作已在待推送队列中", "; the action waits in the outbox")) from None


def _act(desk: FinanceDesk, args: argparse.Namespace, body: dict[str, Any]) -> Queued:
    order_no = body["order_no"]
    if args.action == "confirm":
        return desk.confirm(order_no)
    if args.action == "split":
        return desk.split(order_no)
    if args.action == "retry":
        return desk.retry(order_no)
    if args.action == "fix":
        changes = {f: getattr(args, f) for f in BuyerForm if getattr(args, f, None) is not None}
        if not changes:
            raise UserError(
                tr(
                    "没有要修改的字段:用 --taxpayer-id、--account 等",
                    "nothing to change: give --taxpayer-id, --account…",
                )
            )
        errors = check_fix(changes, body["buyer"])
        if errors:
            e = errors[0]
            raise UserError(tr(f"{e.field} {e.value!r}:{e.message_zh}", f"{e.field} {e.value!r}: {e.message}"))
        return desk.fix(order_no, changes)
    lines: dict[int, int] = {}
    for text in args.line:
        number, _, fen = text.partition("=")
        if not (number.isdigit() and fen.isdigit()):
            raise UserError(tr(f"--line {text!r}:应为 行号=金额(分)", f"--line {text!r}: write LINE_NO=FEN"))
        lines[int(number)] = int(fen)
    if args.order not in body["orders"]:
        raise UserError(
            tr(f"order {args.order}:不在发票 {order_no} 上", f"order {args.order} is not on invoice {order_no}")
        )
    return desk.red(order_no, args.order, RedReason(args.reason), lines or None)


def run_monthly_list(args: argparse.Namespace) -> int:
    month = args.month or (now_in_china().date().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    if not re.match(r"^20[0-9]{2}-(0[1-9]|1[0-2])$", month):
        raise UserError(tr(f"month {month!r}:月份格式应为 YYYY-MM", f"month {month!r}: write it YYYY-MM"))
    if args.out is None and not args.kingdee:
        raise UserError(tr("请给出 --out 文件或 --kingdee", "give --out FILE or --kingdee"))
    if args.out is not None and args.out.suffix.lower() not in (".xlsx", ".csv"):
        raise UserError(tr(f"--out {args.out}:应为 .xlsx 或 .csv", f"--out {args.out}: .xlsx or .csv"))
    document: dict[str, Any] = {"month": month}
    with open_cache(args) as cache:
        desk = FinanceDesk(cache)
        if args.out is not None:
            document |= {"path": str(args.out), "rows": desk.monthly_list(month, args.out)}
        if args.kingdee:
            document["kingdee"] = _push_kingdee([listed(b) for b in desk.month(month)])
    if args.json:
        emit_json(document)
        return 0
    if "rows" in document:
        emit_line(tr(f"{month} 月度清单已写入 {args.out}:{sum(document['rows'].values())} 行",
                     f"the {month} list written to {args.out}: {sum(document['rows'].values())} rows"))  # fmt: skip
    if "kingdee" in document:
        emit_line(tr(f"已推送到金蝶:{document['kingdee']}", f"pushed to Kingdee: {document['kingdee']}"))
    return 0


KINGDEE_VARIABLES = ("URL", "ACCT", "USER", "APP_ID", "SECRET")


def _push_kingdee(invoices: list[Any]) -> dict[str, int]:
    import os

    from orderdesk.invoicing.kingdee_push import KingdeeAccount, KingdeeRefused, push

    values = {name: os.environ.get(f"ORDERDESK_KINGDEE_{name}", "") for name in KINGDEE_VARIABLES}
    missing = [f"ORDERDESK_KINGDEE_{name}" for name, value in values.items() if not value]
    if missing:
        raise UserError(
            tr(f"缺少金蝶设置:{', '.join(missing)}", f"the Kingdee settings are missing: {', '.join(missing)}")
        )
    account = KingdeeAccount(values["URL"], values["ACCT"], values["USER"], values["APP_ID"], values["SECRET"])
    try:
        return push(invoices, account)
    except KingdeeRefused as exc:
        raise UserError(tr(f"金蝶拒绝了 {exc.form}:{exc}", f"Kingdee refused {exc.form}: {exc}")) from None
    except (RuntimeError, OSError) as exc:
        raise UserError(tr(f"推送到金蝶失败:{exc}", f"the push to Kingdee failed: {exc}")) from None


def run_plan(args: argparse.Namespace) -> int:
    today = args.today or now_in_china().date().isoformat()
    started = time.perf_counter()
    with open_cache(args) as cache, cache.read() as c:
        orders = eligible_orders(c)
    credit = None if args.credit is None else round(args.credit * 100)
    result = plan(orders, today=today, table=bundled(), credit_fen=credit)
    took = time.perf_counter() - started
    document = {"today": today, "eligible_orders": len(orders), "seconds": round(took, 3), **summary(result),
                "invoices": [{"kind": i.kind.value, "buyer": i.buyer, "day": i.day, "orders": i.orders,
                              "lines": len(i.lines), "total_fen": i.total_fen, "tax_fen": i.tax_fen,
                              "part": list(i.part), "missing_skus": [list(m) for m in i.missing_skus],
                              "problems": [list(p) for p in i.problems]}
                             for i in result.invoices]}  # fmt: skip
    if args.json:
        emit_json(document)
        return 0
    emit_line(
        tr(
            f"{today}:{len(orders):,} 单可开票,用时 {took:.2f} 秒",
            f"{today}: {len(orders):,} orders due an invoice, in {took:.2f} s",
        )
    )
    for kind, k in summary(result)["kinds"].items():
        zh, en = KIND_WORDS[PlanKind(kind)]
        emit_line(tr(f"  {zh}:{k['invoices']:,} 张发票,{k['orders']:,} 单,{k['lines']:,} 行,¥{k['total_fen'] / 100:,.2f}",
                     f"  {en}: {k['invoices']:,} invoices, {k['orders']:,} orders, {k['lines']:,} lines, ¥{k['total_fen'] / 100:,.2f}"))  # fmt: skip
    if credit is not None:
        emit_line(tr(f"  授信额度:用 ¥{result.credit_used_fen / 100:,.2f} / ¥{credit / 100:,.2f}",
                     f"  credit line: ¥{result.credit_used_fen / 100:,.2f} used of ¥{credit / 100:,.2f}"))  # fmt: skip
    return 0
