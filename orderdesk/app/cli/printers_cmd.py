"""`orderdesk printers …`: the printers of this workstation (printers.json), the profiles a printer is
made from, and a test print — what the console's Settings → Printers does."""

from __future__ import annotations

import argparse
import sys
import unicodedata
from dataclasses import replace
from typing import Any

from orderdesk.app.cli.common import emit_json, emit_line
from orderdesk.app.i18n import language, tr
from orderdesk.printing.printer_spec import PrinterSpec
from orderdesk.printing.printers import PrinterBook
from orderdesk.printing.profiles import load_profile, profile_names

KIND_WORDS = {"file": ("PDF 文件", "PDF files"), "tcp": ("网络打印机", "network printer"),
              "queue": ("系统打印队列", "system queue")}  # fmt: skip


def register(commands: argparse._SubParsersAction) -> None:
    printers = commands.add_parser("printers", help=tr("打印机", "printers"))
    sub = printers.add_subparsers(dest="printers_command", required=True)
    sub.add_parser("list", help=tr("列出打印机", "list printers")).set_defaults(run=run_list)
    sub.add_parser(
        "profiles", help=tr("打印机配置(添加打印机时选用)", "printer profiles (what a printer is made from)")
    ).set_defaults(run=run_profiles)
    to_help = tr(
        "tcp://主机[:端口]、file:目录(相对路径在 文档/OrderDesk 下)或 queue:队列名(queue: 为系统默认队列)",
        "tcp://HOST[:PORT], file:FOLDER (relative: under Documents/OrderDesk) or queue:NAME (queue: the default)",
    )
    add = sub.add_parser("add", help=tr("添加打印机", "add a printer"))
    add.add_argument("name")
    add.add_argument("--profile", required=True, choices=profile_names())
    add.add_argument("--to", required=True, help=to_help)
    add.add_argument("--default", action="store_true", help=tr("设为默认打印机", "make it the default printer"))
    add.set_defaults(run=run_add)
    edit = sub.add_parser("edit", help=tr("修改打印机", "change a printer"))
    edit.add_argument("name")
    edit.add_argument("--rename", help=tr("新名称", "new name"))
    edit.add_argument("--profile", choices=profile_names())
    edit.add_argument("--to", help=to_help)
    edit.set_defaults(run=run_edit)
    remove = sub.add_parser("remove", help=tr("删除打印机", "remove a printer"))
    remove.add_argument("name")
    remove.set_defaults(run=run_remove)
    default = sub.add_parser("default", help=tr("设为默认打印机", "make a printer the default"))
    default.add_argument("name")
    default.set_defaults(run=run_default)
    test = sub.add_parser("test", help=tr("打印测试面单(不建任务)", "print a sample label (no job)"))
    test.add_argument("name", nargs="?", help=tr("默认:默认打印机", "default: the default printer"))
    test.add_argument("--template", help=tr("面单模板(默认:配置自带的)", "label template (default: the profile's own)"))
    test.set_defaults(run=run_test)


def pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal columns (a Chinese character takes two)."""
    columns = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(1, width - columns)


def where(spec: PrinterSpec) -> str:
    """Where a printer's labels go, as a person reads it."""
    if spec.kind == "queue" and not spec.queue:
        return f"queue:{tr('(系统默认)', '(default)')}"
    return spec.where()


def _problems(book: PrinterBook) -> list[str]:
    problems = [tr(p.said) for p in book.load().problems]
    for problem in problems:
        sys.stderr.write(f"orderdesk: {problem}\n")
    return problems


def run_list(args: argparse.Namespace) -> int:
    book = PrinterBook()
    listing = book.load()
    rows: list[dict[str, Any]] = []
    for spec in listing.specs:
        profile = load_profile(spec.profile)
        rows.append({"name": spec.name, "default": spec.name == listing.default, "profile": profile.name,
                     "kind": spec.kind, "where": where(spec), "transport": spec.transport().describe(),
                     "configured": spec.name in listing.configured, "language": profile.language,
                     "title": profile.title(language()), "missing_fonts": list(profile.fonts().missing)})  # fmt: skip
    _problems(book)
    if args.json:
        emit_json(rows)
        return 0
    for row in rows:
        mark = "*" if row["default"] else " "
        kind = tr(*KIND_WORDS[row["kind"]])
        emit_line(f"{mark} {pad(row['name'], 20)}{pad(kind, 16)}{pad(row['where'], 40)}{row['profile']}")
    return 0


def run_profiles(args: argparse.Namespace) -> int:
    rows = []
    for name in profile_names():
        p = load_profile(name)
        rows.append({"name": name, "language": p.language, "dpi": p.dpi, "text_mode": p.text_mode,
                     "label_mm": [p.width_mm, p.height_mm], "template": p.template, "title": p.title(language()),
                     "suggested_transport": p.suggested_transport.get("kind", "file"),
                     "missing_fonts": list(p.fonts().missing)})  # fmt: skip
    if args.json:
        emit_json(rows)
        return 0
    for row in rows:
        width, height = row["label_mm"]
        emit_line(f"{row['name']:<24} {width:g}×{height:g} mm  {row['title']}")
    return 0


def run_add(args: argparse.Namespace) -> int:
    book = PrinterBook()
    spec = book.add(PrinterSpec.from_uri(args.name, args.profile, args.to))
    if args.default:
        book.set_default(spec.name)
    return _said(args, spec, tr(f"已添加打印机 {spec.name}", f"added printer {spec.name}"))


def run_edit(args: argparse.Namespace) -> int:
    book = PrinterBook()
    current = book.get(args.name).spec
    assert current is not None
    changed = replace(current, name=args.rename or current.name, profile=args.profile or current.profile)
    if args.to:
        changed = PrinterSpec.from_uri(changed.name, changed.profile, args.to)
    spec = book.edit(args.name, changed)
    return _said(args, spec, tr(f"已修改打印机 {spec.name}", f"changed printer {spec.name}"))


def run_remove(args: argparse.Namespace) -> int:
    default = PrinterBook().remove(args.name)
    if args.json:
        emit_json({"removed": args.name, "default": default})
    else:
        emit_line(
            tr(f"已删除打印机 {args.name};默认打印机:{default}", f"removed printer {args.name}; default: {default}")
        )
    return 0


def run_default(args: argparse.Namespace) -> int:
    printer = PrinterBook().set_default(args.name)
    assert printer.spec is not None
    return _said(args, printer.spec, tr(f"默认打印机:{printer.name}", f"default printer: {printer.name}"))


def run_test(args: argparse.Namespace) -> int:
    from orderdesk.printing.sample_label import print_sample

    printer = PrinterBook().get(args.name)
    delivery = print_sample(printer, template=args.template)
    if args.json:
        emit_json({"printer": printer.name, "where": delivery.where, "delivered": delivery.said.en,
                   "delivered_zh": delivery.said.zh, "queue_job": delivery.reference})  # fmt: skip
    else:
        emit_line(tr(f"测试面单:{delivery.said.zh}", f"test label: {delivery.said.en}"))
    return 0


def _said(args: argparse.Namespace, spec: PrinterSpec, line: str) -> int:
    if args.json:
        emit_json({"name": spec.name, **spec.as_json(), "where": where(spec)})
    else:
        emit_line(f"{line}: {where(spec)}")
    return 0
