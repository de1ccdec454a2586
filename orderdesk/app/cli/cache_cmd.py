"""`orderdesk cache check | restore | rebuild | refold | stats | prune`: what is wrong with the cache
file, the ways out, folding every order again after the fold's rules changed, what the file holds,
and the retention window.

Exit codes: 0 done (check: the file passed), 1 nothing to work on (no cache file, no usable backup),
74 the cache file is damaged or unusable (check: what it found, in words)."""

from __future__ import annotations

import argparse
import asyncio
import getpass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from orderdesk.app.cli.common import EXIT_CACHE_UNUSABLE, UserError, cache_path, emit_json, emit_line, open_cache
from orderdesk.app.cli.sync_cmd import credentials_error, hub_error, token_for
from orderdesk.app.i18n import language, tr
from orderdesk.sync.cache import open_check
from orderdesk.sync.cache.full_check import full_check
from orderdesk.sync.cache.trouble import CacheUnusable, backup_time, backups_of
from orderdesk.sync.client import HubError
from orderdesk.sync.credentials import CredentialsError

if TYPE_CHECKING:
    from orderdesk.sync.cache.recovery import Recovery


def register(commands: argparse._SubParsersAction) -> None:
    cache = commands.add_parser(
        "cache", help=tr("本地缓存文件:检查、恢复、重建", "the local cache file: check, restore, rebuild")
    )
    sub = cache.add_subparsers(dest="cache_command", required=True)
    check = sub.add_parser(
        "check", help=tr("完整检查缓存文件,说明问题", "check the whole cache file and say what is wrong")
    )
    check.set_defaults(run=run_check)
    restore_cmd = sub.add_parser("restore", help=tr("恢复最新的完好自动备份(原文件移到一旁)",
                                                    "restore the newest good automatic backup (the file is moved aside)"))  # fmt: skip
    restore_cmd.add_argument("backup", nargs="?", type=Path, help=tr("指定备份文件", "this backup file"))
    restore_cmd.add_argument("--hub", help=tr("恢复后与该订单中心同步", "sync with this hub after restoring"))
    restore_cmd.set_defaults(run=run_restore)
    rebuild = sub.add_parser(
        "rebuild", help=tr("从订单中心重建(原文件移到一旁)", "rebuild from the hub (the file is moved aside)")
    )
    rebuild.add_argument("--hub", required=True)
    rebuild.add_argument("--page-size", type=int, default=2000)
    rebuild.set_defaults(run=run_rebuild)
    refold_cmd = sub.add_parser("refold", help=tr("按现行映射表与规则重新映射并折叠全部订单",
                                                  "map and fold every order again with the tables and rules in force"))  # fmt: skip
    refold_cmd.set_defaults(run=run_refold)
    stats = sub.add_parser(
        "stats", help=tr("每张表的行数与字节数,及每单的份额", "rows and bytes per table, and per order")
    )
    stats.set_defaults(run=run_stats)
    prune_cmd = sub.add_parser("prune", help=tr("移出保留期之前已结束的订单,并归档更早的审计条目",
                                                "remove closed orders older than the retention window; archive older audit entries"))  # fmt: skip
    prune_cmd.add_argument(
        "--days", type=int, help=tr("保留最近多少天(默认取设置,90)", "keep the last N days (default: the setting, 90)")
    )
    compact = sub.add_parser("compact", help=tr("把空闲页还给磁盘(VACUUM;需与文件等大的空闲磁盘)",
                                                "give free pages back to the disk (VACUUM; needs free disk the size of the file)"))  # fmt: skip
    compact.set_defaults(run=run_compact)
    prune_cmd.add_argument("--any-month", action="store_true",
                           help=tr("不等财务锁定月份(只做打包的工作站:它不显示月度数字)",
                                   "do not wait for finance to lock the months (a packing-only station shows no month figures)"))  # fmt: skip
    prune_cmd.set_defaults(run=run_prune)


