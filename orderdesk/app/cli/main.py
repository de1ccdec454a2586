"""`orderdesk`: one entry point; every error reaches the user once, in words, from here."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from orderdesk import __version__
from orderdesk.app.cli import (
    argparse_zh,
    audit_cmd,
    cache_cmd,
    console_cmd,
    export_cmd,
    hub_cmd,
    inventory_cmd,
    invoices_cmd,
    labels_cmd,
    mapping_cmd,
    orders_cmd,
    printers_cmd,
    quarantine_cmd,
    report_cmd,
    sync_cmd,
)
from orderdesk.app.cli.common import EXIT_CACHE_UNUSABLE, OPENED, UserError, emit_json, unusable_message
from orderdesk.app.i18n import language, set_language, tr
from orderdesk.printing.errors import PrinterUnreachable, PrintingError
from orderdesk.sync.cache import check_record
from orderdesk.sync.cache.trouble import CacheUnusable, RecoveryError, classify

log = logging.getLogger("orderdesk")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="orderdesk", description=tr("OrderDesk 订单运营控制台", "OrderDesk order operations console")
    )
    parser.add_argument(
        "--cache",
        metavar="PATH",
        help=tr("本地缓存文件(默认在用户数据目录)", "local cache file (default: user data dir)"),
    )
    parser.add_argument(
        "--json", action="store_true", help=tr("在标准输出打印一个 JSON 文档", "print one JSON document on stdout")
    )
    parser.add_argument("--lang", choices=["zh_CN", "en"], help=tr("界面语言", "language"))
    parser.add_argument(
        "--version", action="version", version=f"orderdesk {__version__}", help=tr("显示版本并退出", "show the version")
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for module in (mapping_cmd, orders_cmd, audit_cmd, quarantine_cmd, hub_cmd, sync_cmd, labels_cmd, printers_cmd,
                   cache_cmd, console_cmd, invoices_cmd, inventory_cmd, report_cmd, export_cmd):  # fmt: skip
        module.register(commands)
    _accept_anywhere(parser, commands)
    return parser


def _accept_anywhere(parser: argparse.ArgumentParser, commands: argparse._SubParsersAction) -> None:
    """`--json`, `--cache` and `--lang` also after the subcommand (`orderdesk labels scan … --json`);
    SUPPRESS keeps a leaf from resetting what was given before the subcommand."""
    for sub in {id(p): p for p in commands.choices.values()}.values():
        nested = [a for a in sub._actions if isinstance(a, argparse._SubParsersAction)]
        if nested:
            _accept_anywhere(parser, nested[0])
            continue
        options = {o for a in sub._actions for o in a.option_strings}
        if "--json" not in options:
            sub.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        if "--cache" not in options:
            sub.add_argument("--cache", metavar="PATH", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        if "--lang" not in options:
            sub.add_argument("--lang", choices=["zh_CN", "en"], default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    set_language(argv[argv.index("--lang") + 1] if "--lang" in argv[:-1] else None)  # help text too
    argparse_zh.speak(language() == "zh_CN")  # and argparse's own words (usage:, error:)
    if not [a for a in argv if not a.startswith("-")] and not {"-h", "--help"} & set(argv):
        argv.append("console")  # `orderdesk` alone opens the console
    args = build_parser().parse_args(argv)
    set_language(args.lang)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        return int(args.run(args))
    except CacheUnusable as exc:
        return _unusable(exc, args)
    except RecoveryError as exc:
        sys.stderr.write(f"orderdesk: {tr(exc.said)}\n")
        return exc.code
    except UserError as exc:
        sys.stderr.write(f"orderdesk: {exc}\n")
        return exc.code
    except PrintingError as exc:  # the printing layer says what went wrong in both languages
        sys.stderr.write(f"orderdesk: {tr(exc.said)}\n")
        if isinstance(exc, PrinterUnreachable):  # not taken: 3 retrying can help, 4 a setting must change
            return 3 if exc.retryable else 4
        return 2
    except BrokenPipeError:  # the reader went away (`orders export | head`): stop quietly, as the Python docs advise
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        sys.stderr.write(tr("orderdesk: 已取消\n", "orderdesk: cancelled\n"))
        return 130
    except Exception as exc:  # one place turns the unexpected into words; the details go to the log
        trouble = _cache_trouble(exc)
        if trouble is not None:  # SQLite found the file damaged (or the disk full…) while working
            log.info("cache trouble while working", exc_info=True)
            if trouble.kind == "damaged":
                check_record.note_failed(trouble.path, trouble)  # the next open says so at once
            return _unusable(trouble, args)
        log.exception("unexpected error")
        sys.stderr.write(tr(f"orderdesk: 出现意外错误:{exc}\n", f"orderdesk: unexpected error: {exc}\n"))
        return 70


def _cache_trouble(exc: BaseException) -> CacheUnusable | None:
    """The cache trouble behind an error (or behind what it was raised from), if a cache was opened."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen and OPENED:
        seen.add(id(current))
        trouble = classify(current, OPENED[-1])
        if trouble is not None:
            return trouble
        current = current.__cause__ or current.__context__
    return None


def _unusable(exc: CacheUnusable, args: argparse.Namespace) -> int:
    """A damaged or unusable cache: what is wrong and what to do, and exit code 74."""
    if getattr(args, "json", False):
        emit_json({"ok": False, "cache": exc.as_json()})
    sys.stderr.write(f"orderdesk: {unusable_message(exc)}\n")
    return EXIT_CACHE_UNUSABLE


if __name__ == "__main__":
    sys.exit(main())
