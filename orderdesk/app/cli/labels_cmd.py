"""`orderdesk labels …`: preflight, render, print, retry, batch scan (printers: printers_cmd.py)."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path
from typing import Any

from orderdesk.app.cli.common import EXIT_NOT_SENT, EXIT_PRINTER_SETTING, UserError, emit_json, emit_line, open_cache
from orderdesk.app.i18n import language, tr
from orderdesk.printing import jobs, scan
from orderdesk.printing.preflight import Preflight, check_text
from orderdesk.printing.printer_spec import PrinterSpec
from orderdesk.printing.printers import Printer, PrinterBook
from orderdesk.printing.profiles import load_profile, profile_names
from orderdesk.sync.cache.queries import find_orders, order_document

TEXT_FIELDS = ["receiver_name", "receiver_address", "receiver_phone", "items", "carrier", "sender_name"]


def register(commands: argparse._SubParsersAction) -> None:
    labels = commands.add_parser(
        "labels", help=tr("面单:预检、生成、打印、批量扫描", "labels: preflight, render, print, scan")
    )
    sub = labels.add_subparsers(dest="labels_command", required=True)

    p = sub.add_parser("preflight", help=tr("打印前逐字检查", "check every character before printing"))
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument(
        "key", nargs="?", help=tr("统一订单号、渠道订单号或运单号", "unified id, channel order no. or waybill no.")
    )
    what.add_argument("--text", help=tr("只检查这段文字", "check just this text"))
    p.add_argument(
        "--field", choices=TEXT_FIELDS, default="receiver_name", help=tr("--text 作为哪个字段", "the field --text is")
    )
    p.add_argument("--profile", required=True, choices=profile_names())
    p.set_defaults(run=run_preflight)

    r = sub.add_parser("render", help=tr("生成面单文件", "render a label to a file"))
    what = r.add_mutually_exclusive_group(required=True)
    what.add_argument(
        "key", nargs="?", help=tr("统一订单号、渠道订单号或运单号", "unified id, channel order no. or waybill no.")
    )
    what.add_argument(
        "--order-json", type=Path, help=tr("`orders show --json` 输出的文档", "a document `orders show --json` printed")
    )
    r.add_argument("--profile", required=True, choices=profile_names())
    r.add_argument("--template", help=tr("面单模板(默认:配置自带的)", "label template (default: the profile's own)"))
    r.add_argument(
        "--out", type=Path, required=True, help=tr("PDF 或打印机指令文件", "the PDF or the printer-language bytes")
    )
    r.add_argument(
        "--preview", type=Path, help=tr("预览 PNG(即打印机收到的点阵)", "preview PNG (the printer's own bitmap)")
    )
    r.set_defaults(run=run_render)

    pr = sub.add_parser("print", help=tr("打印一个订单的面单", "print one order's label"))
    pr.add_argument("key")
    _printer_arguments(pr)
    pr.add_argument("--template", help=tr("面单模板(默认:配置自带的)", "label template (default: the profile's own)"))
    pr.add_argument("--reason", help=tr("补打原因(已打印过的订单必填)", "reprint reason (required once printed)"))
    pr.add_argument(
        "--confirm",
        action="store_true",
        help=tr(
            "已发货、退款中或未付款的订单也打印", "print even though the order shipped, has a refund open or is unpaid"
        ),
    )
    pr.add_argument(
        "--override",
        metavar="REASON",
        help=tr("主管强制打印已取消或已全额退款的订单(记入审计)", "a supervisor's reason to print a cancelled or fully "
                "refunded order (audited)"),
    )  # fmt: skip
    pr.add_argument(
        "--replace",
        action="append",
        default=[],
        metavar="CHAR=TEXT",
        help=tr("无法打印的字符改印为 TEXT(可多次)", "print TEXT instead of a character no font has (repeatable)"),
    )
    pr.add_argument(
        "--accept-markers",
        action="store_true",
        help=tr("无法打印的字符按 [U+XXXX] 标记打印", "print characters no font has as [U+XXXX] markers"),
    )
    pr.add_argument("--operator", default=getpass.getuser())
    pr.set_defaults(run=run_print)

    rt = sub.add_parser(
        "retry", help=tr("重发失败的打印任务(同一份文档)", "send a failed job again (the same document)")
    )
    rt.add_argument("job", type=int)
    _printer_arguments(rt)
    rt.add_argument("--operator", default=getpass.getuser())
    rt.set_defaults(run=run_retry)

    j = sub.add_parser("jobs", help=tr("订单的打印记录", "an order's print history"))
    j.add_argument("key")
    j.set_defaults(run=run_jobs)

    s = sub.add_parser(
        "scan", help=tr("批量扫描需要生僻字降级的订单", "find recent orders whose label needs a fallback")
    )
    s.add_argument("--days", type=float, default=7)
    s.add_argument("--profile", required=True, choices=profile_names())
    s.set_defaults(run=run_scan)

    q = sub.add_parser("queue", help=tr("生僻字待处理队列", "the rare-character handling queue"))
    q.set_defaults(run=run_queue)


def _printer_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--printer",
        help=tr(
            "打印机名(见 printers list;默认:默认打印机);与 --to 同用时也可写打印机配置名",
            "printer name (see printers list; default: the default printer); with --to also a profile name",
        ),
    )
    parser.add_argument(
        "--to",
        help=tr(
            "改送到 tcp://主机:端口、file:目录 或 queue:队列",
            "send to tcp://HOST:PORT, file:FOLDER or queue:NAME instead",
        ),
    )


def _domain_id(args: argparse.Namespace, key: str) -> str:
    with open_cache(args) as cache, cache.read() as c:
        ids = find_orders(c, key)
        if not ids:
            raise UserError(tr(f"缓存中没有订单 {key}", f"no cached order {key}"), code=1)
        if len(ids) > 1:
            raise UserError(
                tr(f"{key} 对应多个订单,请用统一订单号", f"{key} names several orders; use a unified id"), code=1
            )
        row = c.exec_driver_sql("SELECT domain_id FROM orders WHERE id = ?", (ids[0],)).one()
        return str(row[0])


def _document(args: argparse.Namespace, key: str) -> dict[str, Any]:
    domain_id = _domain_id(args, key)
    with open_cache(args) as cache, cache.read() as c:
        return order_document(c, int(find_orders(c, domain_id)[0]))


def _show_preflight(checked: Preflight) -> None:
    emit_line(tr("预检通过:每个字都按原样打印", "preflight ok: every character prints as written") if checked.ok
              else tr("预检:面单与订单不完全一致", "preflight: the label differs from the order"))  # fmt: skip
    for s in checked.substitutions:
        emit_line(
            f"  {s.field}: {s.char} ({s.codepoint}) → {s.replacement}  [{s.method}{' ' + s.font if s.font else ''}]"
        )
    for p in checked.problems:
        emit_line(f"  ! {tr(p.said)}")


def run_preflight(args: argparse.Namespace) -> int:
    from orderdesk.printing.render import check  # reportlab and Pillow only for the commands that render

    profile = load_profile(args.profile)
    if args.text is not None:
        text, substitutions = check_text(profile, args.field, args.text)
        checked = Preflight(profile.name, {args.field: text}, substitutions)
    else:
        checked, _, _ = check(profile, _document(args, args.key))
    if args.json:
        emit_json(checked.as_json())
    else:
        _show_preflight(checked)
    return 0


def run_render(args: argparse.Namespace) -> int:
    from orderdesk.printing.render import render

    profile = load_profile(args.profile)
    if args.order_json is not None:
        try:
            document = json.loads(args.order_json.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise UserError(tr(f"无法读取 {args.order_json}:{exc}", f"cannot read {args.order_json}: {exc}")) from exc
    else:
        document = _document(args, args.key)
    label = render(profile, document, template=args.template)
    args.out.write_bytes(label.data)
    if args.preview:
        label.preview().save(args.preview, format="PNG")
    if args.json:
        emit_json({"out": str(args.out), "bytes": len(label.data), "preview": str(args.preview) if args.preview else None,
                   **label.preflight.as_json()})  # fmt: skip
    else:
        _show_preflight(label.preflight)
        emit_line(tr(f"已写入 {args.out}({len(label.data)} 字节)", f"wrote {args.out} ({len(label.data)} bytes)"))
    return 0


def _printer(args: argparse.Namespace) -> Printer:
    """``--printer`` (default: the default printer); with ``--to`` sent there instead, and then
    ``--printer`` may also name a profile."""
    book = PrinterBook()
    if not args.to:
        return book.get(args.printer)
    if args.printer in profile_names() and args.printer not in {s.name for s in book.load().specs}:
        profile = args.printer
    else:
        profile = book.get(args.printer).profile.name
    spec = PrinterSpec.from_uri((args.printer or profile)[:40], profile, args.to)
    return Printer.of(spec, configured=False)


def _outcome(args: argparse.Namespace, outcome: jobs.JobOutcome) -> int:
    if args.json:
        emit_json(outcome.as_json())
    elif outcome.state == "done":
        if outcome.label is not None:
            _show_preflight(outcome.label.preflight)
        emit_line(tr(f"任务 {outcome.job_id}:{outcome.said.zh}", f"job {outcome.job_id}: {outcome.said.en}"))
    else:
        sys.stderr.write(
            tr(f"任务 {outcome.job_id} 失败:{outcome.said.zh}\n", f"job {outcome.job_id} failed: {outcome.said.en}\n")
        )
    if outcome.state == "done":
        return 0
    return EXIT_NOT_SENT if outcome.retryable else EXIT_PRINTER_SETTING


def _replacements(pairs: list[str]) -> dict[str, str]:
    typed: dict[str, str] = {}
    for pair in pairs:
        char, equals, text = pair.partition("=")
        if not equals or len(char) != 1 or not text.strip():
            raise UserError(tr(f"--replace {pair!r}:应写作 字符=替代文字", f"--replace {pair!r}: write CHAR=TEXT"))
        typed[char] = text
    return typed


def run_print(args: argparse.Namespace) -> int:
    printer = _printer(args)
    domain_id = _domain_id(args, args.key)
    typed = _replacements(args.replace)
    with open_cache(args) as cache:
        outcome = jobs.print_label(cache, domain_id, printer, operator=args.operator, reason=args.reason,
                                   template=args.template, override=args.override, confirmed=args.confirm,
                                   typed=typed or None, markers_accepted=args.accept_markers)  # fmt: skip
        return _outcome(args, outcome)


def run_retry(args: argparse.Namespace) -> int:
    printer = _printer(args)
    with open_cache(args) as cache:
        return _outcome(args, jobs.retry(cache, args.job, printer, operator=args.operator))


def run_jobs(args: argparse.Namespace) -> int:
    domain_id = _domain_id(args, args.key)
    with open_cache(args) as cache, cache.read() as c:
        history = jobs.jobs_of(c, domain_id)
    if args.json:
        emit_json(history)
    for job in [] if args.json else history:
        error = job["error"] if language() == "en" else job["error_zh"]
        emit_line(f"{job['id']:>6} {job['state']:<9} {job['profile']:<24} {job['printer']}"
                  f"{'  ' + job['reason'] if job['reason'] else ''}{'  ! ' + error if error else ''}")  # fmt: skip
    return 0


def run_scan(args: argparse.Namespace) -> int:
    profile = load_profile(args.profile)

    def progress(scanned: int) -> bool:
        if not args.json:
            sys.stderr.write(tr(f"\r已扫描 {scanned} 个订单", f"\rscanned {scanned} orders"))
        return True

    with open_cache(args) as cache:
        with cache.read() as c:
            scanned, findings = scan.find(c, profile, days=args.days, on_progress=progress)
        queued = scan.enqueue(cache, profile, findings)
    if args.json:
        emit_json({"profile": profile.name, "days": args.days, "scanned": scanned, "queued": queued,
                   "orders": [f.as_json() for f in findings]})  # fmt: skip
        return 0
    sys.stderr.write("\n")
    for finding in findings:
        what = ", ".join(f"{s.char}→{s.replacement} ({s.method})" for s in finding.substitutions)
        emit_line(f"{finding.domain_id}  {what}")
    emit_line(tr(f"扫描 {scanned} 个订单,{len(findings)} 个需要降级;待处理队列 {queued} 个",
                 f"scanned {scanned} orders, {len(findings)} need a fallback; {queued} open in the handling queue"))  # fmt: skip
    return 0


def run_queue(args: argparse.Namespace) -> int:
    with open_cache(args) as cache, cache.read() as c:
        entries = scan.open_queue(c)
    if args.json:
        emit_json(entries)
        return 0
    for entry in entries:
        what = ", ".join(f"{s['char']}→{s['replacement']}" for s in entry["substitutions"])
        emit_line(f"{entry['order']}  {entry['profile']}  {what}")
    return 0
