"""`orderdesk quarantine …`: review refused records, resubmit a corrected one, or discard."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from orderdesk.app.cli.common import UserError, emit_json, emit_line, open_cache
from orderdesk.app.i18n import language, tr
from orderdesk.sync.cache.apply import CacheWriter
from orderdesk.sync.cache.ingest import RefusedLine
from orderdesk.sync.cache.jsonl import read_value, unwrap
from orderdesk.sync.cache.quarantine import close_entry, get_entry, list_entries


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("quarantine", help=tr("被拒记录的隔离区", "refused records kept for review"))
    sub = parser.add_subparsers(dest="quarantine_command", required=True)
    ls = sub.add_parser("list", help=tr("列出待处理记录", "list open records"))
    ls.add_argument("--all", action="store_true", help=tr("包括已处理的", "include closed ones"))
    ls.set_defaults(run=run_list)
    show = sub.add_parser("show", help=tr("显示一条记录", "show one record"))
    show.add_argument("id", type=int)
    show.set_defaults(run=run_show)
    retry = sub.add_parser("resubmit", help=tr("提交修正后的记录", "resubmit a corrected record"))
    retry.add_argument("id", type=int)
    retry.add_argument("file", type=Path, help=tr("修正后的记录(JSON)", "the corrected record (JSON)"))
    retry.add_argument("--operator", default="console")
    retry.set_defaults(run=run_resubmit)
    discard = sub.add_parser("discard", help=tr("放弃一条记录(需说明原因)", "discard a record (a reason is required)"))
    discard.add_argument("id", type=int)
    discard.add_argument("--reason", required=True)
    discard.add_argument("--operator", default="console")
    discard.set_defaults(run=run_discard)


def _now() -> int:
    return time.time_ns() // 1_000_000


def run_list(args: argparse.Namespace) -> int:
    with open_cache(args) as cache, cache.read() as c:
        entries = list_entries(c, None if args.all else "open")
    if args.json:
        emit_json(entries)
        return 0
    if not entries:
        emit_line(tr("隔离区为空", "nothing in quarantine"))
    for e in entries:
        first = e["errors"][0] if e["errors"] else {"field": "?", "value": None, "message": "", "message_zh": ""}
        why = first["message"] if language() == "en" else first.get("message_zh", first["message"])
        emit_line(f"#{e['id']:<6} {e['received_at']} {e['kind']:<11} {e['source']:<10} {e['reference']:<24} "
                  f"{first['field']} = {first['value']!r}: {why}")  # fmt: skip
    return 0


def run_show(args: argparse.Namespace) -> int:
    with open_cache(args) as cache, cache.read() as c:
        entry = get_entry(c, args.id)
    if entry is None:
        raise UserError(tr(f"隔离区没有 #{args.id}", f"no quarantine entry #{args.id}"), code=1)
    emit_json(entry)
    return 0


def run_resubmit(args: argparse.Namespace) -> int:
    """The corrected record: a JSON document, or a line as `orders import` takes it ({"order": …} or
    {"observation": …}), which also says what a refused line was meant to be."""
    try:
        kind, record = unwrap(read_value(args.file.read_bytes().removeprefix(b"\xef\xbb\xbf"), 1, args.file.name))
    except OSError as exc:
        raise UserError(tr(f"无法读取 {args.file}:{exc}", f"cannot read {args.file}: {exc}")) from None
    if isinstance(record, RefusedLine):
        raise UserError(
            tr(f"无法读取 {args.file}:{record.error.message_zh}", f"cannot read {args.file}: {record.error.message}")
        )
    with open_cache(args) as cache:
        with cache.read() as c:
            entry = get_entry(c, args.id)
        if entry is None or entry["status"] != "open":
            raise UserError(tr(f"#{args.id} 不是待处理记录", f"#{args.id} is not an open entry"), code=1)
        writer = CacheWriter(cache, operator=args.operator)
        is_order = (kind or entry["kind"]) != "observation"  # a refused line: an order unless it says otherwise
        report = writer.apply([record] if is_order else [], [] if is_order else [record])
        if report.quarantined:
            errors = "; ".join(
                f"{e.field} = {e.value!r}: {e.text(language())}" for q in report.quarantined for e in q.errors
            )
            raise UserError(tr(f"修正后的记录仍被拒绝:{errors}", f"the corrected record is still refused: {errors}"))
        with cache.write() as c:
            close_entry(c, args.id, "resolved", args.operator, _now(), f"resubmitted from {args.file}")
    if args.json:
        emit_json({"id": args.id, "status": "resolved", "applied": report.as_json()})
    else:
        emit_line(tr(f"#{args.id} 已修正并应用", f"#{args.id} corrected and applied"))
    return 0


def run_discard(args: argparse.Namespace) -> int:
    with open_cache(args) as cache, cache.write() as c:
        try:
            close_entry(c, args.id, "discarded", args.operator, _now(), args.reason)
        except LookupError:
            raise UserError(tr(f"#{args.id} 不是待处理记录", f"#{args.id} is not an open entry"), code=1) from None
    if args.json:
        emit_json({"id": args.id, "status": "discarded"})
    else:
        emit_line(tr(f"#{args.id} 已放弃", f"#{args.id} discarded"))
    return 0
