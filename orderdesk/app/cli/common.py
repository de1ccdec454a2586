"""What every subcommand shares: the cache it works on, JSON output, and user-facing errors."""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from pathlib import Path
from typing import Any

from orderdesk.app.i18n import tr
from orderdesk.sync.cache import Cache, default_cache_path
from orderdesk.sync.cache.trouble import CacheUnusable

# Exit codes, every one in one place (docs/cli.md says the same).
EXIT_NOT_FOUND = 1  # not found, or a verification failed
EXIT_REFUSED = 2  # refused input: nothing was done
EXIT_NOT_SENT = 3  # the printer did not take the label: retrying can help
EXIT_PRINTER_SETTING = 4  # a printer setting must change first
EXIT_PARTLY_REFUSED = 5  # orders import: done, but some records were refused and are in quarantine
EXIT_UNEXPECTED = 70  # a bug: logged
EXIT_CACHE_UNUSABLE = 74  # the cache file is damaged or unusable (sysexits' EX_IOERR)
OPENED: list[Path] = []  # the cache files this run opened: a SQLite error is theirs


class UserError(Exception):
    """An error the user can act on: printed as one line, no traceback. ``code`` is the exit status."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


def cache_path(args: argparse.Namespace) -> Path:
    return Path(args.cache).expanduser().absolute() if getattr(args, "cache", None) else default_cache_path()


def open_cache(args: argparse.Namespace, *, full_check: str = "when_changed") -> Cache:
    """The cache, after the cheap check; and after the full check too when the file changed outside
    OrderDesk since its last check (``full_check="daily"``: also when none passed in 24 hours;
    ``"never"``: commands that check something themselves, like `audit verify`). A cache that fails
    raises `CacheUnusable`, which `main` turns into its message and exit code 74."""
    path = cache_path(args)
    OPENED.append(path)
    cache = Cache(path)
    due = cache.full_check_due(daily=full_check == "daily") if full_check != "never" else None
    if due is not None:
        try:
            _check_fully(cache, due)
        except BaseException:
            cache.close()
            raise
    return cache


def _check_fully(cache: Cache, due: str) -> None:
    from orderdesk.sync.cache.full_check import full_check

    size = cache.path.stat().st_size / 1e6
    why = {
        "never": tr("此前从未完整检查过", "it was never fully checked"),
        "changed": tr("上次检查后它在 OrderDesk 之外被改动过(或有进程未正常关闭它)",
                      "it changed outside OrderDesk since its last check (or a process did not close it)"),
        "stale": tr("距上次完整检查已超过 24 小时", "its last full check is over 24 hours old"),
    }[due]  # fmt: skip
    sys.stderr.write(tr(f"正在完整检查缓存文件({size:,.0f} MB):{why}\n",
                        f"checking the whole cache file ({size:,.0f} MB): {why}\n"))  # fmt: skip
    result = full_check(cache.path)
    if not result.ok:
        raise result.problems[0]


def unusable_message(exc: CacheUnusable) -> str:
    return tr(exc.said)


def emit_json(document: Any) -> None:
    json.dump(document, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def emit_line(text: str) -> None:
    sys.stdout.write(text + "\n")


def display_width(text: str) -> int:
    """Columns a terminal gives the text: a wide (CJK) character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def pad(text: str, width: int) -> str:
    """``text`` left-aligned in ``width`` terminal columns (``str.ljust`` counts a CJK character as one)."""
    return text + " " * max(0, width - display_width(text))
