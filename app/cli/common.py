"""What every subcommand shares: the cache it works on, JSON output, and user-facing errors."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from sync.cache import Cache, default_cache_path


class UserError(Exception):
    """An error the user can act on: printed as one line, no traceback. ``code`` is the exit status."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


def open_cache(args: argparse.Namespace) -> Cache:
    path = Path(args.cache) if args.cache else default_cache_path()
    return Cache(path)


def emit_json(document: Any) -> None:
    json.dump(document, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def emit_line(text: str) -> None:
    sys.stdout.write(text + "\n")
