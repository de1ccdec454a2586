"""A hub's background worker that runs ``cycle()`` on a thread: every ``interval`` seconds, or sooner when
woken (an action that gives it work), never more often than ``min_pause_s`` apart. A failed cycle is
logged and the next one tries again. The invoicer and the inventory keeper are such workers."""

from __future__ import annotations

import logging
import threading
from abc import ABC, abstractmethod
from typing import Any

log = logging.getLogger(__name__)


class Cycling(ABC):
    thread_name = "cycling"
    min_pause_s = 0.0

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    @abstractmethod
    def cycle(self) -> Any:
        """One pass of the worker's work (the invoicer's, the keeper's): what it did."""

    def start(self, interval: float = 1.0) -> Any:
        self._thread = threading.Thread(target=self._run, args=(interval,), name=self.thread_name, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=15)

    def wake(self) -> None:
        self._wake.set()

    def _run(self, interval: float) -> None:
        while not self._stop.is_set():
            try:
                self.cycle()
            except Exception:  # the next cycle tries again; the log says what happened
                log.exception("%s cycle failed", self.thread_name)
            self._wake.wait(interval)
            self._wake.clear()
            if self.min_pause_s:
                self._stop.wait(self.min_pause_s)
