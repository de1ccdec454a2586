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

from orderdesk.hub.demo import records
from orderdesk.hub.store import HubStore
from orderdesk.sync.contract import ObservationRecord, OrderRecord

log = logging.getLogger(__name__)
FIRST_LIVE_ORDER = 50_000_000  # live order numbers never meet seeded ones


class LiveTraffic:
    """``rate`` new orders a second, written to ``store``; or, given ``ingest`` (the hub's address and a
    token that may ingest), pushed as each channel, carrier and finance system would: one
    ``POST /v1/ingest/{source}`` per source and second, so the hub's call statistics (channel API
    health, hub/ingest_stats.py) count them as they count a real channel's."""

    def __init__(
        self, store: HubStore, rate: float, seed_value: int = 7, *, ingest: tuple[str, str] | None = None
    ) -> None:
        self.store = store
        self.ingest = ingest
        self.calls = 0
        self.failed_calls = 0
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

    def _push(self, orders: list[OrderRecord], observations: list[ObservationRecord]) -> None:
        import httpx

        bodies: dict[str, dict[str, list[Any]]] = {}
        for order in orders:
            bodies.setdefault(order.channel, {"orders": [], "observations": []})["orders"].append(order)
        for observation in observations:
            bodies.setdefault(observation.source, {"orders": [], "observations": []})["observations"].append(
                observation
            )
        url, token = self.ingest or ("", "")
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=30) as http:
            for source, body in bodies.items():
                content = {"orders": [o.model_dump(mode="json") for o in body["orders"]],
                           "observations": [o.model_dump(mode="json") for o in body["observations"]]}  # fmt: skip
                self.calls += 1
                try:
                    answer = http.post(f"/v1/ingest/{source}", json=content)
                    answer.raise_for_status()
                except httpx.HTTPError as exc:
                    self.failed_calls += 1
                    log.warning("live traffic: the push of %s failed: %s", source, exc)
                    continue
                result = answer.json()
                self.orders += len(result.get("orders", []))
                self.observations += int(result.get("observations_new", 0))

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
        if self.ingest is not None:
            self._push(new_orders, due)
            return
        with self.store.write() as c:
            self.store.put_orders(c, new_orders)
            new, _ = self.store.put_observations(c, due)
        self.orders += len(new_orders)
        self.observations += new