def run_refold(args: argparse.Namespace) -> int:
    from orderdesk.sync.cache.refold import refold

    def progress(done: int, total: int) -> None:
        if not args.json:
            emit_line(tr(f"  已折叠 {done:,}/{total:,} 单", f"  folded {done:,} of {total:,} orders"))

    with open_cache(args) as cache:
        report = refold(cache, operator=getpass.getuser(), progress=progress)
    document = {"observations_remapped": report.observations_remapped, "orders": report.orders,
                "state_changes": report.state_changes, "anomalies_opened": report.anomalies_opened,
                "anomalies_resolved": report.anomalies_resolved}  # fmt: skip
    if args.json:
        emit_json(document)
    else:
        emit_line(tr(f"完成:重新映射 {report.observations_remapped:,} 条观测,{report.orders:,} 单重新折叠,"
                     f"{report.state_changes:,} 单状态改变;新增异常 {report.anomalies_opened:,},关闭 {report.anomalies_resolved:,}",
                     f"done: {report.observations_remapped:,} observations mapped anew, {report.orders:,} orders folded again, "
                     f"{report.state_changes:,} changed state; anomalies opened {report.anomalies_opened:,}, "
                     f"resolved {report.anomalies_resolved:,}"))  # fmt: skip
    return 0


def run_check(args: argparse.Namespace) -> int:
    path = cache_path(args)
    if not path.exists() and not path.is_symlink():
        raise UserError(tr(f"没有缓存文件 {path}", f"no cache file at {path}"), code=1)
    problems: list[CacheUnusable] = []
    try:
        if open_check.check_place(path):
            open_check.check_file(path)
    except CacheUnusable as exc:
        problems.append(exc)
    result = None
    if path.is_file() and all(p.kind == "read_only" for p in problems):
        result = full_check(path, deep=True)
        problems += result.problems
    backups = [{"path": str(b), "time": backup_time(b)} for b in backups_of(path)]
    if args.json:
        emit_json({"path": str(path), "ok": not problems, "problems": [p.as_json() for p in problems],
                   "check": result.as_json() if result else None, "backups": backups})  # fmt: skip
    if problems:
        if not args.json:
            for problem in problems:
                emit_line(tr(f"✗ {problem.what.zh}", f"✗ {problem.what.en}"))
            emit_line(tr(f"  怎么办:{problems[0].advice.zh}", f"  what to do: {problems[0].advice.en}"))
        return EXIT_CACHE_UNUSABLE
    if not args.json and result is not None:
        took = sum(result.seconds.values())
        emit_line(tr(f"完好:{path}({path.stat().st_size / 1e6:,.0f} MB):SQLite 完整性、JSON、审计链({result.audit_entries} 条)、"
                     f"搜索索引均通过,用时 {took:.1f} 秒",
                     f"intact: {path} ({path.stat().st_size / 1e6:,.0f} MB): SQLite integrity, JSON, audit chain "
                     f"({result.audit_entries} entries) and search index all pass, in {took:.1f} s"))  # fmt: skip
        for b in backups:
            emit_line(tr(f"  备份 {b['time']}:{b['path']}", f"  backup of {b['time']}: {b['path']}"))
    return 0


def run_restore(args: argparse.Namespace) -> int:
    path = cache_path(args)
    if args.hub:
        from orderdesk.sync.rebuild import restore_and_sync

        token = token_for(args.hub)
        result = _with_hub(restore_and_sync(path, args.backup, args.hub, token, operator=getpass.getuser()))
    else:
        from orderdesk.sync.cache.recovery import restore

        result, _ = restore(path, args.backup, operator=getpass.getuser())
    _report(result, args)
    return 0


def run_rebuild(args: argparse.Namespace) -> int:
    from orderdesk.sync.rebuild import rebuild

    path = cache_path(args)
    token = token_for(args.hub)
    result = _with_hub(rebuild(path, args.hub, token, operator=getpass.getuser(), page_size=args.page_size))
    _report(result, args)
    return 0 if result.sync and result.sync["caught_up"] else 1


def _with_hub(work: Any) -> Recovery:
    try:
        return asyncio.run(work)
    except HubError as exc:
        raise hub_error(exc, tr("(缓存文件未被移动,或已移到一旁保留;再次运行同一命令即可继续)",
                                " (the cache file was not moved, or it is kept aside: run the same command again to finish)")) from None  # fmt: skip
    except CredentialsError as exc:
        raise credentials_error(exc) from None


