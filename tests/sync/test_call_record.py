"""The console's record of its calls to the hub: counted per minute, added up across flushes, kept when a
flush fails, and read back as availability."""

from __future__ import annotations

from datetime import date

import pytest

from orderdesk.insights import measures
from orderdesk.sync.cache import Cache
from orderdesk.sync.call_record import MINUTE_MS, CallTally


def test_calls_are_counted_per_minute_and_add_up(cache: Cache) -> None:
    tally = CallTally()
    start = 1_774_000_000_000 // MINUTE_MS * MINUTE_MS
    for answered, at in ((True, start), (True, start + 5), (False, start + MINUTE_MS), (True, start + MINUTE_MS)):
        tally.record(answered, at)
    with cache.write() as c:
        assert tally.flush(c) == 2
    assert not tally.pending()
    tally.record(False, start + 2 * MINUTE_MS)
    tally.record(True, start)
    with cache.write() as c:
        tally.flush(c)
    with cache.read() as c:
        rows = c.exec_driver_sql("SELECT minute_ms, ok, failed FROM hub_calls ORDER BY 1").all()
        w = measures.Window(date(2026, 3, 1), date(2026, 3, 31), 0)
        up, minutes, down = measures.availability(c, w)
    assert rows == [(start, 3, 0), (start + MINUTE_MS, 1, 1), (start + 2 * MINUTE_MS, 0, 1)]
    assert (minutes, down) == (3, 1) and up == pytest.approx(2 / 3)


def test_a_failed_flush_keeps_the_counts() -> None:
    tally = CallTally()
    tally.record(True, 60_000)

    class Broken:
        def exec_driver_sql(self, *_: object) -> None:
            raise OSError("disk full")

    with pytest.raises(OSError):
        tally.flush(Broken())  # type: ignore[arg-type]
    assert tally.pending() and tally.drain() == {60_000: (1, 0)}
