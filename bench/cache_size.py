"""Benchmark: bytes and rows per order of a cache after a first load of N demo orders.

    ./dev bench cache_size [--orders 20000] [--keep PATH]

The orders are the demo hub's (`orderdesk.hub.demo.records`), applied as `orders import` applies
them (`apply_batches`, 5,000 per transaction). Printed: per table, rows and bytes (its indexes and,
for the search index, FTS5's shadow tables with it) and their share per order, beside the figures
issue #17 started from (2,000-order demo: 5,749 B/order; apply_orders 20k: 17.7 rows/order).
The goals: at most 1,500 B and 6 rows per order.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from orderdesk.hub.demo import records
from orderdesk.sync.cache import Cache
from orderdesk.sync.cache.apply import CacheWriter
from orderdesk.sync.cache.pipeline import apply_batches
from orderdesk.sync.cache.stats import measure

BASELINE_BYTES, BASELINE_ROWS = 5749, 17.7


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--keep", type=Path, help="copy the cache file here afterwards")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cache.sqlite3"
        data = list(records(args.orders))
        batches = [
            ([o for o, _ in data[i : i + args.batch]], [x for _, obs in data[i : i + args.batch] for x in obs])
            for i in range(0, len(data), args.batch)
        ]
        started = time.perf_counter()
        with Cache(path) as cache:
            for _ in apply_batches(CacheWriter(cache, operator="bench"), batches, workers=0):
                pass
        elapsed = time.perf_counter() - started
        figures = measure(path)
        if args.keep:
            shutil.copy(path, args.keep)
    n = figures.orders
    print(f"orders {n:,}   applied in {elapsed:.1f} s   file {figures.file_bytes / 2**20:,.1f} MB "
          f"(free pages {figures.free_bytes / 2**20:,.1f} MB)")  # fmt: skip
    print(f"{'table':<24}{'rows':>10}{'rows/order':>12}{'table B/o':>11}{'index B/o':>11}{'B/order':>10}")
    for t in figures.tables:
        print(f"{t.table:<24}{t.rows:>10,}{t.rows / n:>12.2f}{t.table_bytes / n:>11.0f}{t.index_bytes / n:>11.0f}"
              f"{t.bytes / n:>10.0f}")  # fmt: skip
    rows = sum(t.rows for t in figures.tables) / n
    print(f"{'total':<24}{'':>10}{rows:>12.2f}{'':>22}{figures.used_bytes / n:>10.0f}")
    print(f"bytes per order {figures.used_bytes / n:,.0f}   (issue #17 start: {BASELINE_BYTES:,}; goal <= 1,500)")
    print(
        f"rows per order  {rows:.2f}   (issue #17 start: {BASELINE_ROWS}; goal <= 6; search index rows counted once per order)"
    )


if __name__ == "__main__":
    main()