def _report(result: Recovery, args: argparse.Namespace) -> None:
    if args.json:
        emit_json(result.as_json())
        return
    if result.action == "restore" and result.backup is not None:
        emit_line(tr(f"已用 {backup_time(result.backup)} 的备份恢复 {result.path}({result.backup.name})",
                     f"restored {result.path} from the backup of {backup_time(result.backup)} ({result.backup.name})"))  # fmt: skip
    else:
        emit_line(tr(f"已从订单中心重建 {result.path}", f"rebuilt {result.path} from the hub"))
    if result.aside is not None:
        emit_line(tr(f"原文件保留在 {result.aside}", f"the previous file is kept at {result.aside}"))
    s, p = result.salvaged, result.placed
    if s:
        emit_line(tr(f"抢救:待推送动作 {s['outbox']},打印任务 {s['print_jobs']},替换记录 {s['substitutions']},映射表 {s['mapping_tables']};"
                     f"放回:动作 {p.outbox},打印任务 {p.print_jobs},替换记录 {p.substitutions},映射表 {p.mapping_tables}",
                     f"salvaged: outbox actions {s['outbox']}, print jobs {s['print_jobs']}, substitutions {s['substitutions']}, "
                     f"mapping tables {s['mapping_tables']}; put back: actions {p.outbox}, print jobs {p.print_jobs}, "
                     f"substitutions {p.substitutions}, mapping tables {p.mapping_tables}"))  # fmt: skip
    if result.sync is not None:
        y = result.sync
        emit_line(tr(f"同步:订单 {y['orders_applied']},状态 {y['observations_applied']},推送动作 {y['actions_pushed']}"
                     f"{',已追平' if y['caught_up'] else ''}",
                     f"sync: orders {y['orders_applied']}, observations {y['observations_applied']}, actions pushed "
                     f"{y['actions_pushed']}{', caught up' if y['caught_up'] else ''}"))  # fmt: skip
    lost = result.not_recovered()
    if lost:
        emit_line(tr("未能找回:", "not brought back:"))
        for item in lost:
            emit_line(f"  - {item['en'] if language() == 'en' else item['zh']}")
    if result.report is not None:
        emit_line(tr(f"抢救报告:{result.report}", f"salvage report: {result.report}"))


def _existing(args: argparse.Namespace) -> Path:
    """The cache file these commands work on; they never make one (as `cache check`)."""
    path = cache_path(args)
    if not path.exists() and not path.is_symlink():
        raise UserError(tr(f"没有缓存文件 {path}", f"no cache file at {path}"), code=1)
    return path


def run_stats(args: argparse.Namespace) -> int:
    from orderdesk.sync.cache.stats import measure

    path = _existing(args)
    with open_cache(args, full_check="never"):  # the cheap check and any migration first; measured while
        figures = measure(path)  # open, so what closing notes of the file includes this read
    if args.json:
        emit_json(figures.as_json())
        return 0
    n = figures.orders
    emit_line(tr(f"{path}:{figures.file_bytes / 1e6:,.1f} MB,订单 {n:,},空闲页 {figures.free_bytes / 1e6:,.1f} MB",
                 f"{path}: {figures.file_bytes / 1e6:,.1f} MB, {n:,} orders, free pages {figures.free_bytes / 1e6:,.1f} MB"))  # fmt: skip
    emit_line(tr(f"{'表':<22}{'行数':>12}{'每单行数':>10}{'字节':>14}{'每单字节':>10}",
                 f"{'table':<24}{'rows':>12}{'per order':>10}{'bytes':>14}{'B/order':>10}"))  # fmt: skip
    for t in figures.tables:
        if t.rows or t.bytes > 8192:
            emit_line(
                f"{t.table:<24}{t.rows:>12,}{figures.per_order(t.rows):>10.2f}{t.bytes:>14,}{figures.per_order(t.bytes):>10,.0f}"
            )
    document = figures.as_json()
    emit_line(tr(f"合计:每单 {document['bytes_per_order']:,} 字节,{document['rows_per_order']} 行(不含搜索索引)",
                 f"total: {document['bytes_per_order']:,} bytes and {document['rows_per_order']} rows per order (search index aside)"))  # fmt: skip
    return 0


