"""One place turns exceptions into messages a person can act on. Details (the traceback) go to a
rotating log in the platform's log folder; nobody is ever shown a traceback."""

from __future__ import annotations

import asyncio
import logging
import logging.handlers
import sys
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from orderdesk.app.ui.i18n import pick
from orderdesk.sync.cache import check_record
from orderdesk.sync.cache.trouble import CacheUnusable, classify
from orderdesk.sync.client import HubError
from orderdesk.sync.errors import BilingualError
from orderdesk.sync.paths import log_dir

log = logging.getLogger("orderdesk.ui")


def log_file() -> Path:
    return log_dir() / "orderdesk.log"


def start_logging() -> Path:
    path = log_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for existing in root.handlers:  # the terminal, if any, keeps to warnings
        existing.setLevel(logging.WARNING)
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per request would drown the log
    return path


_cache_path: list[Path] = []  # the cache this console works on: a SQLite error there is about it


def use_cache_path(path: Path) -> None:
    _cache_path[:] = [path]


def cache_trouble(exc: BaseException) -> CacheUnusable | None:
    """The cache trouble an error means (a damaged page found while working, the disk full…)."""
    path = _cache_path[0] if _cache_path else Path("cache.sqlite3")
    return classify(exc, path)


def message_for(exc: BaseException) -> str:
    """What to tell the person, in their language, for any exception."""
    translate = QCoreApplication.translate
    if isinstance(exc, BilingualError) and not isinstance(exc, HubError):  # the hub's: in the words below
        return pick(exc.said)
    trouble = cache_trouble(exc)
    if trouble is not None:
        return pick(trouble.said)
    if isinstance(exc, HubError):
        if exc.status == 401:
            return translate("Errors", "The hub did not accept the sign-in: check the user name and password.")
        if exc.status == 0:
            return translate("Errors", "The hub cannot be reached: check the address and the network.")
        if exc.status == 429:
            minutes = max(1, round((exc.retry_after or 60) / 60))
            return translate("Errors", "Too many failed sign-ins: try again in {minutes} min.").format(minutes=minutes)
        return translate("Errors", "The hub answered with an error ({status}): {detail}").format(
            status=exc.status, detail=pick(exc.said)
        )
    if isinstance(exc, OSError):
        return translate("Errors", "A file or connection failed: {detail}").format(detail=exc.strerror or str(exc))
    return translate("Errors", "Something unexpected went wrong. The details were written to {path}.").format(
        path=str(log_file())
    )


def show(parent: QWidget | None, exc: BaseException) -> None:
    log.error("shown to the user: %s", exc, exc_info=(type(exc), exc, exc.__traceback__))
    trouble = cache_trouble(exc)
    if trouble is not None and trouble.kind == "damaged" and _cache_path:
        check_record.note_failed(trouble.path, trouble)  # the next start offers restore and rebuild
    if QApplication.instance() is None or getattr(sys, "_orderdesk_quiet_errors", False):
        return
    QMessageBox.warning(parent, QCoreApplication.translate("Errors", "OrderDesk"), message_for(exc))


def install(parent_lookup: Any) -> None:
    """Unhandled exceptions in Qt slots and in asyncio tasks end in :func:`show`, never on stderr."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            QApplication.quit()
            return
        show(parent_lookup(), exc)

    sys.excepthook = hook

    def loop_handler(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        exc = context.get("exception")
        if isinstance(exc, asyncio.CancelledError):
            return
        if exc is None:
            log.warning("asyncio: %s", context.get("message"))
            return
        show(parent_lookup(), exc)

    asyncio.get_event_loop().set_exception_handler(loop_handler)
