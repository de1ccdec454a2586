"""`orderdesk invoices plan`: which invoices the cache's signed orders make today (issue #13; the
rest of `orderdesk invoices …` comes with the hub's invoice store)."""

from __future__ import annotations

import argparse
import time

from app.cli.common import emit_json, emit_line, open_cache
from app.i18n import tr
from invoicing.eligible import eligible_orders
from invoicing.plan import PlanKind, plan, summary
from invoicing.tax_table import bundled
from sync.china_time import now_in_china

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