def run_prune(args: argparse.Namespace) -> int:
    from orderdesk.app.services.settings import RETENTION_MAX_DAYS, Settings
    from orderdesk.sync.cache import retention

    _existing(args)
    days = args.days if args.days is not None else Settings.load().retention_days
    if args.days is None and days == 0:
        emit_line(tr("设置为全部保留(retention_days = 0):未移出任何订单;用 --days N 指定",
                     "the settings keep everything (retention_days = 0): nothing removed; give --days N"))  # fmt: skip
        return 0
    if not 1 <= days <= RETENTION_MAX_DAYS:
        raise UserError(tr(f"--days 应为 1–{RETENTION_MAX_DAYS}(不移出任何订单就不要运行 prune),收到 {days}",
                           f"--days must be 1–{RETENTION_MAX_DAYS} (to keep everything, do not prune), got {days}"))  # fmt: skip

    def progress(done: int, total: int) -> None:
        if not args.json:
            emit_line(tr(f"  已移出 {done:,}/{total:,} 单", f"  removed {done:,} of {total:,} orders"))

    with open_cache(args) as cache:
        report = retention.prune(cache, days, progress=progress, books_closed=not args.any_month)
    if args.json:
        emit_json({"days": days, **report.as_json()})
        return 0
    emit_line(tr(f"保留最近 {days} 天:移出已结束订单 {report.orders_pruned:,} 单,保留更早但未结束的 {report.orders_older_kept_open:,} 单;"
                 f"归档审计条目 {report.audit_archived:,} 条,用时 {report.seconds:.1f} 秒",
                 f"keeping the last {days} days: {report.orders_pruned:,} closed orders removed, {report.orders_older_kept_open:,} "
                 f"older ones kept open; {report.audit_archived:,} audit entries archived, in {report.seconds:.1f} s"))  # fmt: skip
    if report.orders_waiting_for_locks:
        emit_line(tr(f"  另有 {report.orders_waiting_for_locks:,} 单已结束,但所在月份尚未由财务锁定:锁定后才移出"
                     "(只做打包的工作站可加 --any-month,不等锁定)",
                     f"  {report.orders_waiting_for_locks:,} more are closed but a month of theirs is not locked by finance yet: "
                     "they leave once it is (a packing-only station may add --any-month)"))  # fmt: skip
    if report.archive is not None:
        emit_line(tr(f"  审计归档:{report.archive}(用 orderdesk audit verify 核对)",
                     f"  audit archive: {report.archive} (orderdesk audit verify checks it)"))  # fmt: skip
    if report.orders_pruned:
        emit_line(tr("  移出的订单仍在订单中心:在控制台搜索其统一订单号,或 orderdesk orders show 单号 --hub URL,即可取回;"
                     "orderdesk cache compact 可把空出的空间还给磁盘",
                     "  removed orders stay at the hub: search a unified id in the console, or orderdesk orders show ID --hub URL, "
                     "to bring one back; orderdesk cache compact gives the space back to the disk"))  # fmt: skip
    return 0


def run_compact(args: argparse.Namespace) -> int:
    """VACUUM: after a migration or a prune the file keeps its free pages (new data reuses them); this
    gives them back. SQLite writes a new copy first, so it needs free disk the size of the file."""
    import shutil
    import time

    path = _existing(args)
    with open_cache(args) as cache:
        size = path.stat().st_size
        free = shutil.disk_usage(path.parent).free
        if free < size:
            raise UserError(tr(f"磁盘空闲 {free / 1e9:,.1f} GB,少于缓存文件的 {size / 1e9:,.1f} GB:先腾出空间",
                               f"{free / 1e9:,.1f} GB free on the disk, less than the cache file's {size / 1e9:,.1f} GB: free some first"))  # fmt: skip
        started = time.perf_counter()
        raw = cache.writer_engine.raw_connection()  # VACUUM runs outside any transaction: not through SQLAlchemy's
        try:
            raw.driver_connection.execute("VACUUM")  # type: ignore[union-attr]
        finally:
            raw.close()
    after = path.stat().st_size
    took = time.perf_counter() - started
    if args.json:
        emit_json({"path": str(path), "bytes_before": size, "bytes_after": after, "seconds": round(took, 1)})
    else:
        emit_line(tr(f"已压缩 {path}:{size / 1e6:,.0f} MB → {after / 1e6:,.0f} MB,用时 {took:.0f} 秒",
                     f"compacted {path}: {size / 1e6:,.0f} MB → {after / 1e6:,.0f} MB in {took:.0f} s"))  # fmt: skip
    return 0
