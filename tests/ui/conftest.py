"""The console under pytest-qt (offscreen), on a qasync loop, against the real hub on loopback.

As in the console, Qt drives: the asyncio loop counts as running all along and its tasks advance
whenever Qt processes events (:func:`wait_for`, :func:`run`)."""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Callable, Coroutine, Iterator
from typing import Any, TypeVar

import pytest
import qasync
from PySide6.QtCore import QEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from orderdesk.app.ui import i18n

T = TypeVar("T")
_CLOSED_LOOPS: list[asyncio.AbstractEventLoop] = []


@pytest.fixture
def loop(qapp: Any) -> Iterator[asyncio.AbstractEventLoop]:
    """Qt and asyncio on one loop; the console's language (zh_CN) installed."""
    i18n.install("zh_CN")
    qapp.setQuitOnLastWindowClosed(False)
    running = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(running)
    yield running
    for task in asyncio.all_tasks(running):
        task.cancel()
    QTest.qWait(50)
    running.stop()
    running._after_run_forever()  # what app.aboutToQuit would do: no running loop is left behind
    running.close()
    asyncio.set_event_loop(None)
    asyncio.events._set_running_loop(None)  # whatever a test left behind, the next test's asyncio.run works
    # One process, many loops (the console has one). A closed loop's QObjects (its timer, its
    # call-soon signaller) are kept for the life of the process: left to the garbage collector they
    # may be destroyed in some worker thread of a later test, where their Qt timers cannot be
    # stopped — and the next timer event lands on freed memory. What the test closed is deleted now,
    # on the UI thread.
    _CLOSED_LOOPS.append(running)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


def wait_for(loop: asyncio.AbstractEventLoop, condition: Callable[[], Any], timeout: float = 30.0) -> Any:
    """Process Qt events (and so asyncio tasks) until ``condition()`` is true."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {condition}")
        QTest.qWait(10)


def run(loop: asyncio.AbstractEventLoop, work: Coroutine[Any, Any, T] | asyncio.Future[T], timeout: float = 60.0) -> T:
    task = asyncio.ensure_future(work)
    wait_for(loop, task.done, timeout)
    return task.result()


def shown_dialog(parent: Any, kind: type[T]) -> T | None:
    """The dialog of ``kind`` now showing over ``parent`` (a closed one may linger until deleted)."""
    return next((d for d in parent.findChildren(kind) if d.isVisible()), None)


def type_text(widget: Any, text: str) -> None:
    """Type ``text`` as key events, Chinese included (QTest.keyClicks asserts on non-ASCII keys):
    what a keyboard, a keyboard-wedge scanner or an input method's commit delivers to the widget."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    for char in text:
        if char.isascii():
            QTest.keyClicks(widget, char)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char))
