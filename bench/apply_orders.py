"""Benchmark: apply N orders with lines and observations to a fresh cache, beside raw executemany.

    ./dev bench apply_orders [--orders 100000] [--batch 5000]

The baseline inserts exactly the rows the cache ended up holding (orders, lines, observations,
events, anomalies, audit entries and the fold states they name, search rows) with plain ``sqlite3.executemany`` into a file with
the same schema and pragmas: the storage cost with none of the work of validating, mapping, folding
and hashing. The goal is at least half the baseline's rate.
"""

from __future__ import annotations

import argparse
import bisect
import resource
import sqlite3
import tempfile
import time
from pathlib import Path

from orderdesk.hub.demo import records
from orderdesk.sync.cache import Cache, search
from orderdesk.sync.cache.apply import CacheWriter
from orderdesk.sync.cache.pipeline import apply_batches

TABLES = ("orders", "order_lines", "observations", "events", "anomalies", "audit_texts", "audit_log", "order_search")


def _memory_mb(field: str) -> float:
    """VmRSS or VmHWM of this process from /proc (Linux), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run_ours(path: Path, count: int, batch: int, workers: int) -> tuple[float, int, int, float, float]:
    """Apply pre-generated batches (generation is not timed). Returns the time, the counts, the
    memory the input batches take, and the writer's peak memory while applying."""
    before = _memory_mb("VmRSS")
    data = list(records(count))
    observations = sum(len(o) for _, o in data)
    batches = [
        ([o for o, _ in data[i : i + batch]], [x for _, obs in data[i : i + batch] for x in obs])
        for i in range(0, len(data), batch)
    ]
    del data
    input_mb = _memory_mb("VmRSS") - before
    Path("/proc/self/clear_refs").write_text("5")  # restart the high-water mark at the current size
    with Cache(path) as cache:
        writer = CacheWriter(cache, operator="bench")
        started = time.perf_counter()
        for _ in apply_batches(writer, batches, workers=workers):
            pass
        elapsed = time.perf_counter() - started
    return elapsed, count, observations, input_mb, _memory_mb("VmHWM")


def run_baseline(source: Path, target: Path, batch_rows: int) -> tuple[float, int]:
    Cache(target).close()  # same schema, indexes and triggers, through the same migrations
    src = sqlite3.connect(source)
    rows = {t: src.execute(f"SELECT * FROM {t}").fetchall() for t in TABLES if t != "order_search"}
    # The search index keeps no copy of its rows (contentless): the same rows, made again from the orders.
    rows["order_search"] = [
        (r[0], *search.row(*r[1:])) for r in src.execute(f"SELECT id, {search.ORDER_COLUMNS} FROM orders")
    ]
    search_columns = ", ".join(search.COLUMNS)
    src.close()
    dst = sqlite3.connect(target, isolation_level=None)
    dst.execute("PRAGMA journal_mode = WAL")
    dst.execute("PRAGMA synchronous = NORMAL")
    dst.execute("PRAGMA foreign_keys = ON")
    total = sum(len(r) for r in rows.values())
    order_ids = sorted(r[0] for r in rows["orders"])
    chunks = max(1, len(order_ids) // batch_rows)
    bounds = [order_ids[i * len(order_ids) // chunks] for i in range(1, chunks)]  # first id of chunks 1…
    order_column = {"orders": 0, "order_lines": 1, "observations": 2, "events": 1, "anomalies": 1, "order_search": 0}
    parts: dict[str, list[list[tuple]]] = {t: [[] for _ in range(chunks)] for t in TABLES}
    for table in TABLES:
        for index, row in enumerate(rows[table]):
            if table in order_column:
                parts[table][bisect.bisect_right(bounds, row[order_column[table]])].append(row)
            elif table == "audit_texts":  # the fold states the entries name: all in the first transaction
                parts[table][0].append(row)
            else:  # the audit log: same share of entries per transaction, in order
                parts[table][index * chunks // len(rows[table])].append(row)
    started = time.perf_counter()
    for i in range(chunks):  # the same number of transactions as the real run
        dst.execute("BEGIN IMMEDIATE")
        for table in TABLES:
            part = parts[table][i]
            if part:
                if table == "order_search":  # whatever columns the search index has, its rowid first
                    sql = f"INSERT INTO order_search (rowid, {search_columns}) VALUES ({', '.join('?' * len(part[0]))})"
                else:
                    sql = f"INSERT INTO {table} VALUES ({', '.join('?' * len(part[0]))})"
                dst.executemany(sql, part)
        dst.execute("COMMIT")
    elapsed = time.perf_counter() - started
    dst.close()
    return elapsed, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=5000, help="orders per transaction")
    parser.add_argument("--workers", type=int, default=1, help="preparing processes beside the writer (0: none)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        ours_path, base_path = Path(folder) / "ours.sqlite3", Path(folder) / "baseline.sqlite3"
        elapsed, orders, observations, input_mb, writer_rss = run_ours(ours_path, args.orders, args.batch, args.workers)
        worker_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        base_elapsed, base_rows = run_baseline(ours_path, base_path, args.batch)
        size = ours_path.stat().st_size / 2**20
    ours_rate, base_rate = orders / elapsed, orders / base_elapsed
    print(f"orders {orders:,}   observations {observations:,}   rows written {base_rows:,}   cache file {size:,.0f} MB")
    print(
        f"OrderDesk apply      {elapsed:7.2f} s   {ours_rate:9,.0f} orders/s   (validate, map, fold, audit chain, FTS, anomalies)"
    )
    print(f"raw executemany      {base_elapsed:7.2f} s   {base_rate:9,.0f} orders/s   (the same rows, precomputed)")
    print(f"ratio                {ours_rate / base_rate:7.2f}     goal >= 0.50")
    print(f"peak RSS while applying: writer {writer_rss:,.0f} MB (of which the input batches {input_mb:,.0f} MB), "
          f"preparing worker {worker_rss:,.0f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
