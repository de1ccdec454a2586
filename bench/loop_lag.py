"""Benchmark: how long the asyncio event loop is kept from running during a large sync.

    ./dev bench loop_lag [--orders 50000] [--replay]

A ticker on the loop wakes every 10 ms and records how late it woke; the console runs sync on its UI
loop (qasync), so this lateness is what a user would feel as a stutter. Goal (issue #5): p99 ≤ 50 ms.
The hub runs as its own process on a file seeded beforehand (not timed).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from bench.hub_process import seeded_hub
from orderdesk.sync.cache import Cache
from orderdesk.sync.cache.apply import CacheWriter
from orderdesk.sync.client import HubClient
from orderdesk.sync.syncer import Syncer

TICK = 0.010


async def measure(url: str, token: str, cache_path: Path, page_size: int) -> tuple[list[float], float]:
    lags: list[float] = []
    worst: list[tuple[float, int]] = []
    stop = asyncio.Event()
    started = time.perf_counter()

    async def ticker() -> None:
        while not stop.is_set():
            before = time.perf_counter()
            await asyncio.sleep(TICK)
            lags.append(max(0.0, time.perf_counter() - before - TICK))
            if lags[-1] > 0.05:
                worst.append((round(before - started, 2), round(lags[-1] * 1000)))

    tick = asyncio.ensure_future(ticker())
    with Cache(cache_path) as cache:
        async with HubClient(url, token) as client:
            await Syncer(client, CacheWriter(cache, operator="bench"), page_size=page_size).run_once()
    elapsed = time.perf_counter() - started
    stop.set()
    await tick
    print("stalls over 50 ms (seconds from start, ms):", worst)
    return lags, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=50_000)
    parser.add_argument("--page-size", type=int, default=2000)
    parser.add_argument("--replay", action="store_true", help="follow the feed from its start (no snapshot)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, seeded_hub(Path(folder), args.orders) as hub:
        cache_path = Path(folder) / "cache.sqlite3"
        if args.replay:
            hub.replay_from_start(cache_path)
        lags, elapsed = asyncio.run(measure(hub.url, hub.token, cache_path, args.page_size))
    ms = sorted(lag * 1000 for lag in lags)
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    how = "replaying the feed" if args.replay else "snapshot, then feed"
    print(f"sync of {args.orders:,} orders ({how}) in {elapsed:.1f} s; {len(ms):,} ticks of {TICK * 1000:.0f} ms")
    print(
        f"event-loop lag: p50 {statistics.median(ms):.1f} ms   p99 {p99:.1f} ms   max {ms[-1]:.1f} ms   (goal p99 <= 50 ms)"
    )


if __name__ == "__main__":
    main()
