"""Benchmark: the console over a large cache — cold start to a usable window, page / filter / search
latency, peak memory.

    ./dev bench console [--orders 1000000] [--cache PATH]

The cache is filled once from demo records (not timed; kept at --cache for later runs). Cold start:
a fresh `python` process imports the console, opens the main window over the cache and reports when
the orders table shows its first rows (measured from before the process is spawned). Latencies are
taken in that same process, through the same code the widgets call. A filter shows its first 500
rows at once and loads every matching id behind them (off the UI thread): both times are printed. Goals (issue #5): cold start
<= 1.5 s, page <= 50 ms, filter and search <= 100 ms, peak RSS <= 400 MB. Event-loop lag during a
sync is `./dev bench loop_lag`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CHILD = r"""
import asyncio, json, os, random, resource, sys, time
started = float(sys.argv[2])
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtWidgets import QApplication
import qasync
from orderdesk.app.services.session import Session
from orderdesk.app.services.settings import Settings
from orderdesk.app.services.browser import OrderFilter, matching_ids
from orderdesk.app.ui import i18n
from orderdesk.app.ui.main_window import MainWindow
from orderdesk.sync.cache import Cache

app = QApplication([])
i18n.install("zh_CN")
loop = qasync.QEventLoop(app)
asyncio.set_event_loop(loop)
from pathlib import Path
cache = Cache(Path(sys.argv[1]))
session = Session("http://127.0.0.1:9", "bench", "supervisor", "-", 2_000_000_000, False)
window = MainWindow(session, cache, Settings(), start_sync=False)
window.resize(1400, 860)
window.switcher.setCurrentRow(1)
window.show()
page = window.orders_page
ready, complete = asyncio.Event(), asyncio.Event()
page.shown.connect(lambda *_: ready.set())
page.loaded.connect(lambda *_: complete.set())

async def first_rows():
    await ready.wait()
    app.processEvents()
    page.model.row_at(0)
    return time.time() - started

cold = loop.run_until_complete(first_rows())
loop.run_until_complete(complete.wait())  # every id behind the first screen, before measuring the rest
rows = len(page.model.ids)

def timed(work, repeat):
    out = []
    for _ in range(repeat):
        t = time.perf_counter(); work(); out.append((time.perf_counter() - t) * 1000)
    return out

rnd = random.Random(3)
def page_jump():
    row = rnd.randrange(rows)
    page.table.scrollTo(page.model.index(row, 0))
    page.model.row_at(row)
    app.processEvents()
pages = timed(page_jump, 50)

def ids(f, limit=None):
    with cache.read() as c:
        return matching_ids(c, f, limit=limit)
with cache.read() as c:
    waybill, phone, name = c.exec_driver_sql(
        "SELECT waybill_no, receiver_phone, receiver_name FROM orders WHERE id = ?", (rows // 2,)).one()
filters = {
    "channel": OrderFilter(channel="douyin"),
    "channel + fulfilment": OrderFilter(channel="douyin", fulfilment="SHIPPED"),
    "open anomalies": OrderFilter(anomalies=True),
    "not printed": OrderFilter(printed=False),
    "one day": OrderFilter(since_ms=1767225600000 + 86400000 * 3, until_ms=1767225600000 + 86400000 * 4),
    "everything": OrderFilter(),
}
searches = {"waybill no.": waybill, "phone tail": phone[-4:], "receiver name": name}
result = {
    "rows": rows, "cold_start_s": cold, "page_ms": pages,
    "filter_first_ms": {k: timed(lambda f=f: ids(f, 500), 5) for k, f in filters.items()},
    "filter_ms": {k: timed(lambda f=f: ids(f), 5) for k, f in filters.items()},
    "filter_rows": {k: len(ids(f)) for k, f in filters.items()},
    "search_ms": {k: timed(lambda v=v: ids(OrderFilter(text=v)), 5) for k, v in searches.items()},
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}
print(json.dumps(result), flush=True)
loop.run_until_complete(window.shutdown())
loop.close()
"""


def build(path: Path, count: int) -> None:
    from orderdesk.hub.demo import records
    from orderdesk.sync.cache import Cache
    from orderdesk.sync.cache.apply import CacheWriter
    from orderdesk.sync.cache.pipeline import apply_batches

    def batches() -> Iterator[tuple[list[Any], list[Any]]]:
        chunk: list[tuple[Any, Any]] = []
        for pair in records(count, seed=5):
            chunk.append(pair)
            if len(chunk) == 5000:
                yield [o for o, _ in chunk], [x for _, obs in chunk for x in obs]
                chunk = []
        if chunk:
            yield [o for o, _ in chunk], [x for _, obs in chunk for x in obs]

    started = time.perf_counter()
    with Cache(path) as cache:
        for n, _ in enumerate(apply_batches(CacheWriter(cache, operator="bench"), batches(), workers=1), 1):
            if n % 20 == 0:
                print(f"  filled {n * 5000:,} orders", file=sys.stderr)
    print(f"cache of {count:,} orders filled in {time.perf_counter() - started:.0f} s (not timed)")


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--cache", type=Path, help="reuse (or create) this cache file")
    args = parser.parse_args()
    path = args.cache or Path(f"/tmp/orderdesk-bench-console-{args.orders}.sqlite3")
    if not path.exists():
        build(path, args.orders)
    os.sync()
    started = time.time()
    done = subprocess.run([sys.executable, "-c", CHILD, str(path), str(started)], capture_output=True, text=True,
                          env=dict(os.environ, QT_QPA_PLATFORM="offscreen"), check=False)  # fmt: skip
    if done.returncode != 0:
        sys.exit(done.stderr)
    r = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"console over {r['rows']:,} cached orders (file {path.stat().st_size / 1e9:.1f} GB; OS file cache warm)")
    print(f"  cold start to rows on screen   {r['cold_start_s']:6.2f} s      goal <= 1.5 s")
    print(
        f"  page jump (random row)         p50 {p(r['page_ms'], 50):5.1f} ms  p99 {p(r['page_ms'], 99):5.1f} ms   goal <= 50 ms"
    )
    print("  filter: first screen of rows shown / every matching id (loaded behind it)   goal <= 100 ms")
    for name, values in r["filter_ms"].items():
        first = statistics.median(r["filter_first_ms"][name])
        every = statistics.median(values)
        print(f"    {name:<22}  {first:6.1f} ms / {every:6.1f} ms   ({r['filter_rows'][name]:,} rows)")
    for name, values in r["search_ms"].items():
        print(f"  search {name:<22}  median {statistics.median(values):6.1f} ms   goal <= 100 ms")
    print(f"  peak RSS                       {r['peak_rss_mb']:6.0f} MB     goal <= 400 MB")


if __name__ == "__main__":
    main()
