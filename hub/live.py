"""Live demo traffic: new orders keep arriving at a steady rate, and their statuses follow over the
next seconds (paid, shipped, carrier updates, confirmation, settlement), as a real day would."""

from __future__ import annotations

import heapq
import logging
import random
import threading
import time
from datetime import UTC, datetime
from typing import Any

from hub.demo import records
from hub.store import HubStore
from sync.contract import ObservationRecord, OrderRecord

log = logging.getLogger(__name__)
FIRST_LIVE_ORDER = 50_000_000  # live order numbers never meet seeded ones


class LiveTraffic:
    def __init__(self, store: HubStore, rate: float, seed_value: int = 7) -> None:
        self.store = store
        self.rate = rate
        self._rnd = random.Random(seed_value)
        self._seed = seed_value
        self._next = FIRST_LIVE_ORDER
        self._due: list[tuple[float, int, dict[str, Any]]] = []  # (when, tie, observation)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="live-traffic", daemon=True)
        self.orders = 0
        self.observations = 0

    def start(self) -> LiveTraffic:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        owed = 0.0
        while not self._stop.wait(1.0):
            owed += self.rate
            count, owed = int(owed), owed - int(owed)
            try:
                self._tick(count, time.monotonic())
            except Exception:  # the demo goes on; the log says what happened
                log.exception("live traffic tick failed")

    def _tick(self, count: int, now: float) -> None:
        new_orders = []
        for order, observations in records(count, self._seed + self._next, first=self._next, start=datetime.now(UTC)):
            new_orders.append(OrderRecord.model_validate(order))
            for index, observation in enumerate(observations):  # statuses follow over the next seconds
                heapq.heappush(self._due, (now + index * self._rnd.uniform(0.5, 3.0), self._next, observation))
            self._next += 1
        due = []
        while self._due and self._due[0][0] <= now:
            due.append(ObservationRecord.model_validate(heapq.heappop(self._due)[2]))
        with self.store.write() as c:
            self.store.put_orders(c, new_orders)
            new, _ = self.store.put_observations(c, due)
        self.orders += len(new_orders)
        self.observations += new
