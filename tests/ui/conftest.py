"""The console under pytest-qt (offscreen), on a qasync loop, against the real hub on loopback.

As in the console, Qt drives: the asyncio loop counts as running all along and its tasks advance
whenever Qt processes events (:func:`wait_for`, :func:`run`)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine, Iterator
from typing import Any, TypeVar

import pytest
import qasync
from PySide6.QtTest import QTest

from app.ui import i18n

T = TypeVar("T")


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
