"""The console under pytest-qt (offscreen), on a qasync loop, against the real hub on loopback."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import qasync

from app.ui import i18n


@pytest.fixture
def loop(qapp: Any) -> Iterator[asyncio.AbstractEventLoop]:
    """Qt and asyncio on one loop, as in the console; the console's language (zh_CN) installed."""
    i18n.install("zh_CN")
    qapp.setQuitOnLastWindowClosed(False)
    running = qasync.QEventLoop(qapp, already_running=False)
    asyncio.set_event_loop(running)
    yield running
    for task in asyncio.all_tasks(running):
        task.cancel()
    running.run_until_complete(asyncio.sleep(0.05))
    running.close()
    asyncio.set_event_loop(None)


def wait_for(loop: asyncio.AbstractEventLoop, condition: Callable[[], Any], timeout: float = 30.0) -> Any:
    """Run the loop (Qt events included) until ``condition()`` is true."""

    async def poll() -> Any:
        deadline = time.monotonic() + timeout
        while True:
            value = condition()
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"not within {timeout} s: {condition}")
            await asyncio.sleep(0.02)

    return loop.run_until_complete(poll())
