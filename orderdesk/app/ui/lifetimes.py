"""Top-level windows and dialogs are deleted by Qt, on the UI thread, never by Python's garbage
collector. A closed window is still referenced from cycles (signal lambdas); whichever thread runs
the collector next would destroy it there — a worker thread, where its timers cannot be stopped, and
the next timer event then lands on freed memory (seen: a segfault after sign-out). :func:`retire`
hands the object to Qt's deferred delete and keeps it referenced until Qt has deleted it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable
from typing import Any

from PySide6.QtCore import QObject

log = logging.getLogger("orderdesk.ui")

_retiring: set[QObject] = set()


def retire(thing: QObject) -> None:
    """Delete ``thing`` on the UI thread at the next turn of the event loop (hide it first if shown)."""
    if thing in _retiring:
        return
    _retiring.add(thing)
    thing.destroyed.connect(lambda *_: _retiring.discard(thing))
    hide = getattr(thing, "hide", None)
    if hide is not None:
        hide()
    thing.deleteLater()


def retiring() -> int:
    """How many are waiting for Qt to delete them (for tests)."""
    return len(_retiring)


class KeptTasks:
    """The coroutines a page starts from buttons and timers, kept referenced until they end (the
    event loop holds only weak references to tasks: an unkept one may vanish mid-way), with a failure
    logged rather than lost. ``wait()`` lets them finish before the window closes."""

    def __init__(self) -> None:
        self.running: set[asyncio.Future[Any]] = set()

    def start(self, work: Awaitable[Any]) -> asyncio.Future[Any]:
        task = asyncio.ensure_future(work)
        self.running.add(task)
        task.add_done_callback(self._ended)
        return task

    def _ended(self, task: asyncio.Future[Any]) -> None:
        self.running.discard(task)
        if task.cancelled() or task.exception() is None:
            return
        exc = task.exception()
        if isinstance(exc, RuntimeError) and "already deleted" in str(exc):
            # The window closed while the task awaited the hub or a thread (Ctrl-C, sign-out): the widget
            # it would have filled is gone, and there is nothing left to show.
            log.debug("a console task ended after its widget: %s", exc)
            return
        log.error("a console task failed", exc_info=exc)

    async def wait(self) -> None:
        for task in list(self.running):
            with contextlib.suppress(BaseException):
                await task
