"""Benchmark: the BI export (issue #15) of a cache of N demo orders: everything in Parquet and CSV, then
Parquet alone, a rerun with nothing changed, and a rerun after one order changed (one day rewritten).

    ./dev bench bi_export [--orders 100000] [--cache PATH]

Building the cache is not timed (``--cache`` reuses one, e.g. a 1,000,000-order file). Peak RSS is
read from /proc for each export, run in a process of its own.
"""

from __future__ import annotations

import argparse
import itertools
import multiprocessing
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

from orderdesk.hub.demo import records
from orderdesk.sync.cache import Cache
from orderdesk.sync.cache.apply import CacheWriter
from orderdesk.sync.cache.pipeline import apply_batches


def build(path: Path, count: int) -> float:
    """A cache of ``count`` demo orders with their observations, in batches of 5,000."""
    started = time.perf_counter()
    data = records(count)
    batches = (
        ([o for o, _ in part], [x for _, obs in part for x in obs])
        for part in iter(lambda: list(itertools.islice(data, 5000)), [])
    )
    with Cache(path) as cache:
        for _ in apply_batches(CacheWriter(cache, operator="bench"), batches, workers=1):
            pass
    return time.perf_counter() - started


def _export(cache_path: str, out: str, formats: tuple[str, ...], answer: Any) -> None:
    from orderdesk.insights.bi_export import export_bi

    with Cache(Path(cache_path)) as cache:
        report = export_bi(cache, Path(out), formats=formats)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    answer.send((report.seconds, len(report.days_written), report.rows, peak))


def export(cache_path: Path, out: Path, formats: tuple[str, ...]) -> tuple[float, int, dict[str, int], float]:
    """One export in a fresh process (so its peak memory is its own)."""
    receive, send = multiprocessing.Pipe(duplex=False)
    process = multiprocessing.get_context("spawn").Process(
        target=_export, args=(str(cache_path), str(out), formats, send)
    )
    process.start()
    result = receive.recv()
    process.join()
    return result


def change_one_order(cache_path: Path) -> None:
    """The first order's paid amount, one fen more (the way a channel's correction arrives)."""
    order, _ = next(records(1))
    order["paid_amount_fen"] = (order["paid_amount_fen"] or 0) + 1
    with Cache(cache_path) as cache:
        CacheWriter(cache, operator="bench").apply([order], [])


def _size_mb(folder: Path, pattern: str) -> float:
    return sum(p.stat().st_size for p in folder.rglob(pattern)) / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument(
        "--cache", type=Path, help="an existing cache file (read; the first export adds its customer-key salt)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cache_path = args.cache or folder / "cache.sqlite3"
        if args.cache is None:
            built = build(cache_path, args.orders)
            print(f"cache of {args.orders:,} demo orders built in {built:.1f} s (not timed below), "
                  f"{cache_path.stat().st_size / 2**20:,.0f} MB")  # fmt: skip
        both, parquet = folder / "both", folder / "parquet"
        seconds, days, rows, peak = export(cache_path, both, ("parquet", "csv"))
        print("rows: " + ", ".join(f"{name} {count:,}" for name, count in rows.items()))
        print(f"Parquet + CSV, {days} days     {seconds:7.2f} s   {rows['fact_orders'] / seconds:9,.0f} orders/s   "
              f"peak RSS {peak:,.0f} MB   Parquet {_size_mb(both, '*.parquet'):,.0f} MB, CSV {_size_mb(both, '*.csv'):,.0f} MB")  # fmt: skip
        seconds, days, rows, peak = export(cache_path, parquet, ("parquet",))
        print(f"Parquet alone, {days} days      {seconds:7.2f} s   {rows['fact_orders'] / seconds:9,.0f} orders/s   "
              f"peak RSS {peak:,.0f} MB")  # fmt: skip
        seconds, days, _, _ = export(cache_path, both, ("parquet", "csv"))
        print(f"rerun, nothing changed        {seconds:7.2f} s   ({days} days written; dimensions written again)")
        if args.cache is None:
            change_one_order(cache_path)
            seconds, days, _, _ = export(cache_path, both, ("parquet", "csv"))
            print(f"rerun, one order changed      {seconds:7.2f} s   ({days} day written)")


if __name__ == "__main__":
    main()
