"""`orderdesk orders …`: import records, show one order's full chain, export every order.

`orders import` exits 0 when every record was applied (or waits for its order), 5 when some were
refused (they are in quarantine; the rest was imported), 2 when the file cannot be read at all."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from orderdesk.app.cli.common import EXIT_PARTLY_REFUSED, UserError, emit_json, emit_line, open_cache
from orderdesk.app.i18n import language, tr
from orderdesk.sync import labels
from orderdesk.sync.cache.apply import ApplyReport, CacheWriter
from orderdesk.sync.cache.jsonl import read_records
from orderdesk.sync.cache.pipeline import apply_batches
from orderdesk.sync.cache.queries import export_orders, find_orders, order_document
from orderdesk.sync.china_time import shown_iso
from orderdesk.sync.domain_id import is_domain_id

BATCH = 5000
REFUSED = EXIT_PARTLY_REFUSED


def register(commands: argparse._SubParsersAction) -> None:
    orders = commands.add_parser("orders", help=tr("订单", "orders"))
    sub = orders.add_subparsers(dest="orders_command", required=True)
    s = sub.add_parser("show", help=tr("显示订单全链路", "show an order's full chain"))
    s.add_argument("key", help=tr("统一订单号、渠道订单号或运单号", "unified id, channel order no. or waybill no."))
    s.add_argument("--hub", help=tr("本机没有时向该订单中心取回(保留期外移出的订单,按统一订单号)",
                                    "when it is not here, bring it back from this hub (an order the retention window took out; by unified id)"))  # fmt: skip
    s.set_defaults(run=run_show)
    e = sub.add_parser("export", help=tr("导出全部缓存订单", "export every cached order"))
    e.add_argument("--format", choices=["jsonl"], default="jsonl")
    e.add_argument("--out", type=Path, help=tr("输出文件(默认标准输出)", "output file (default: stdout)"))
    e.set_defaults(run=run_export)
    i = sub.add_parser("import", help=tr("导入订单与状态观测(JSONL)", "import orders and observations (JSONL)"))
    i.add_argument(
        "file",
        type=Path,
        help=tr('每行 {"order": …} 或 {"observation": …}', 'lines of {"order": …} or {"observation": …}'),
    )
    i.add_argument("--operator", default="import")
    i.add_argument(
        "--workers",
        type=int,
        default=1,
        help=tr("并行预处理进程数(0:不用)", "preparing processes beside the writer (0: none)"),
    )
    i.add_argument(
        "--batch",
        type=int,
        default=BATCH,
        help=tr("每个事务的记录数", "records per transaction"),
    )
    i.set_defaults(run=run_import)


def run_show(args: argparse.Namespace) -> int:
    with open_cache(args) as cache:
        with cache.read() as c:
            ids = find_orders(c, args.key)
        if not ids and args.hub and _brought_back(cache, args.hub, args.key):
            with cache.read() as c:
                ids = find_orders(c, args.key)
        if not ids:
            hint = (
                ""
                if args.hub
                else tr(
                    ";若它因保留期被移出本机,加 --hub URL 取回",
                    "; if the retention window took it out, add --hub URL to bring it back",
                )
            )
            raise UserError(tr(f"缓存中没有订单 {args.key}", f"no cached order {args.key}") + hint, code=1)
        with cache.read() as c:
            documents = [order_document(c, i) for i in ids]
    if len(documents) > 1:
        names = ", ".join(f"{d['channel']}/{d['shop']} {d['domain_id']}" for d in documents)
        raise UserError(
            tr(
                f"{args.key} 对应多个订单,请用统一订单号:{names}",
                f"{args.key} names several orders; use a unified id: {names}",
            ),
            code=1,
        )
    document = documents[0]
    if args.json:
        emit_json(document)
        return 0
    words = language() == "en"

    def say(pair: tuple[str, str]) -> str:
        return pair[1] if words else pair[0]

    state = say(labels.fulfilment_label(document["fulfilment"], document["cancelled"]))
    refund = say(labels.label(labels.REFUNDS, document["refund"]))
    emit_line(f"{document['domain_id']}  {say(labels.label(labels.SOURCES, document['channel']))} "
              f"{document['shop']} {document['channel_order_no']}")  # fmt: skip
    closing = say((document["outcome_label"]["zh"], document["outcome_label"]["en"]))
    emit_line(
        tr(
            f"履约 {state} · 退款 {refund} · 结果 {closing}",
            f"fulfilment {state} · refund {refund} · outcome {closing}",
        )
    )
    for obs in document["observations"]:
        emit_line(f"  {shown_iso(obs['observed_at'])}  {say(labels.label(labels.SOURCES, obs['source'])):<10} "
                  f"{obs['status_field']}={obs['raw_status']:<8} → {say(labels.label(labels.OUTCOMES, obs['outcome']))}")  # fmt: skip
    language_key = "en" if words else "zh"
    for anomaly in document["anomalies"]:
        if anomaly["open"]:
            emit_line(f"  ! {anomaly['label'][language_key]}: {anomaly['text'][language_key]}")
    return 0


def _brought_back(cache: Any, hub: str, key: str) -> bool:
    import asyncio
    import getpass

    from orderdesk.app.cli.sync_cmd import hub_error, token_for
    from orderdesk.sync.cache import retention
    from orderdesk.sync.client import HubClient, HubError

    async def ask() -> bool:
        async with HubClient(hub, token_for(hub)) as client:
            return await retention.bring_back(cache, client, key.strip().upper(), getpass.getuser())

    if not is_domain_id(key.strip().upper()):
        return False
    try:
        return asyncio.run(ask())
    except HubError as exc:
        raise hub_error(exc) from None


def run_export(args: argparse.Namespace) -> int:
    out = args.out.open("w", encoding="utf-8") if args.out else sys.stdout
    count = 0
    try:
        with open_cache(args) as cache, cache.read() as c:
            for document in export_orders(c):
                out.write(json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n")
                count += 1
    finally:
        if args.out:
            out.close()
    if args.out:
        sys.stderr.write(tr(f"已导出 {count} 个订单到 {args.out}\n", f"exported {count} orders to {args.out}\n"))
    return 0


def _batches(path: Path, size: int = BATCH) -> Iterator[tuple[list[Any], list[Any]]]:
    orders: list[Any] = []
    observations: list[Any] = []
    for kind, record in read_records(path):
        (orders if kind == "order" else observations).append(record)
        if len(orders) + len(observations) >= size:
            yield orders, observations
            orders, observations = [], []
    if orders or observations:
        yield orders, observations


def run_import(args: argparse.Namespace) -> int:
    if not args.file.exists():
        raise UserError(tr(f"找不到文件 {args.file}", f"no such file: {args.file}"))
    try:
        args.file.open("rb").close()
    except OSError as exc:
        raise UserError(
            tr(f"无法读取 {args.file}:{exc.strerror}", f"cannot read {args.file}: {exc.strerror}")
        ) from None
    total = ApplyReport()
    with open_cache(args) as cache:
        writer = CacheWriter(cache, operator=args.operator)
        for report in apply_batches(writer, _batches(args.file, max(1, args.batch)), workers=args.workers):
            total.add(report)
            done = total.orders_new + total.orders_updated
            sys.stderr.write(tr(f"\r已应用 {done} 个订单", f"\rapplied {done} orders"))
        sys.stderr.write("\n")
    if args.json:
        emit_json(total.as_json())
    else:
        emit_line(tr(
            f"新订单 {total.orders_new},更新 {total.orders_updated},新观测 {total.observations_new},"
            f"重复 {total.observations_duplicate},待匹配 {total.observations_pending},隔离 {len(total.quarantined)}",
            f"new orders {total.orders_new}, updated {total.orders_updated}, new observations {total.observations_new}, "
            f"duplicates {total.observations_duplicate}, pending {total.observations_pending}, quarantined {len(total.quarantined)}",
        ))  # fmt: skip
        for q in total.quarantined:
            for error in q.errors:
                emit_line(
                    f"  ✗ {q.kind} {q.reference or '?'}: {error.field} = {error.value!r}: {error.text(language())}"
                )
    if total.quarantined:
        sys.stderr.write(tr(f"{len(total.quarantined)} 条记录被拒绝,已放入隔离区(orderdesk quarantine list)\n",
                            f"{len(total.quarantined)} records refused, kept in quarantine (orderdesk quarantine list)\n"))  # fmt: skip
        return REFUSED
    return 0
