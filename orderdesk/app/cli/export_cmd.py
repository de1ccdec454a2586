"""`orderdesk export bi --out DIR [--format parquet|csv|both] [--since DAY] [--until DAY] [--full]`: the
cache as fact and dimension tables for BI tools, one partition per day, rewriting only the days whose
orders changed since the last export into DIR (insights/bi_export.py; docs/bi-export.md).

Exit codes: 0 done, 1 no cache file, 2 refused input (a day that is no day, --since after --until,
--out a file, another export writing into DIR), 74 the cache file is damaged or unusable."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from orderdesk.app.cli.common import (
    EXIT_NOT_FOUND,
    EXIT_REFUSED,
    UserError,
    cache_path,
    emit_json,
    emit_line,
    open_cache,
)
from orderdesk.app.i18n import tr

if TYPE_CHECKING:
    from orderdesk.insights.bi_export import ExportReport

FORMAT_CHOICES = {"parquet": ("parquet",), "csv": ("csv",), "both": ("parquet", "csv")}


def register(commands: argparse._SubParsersAction) -> None:
    export = commands.add_parser("export", help=tr("导出数据", "export data"))
    sub = export.add_subparsers(dest="export_command", required=True)
    bi = sub.add_parser("bi", help=tr("供 BI 工具使用的事实表与维度表(Parquet / CSV,按天增量)",
                                      "fact and dimension tables for BI tools (Parquet / CSV, incremental by day)"))  # fmt: skip
    bi.add_argument("--out", required=True, type=Path, metavar="DIR", help=tr("导出文件夹", "the export folder"))
    bi.add_argument("--format", choices=list(FORMAT_CHOICES), default="both",
                    help=tr("文件格式(默认两种都写)", "file format (default: both)"))  # fmt: skip
    bi.add_argument("--since", metavar="YYYY-MM-DD", help=tr("从这一天(中国时间,含)起", "from this day on (China time, inclusive)"))  # fmt: skip
    bi.add_argument("--until", metavar="YYYY-MM-DD", help=tr("到这一天(中国时间,含)为止", "up to this day (China time, inclusive)"))  # fmt: skip
    bi.add_argument("--full", action="store_true", help=tr("不论是否变化,范围内每天都重写",
                                                           "rewrite every day in range, changed or not"))  # fmt: skip
    bi.set_defaults(run=run_bi)


def run_bi(args: argparse.Namespace) -> int:
    from orderdesk.insights.bi_export import BiExportError, export_bi, parse_day

    try:
        since = parse_day("--since", args.since) if args.since is not None else None
        until = parse_day("--until", args.until) if args.until is not None else None
    except BiExportError as exc:
        raise UserError(tr(exc.said), EXIT_REFUSED) from None
    if since and until and since > until:
        raise UserError(tr(f"--since {args.since!r} 晚于 --until {args.until!r}",
                           f"--since {args.since!r} is after --until {args.until!r}"), EXIT_REFUSED)  # fmt: skip
    out = args.out.expanduser().absolute()
    if out.exists() and not out.is_dir():
        raise UserError(tr(f"--out {str(out)!r} 是文件,不是文件夹", f"--out {str(out)!r} is a file, not a folder"),
                        EXIT_REFUSED)  # fmt: skip
    if not cache_path(args).exists():
        raise UserError(tr(f"没有缓存文件 {cache_path(args)}(先 orderdesk sync)",
                           f"no cache file at {cache_path(args)} (orderdesk sync first)"), EXIT_NOT_FOUND)  # fmt: skip

    def progress(done: int, total: int) -> None:
        if not args.json and (done == total or done % 30 == 0):
            emit_line(tr(f"  已导出 {done:,}/{total:,} 天", f"  exported {done:,} of {total:,} days"))

    try:
        with open_cache(args) as cache:
            report = export_bi(cache, out, formats=FORMAT_CHOICES[args.format], since=since, until=until,
                               full=args.full, progress=progress)  # fmt: skip
    except BiExportError as exc:
        raise UserError(tr(exc.said), EXIT_REFUSED) from None
    except OSError as exc:
        where = exc.filename or out
        raise UserError(tr(f"无法写入 {where}:{exc.strerror or exc}", f"cannot write {where}: {exc.strerror or exc}"),
                        EXIT_REFUSED) from None  # fmt: skip
    if args.json:
        emit_json(report.as_json())
    else:
        _say(report)
    return 0


def _say(report: ExportReport) -> None:
    rows = ",".join(f"{name} {count:,}" for name, count in report.rows.items() if count)
    rows_en = ", ".join(f"{name} {count:,}" for name, count in report.rows.items() if count)
    why = {"full": ("按 --full", "as --full asked"), "salt": ("客户键的盐已变", "the customer key's salt changed"),
           "schema": ("导出格式版本已变", "the export's schema version changed")}.get(report.rewrote_all or "")  # fmt: skip
    emit_line(tr(f"已导出到 {report.out}:写入 {len(report.days_written):,} 天,未变 {report.days_unchanged:,} 天,"
                 f"删除 {len(report.days_removed):,} 天;用时 {report.seconds:.1f} 秒",
                 f"exported to {report.out}: {len(report.days_written):,} days written, {report.days_unchanged:,} "
                 f"unchanged, {len(report.days_removed):,} removed, in {report.seconds:.1f} s"))  # fmt: skip
    if why and report.rewrote_all == "full":
        emit_line(tr(f"  范围内每天都已重写:{why[0]}", f"  every day in range rewritten: {why[1]}"))
    elif why:
        emit_line(tr(f"  每天都已重写:{why[0]}", f"  every day rewritten: {why[1]}"))
    emit_line(tr(f"  行数:{rows}", f"  rows: {rows_en}"))
    emit_line(tr(f"  表结构说明:{report.out / '_schema.json'}", f"  schema: {report.out / '_schema.json'}"))
