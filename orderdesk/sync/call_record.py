"""The console's own record of every call it makes to the hub (the self-check's availability, from
this side of the wire): answered (any HTTP answer below 500) or failed (no answer, or 5xx), counted
per minute in memory and written to the cache's ``hub_calls`` by whoever holds the cache."""

from __future__ import annotations

import threading
import time

from sqlalchemy import Connection

MINUTE_MS = 60_000


class CallTally:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._minutes: dict[int, list[int]] = {}

    def record(self, answered: bool, at_ms: int | None = None) -> None:
        minute = (at_ms if at_ms is not None else int(time.time() * 1000)) // MINUTE_MS * MINUTE_MS
        with self._lock:
            counts = self._minutes.setdefault(minute, [0, 0])
            counts[0 if answered else 1] += 1

    def pending(self) -> bool:
        with self._lock:
            return bool(self._minutes)

    def drain(self) -> dict[int, tuple[int, int]]:
        with self._lock:
            taken, self._minutes = self._minutes, {}
        return {minute: (ok, failed) for minute, (ok, failed) in taken.items()}

    def put_back(self, taken: dict[int, tuple[int, int]]) -> None:
        with self._lock:
            for minute, (ok, failed) in taken.items():
                counts = self._minutes.setdefault(minute, [0, 0])
                counts[0] += ok
                counts[1] += failed

    def flush(self, c: Connection) -> int:
        """Add what was counted to ``hub_calls`` (in the caller's transaction). Returns minutes written."""
        taken = self.drain()
        try:
            for minute, (ok, failed) in sorted(taken.items()):
                c.exec_driver_sql(
                    "INSERT INTO hub_calls (minute_ms, ok, failed) VALUES (?, ?, ?) ON CONFLICT (minute_ms) "
                    "DO UPDATE SET ok = ok + excluded.ok, failed = failed + excluded.failed",
                    (minute, ok, failed),
                )
        except Exception:
            self.put_back(taken)
            raise
        return len(taken)


CALLS = CallTally()  # every HubClient of this process counts here
