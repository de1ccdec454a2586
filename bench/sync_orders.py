"""Benchmark: N orders synced hub → cache over loopback, beside a minimal baseline.

    ./dev bench sync_orders [--orders 100000] [--page-size 2000] [--hub-file /tmp/hub-1m.sqlite3]

The hub runs as its own process (`orderdesk hub`) on a SQLite file seeded beforehand (not timed).
OrderDesk: `Syncer.run_once` into a fresh cache (validate, map, fold, audit, search, cursor per page).
Baseline: plain httpx + sqlite3 reading the same feed with the same page size and storing each change
as one row, cursor in the same transaction. The issue's goals: 1,000,000 orders in at most 60 s,
and at least half the baseline's rate.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import sqlite3
import tempfile
import time
from pathlib import Path

import httpx

from bench.hub_process import seeded_hub
from orderdesk.sync.cache import Cache
from orderdesk.sync.cache.apply import CacheWriter
from orderdesk.sync.client import HubClient
from orderdesk.sync.syncer import Syncer


def run_ours(url: str, token: str, cache_path: Path, page_size: int, workers: int) -> tuple[float, dict]:
    async def once() -> dict:
        with Cache(cache_path) as cache:
            async with HubClient(url, token) as client:
                return (
                    await Syncer(
                        client, CacheWriter(cache, operator="bench"), page_size=page_size, workers=workers
                    ).run_once()
                ).as_json()

    started = time.perf_counter()
    summary = asyncio.run(once())
    return time.perf_counter() - started, summary


def run_baseline(url: str, token: str, path: Path, page_size: int) -> tuple[float, int]:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("CREATE TABLE feed (id INTEGER PRIMARY KEY, kind TEXT, body TEXT)")
    db.execute("CREATE TABLE cursor (value TEXT)")
    started, cursor, count = time.perf_counter(), None, 0
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=60) as http:
        while True:
            params = {"limit": page_size, **({"cursor": cursor} if cursor else {})}
            page = http.get("/v1/changes", params=params).json()
            db.execute("BEGIN IMMEDIATE")
            db.executemany("INSERT INTO feed (kind, body) VALUES (?, ?)",
                           [(c["kind"], str(c["body"])) for c in page["changes"]])  # fmt: skip
            db.execute("DELETE FROM cursor")
            db.execute("INSERT INTO cursor VALUES (?)", (page["cursor"],))
            db.execute("COMMIT")
            count += len(page["changes"])
            cursor = page["cursor"]
            if not page["has_more"]:
                break
    db.close()
    return time.perf_counter() - started, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--page-size", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=Syncer.WORKERS, help="processes reading snapshot pages")
    parser.add_argument("--skip-baseline", action="store_true", help="only OrderDesk (the baseline takes long at 1M)")
    parser.add_argument("--hub-file", type=Path, help="keep the seeded hub in this file and use it again")
    parser.add_argument("--replay", action="store_true", help="follow the feed from its start (no snapshot)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, seeded_hub(Path(folder), args.orders, args.hub_file) as hub:
        cache_path = Path(folder) / "cache.sqlite3"
        if args.replay:
            hub.replay_from_start(cache_path)
        seeded = hub.seeded_seconds
        base_time, changes = (
            (float("nan"), 0)
            if args.skip_baseline
            else run_baseline(hub.url, hub.token, Path(folder) / "baseline.sqlite3", args.page_size)
        )
        ours_time, summary = run_ours(hub.url, hub.token, cache_path, args.page_size, args.workers)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        worker_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest ended child
    orders = summary["orders_applied"]
    print(
        f"orders {orders:,}   feed changes {changes:,}   page size {args.page_size}   (hub seeded in {seeded:.0f} s, not timed)"
    )
    how = "replaying the feed from its start" if args.replay else "snapshot, then feed"
    print(f"OrderDesk sync: {how}")
    print(
        f"OrderDesk sync       {ours_time:7.2f} s   {orders / ours_time:9,.0f} orders/s   caught up: {summary['caught_up']}"
    )
    print(
        f"baseline             {base_time:7.2f} s   {orders / base_time:9,.0f} orders/s   (httpx + sqlite3, one row per change)"
    )
    print(
        f"ratio                {base_time / ours_time:7.2f}     goal >= 0.50;  1M in <= 60 s needs >= 16,667 orders/s"
    )
    print(
        f"peak RSS: syncing process {peak:,.0f} MB (baseline, then sync), largest snapshot worker "
        f"{worker_peak:,.0f} MB;  cpus {os.cpu_count()}"
    )


if __name__ == "__main__":
    main()
