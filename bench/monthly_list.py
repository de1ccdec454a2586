"""Benchmark: the monthly list of N invoices as XLSX in the Kingdee layout, and as CSV (issue #13:
goal at most 5 s for 50,000 invoices).

    ./dev bench monthly_list [--invoices 50000]"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from orderdesk.invoicing.amounts import split_tax
from orderdesk.invoicing.monthly_list import ListedInvoice, ListedLine, write_csv, write_xlsx


def invoices(count: int, seed: int = 7) -> list[ListedInvoice]:
    rnd = random.Random(seed)
    made = []
    for n in range(count):
        red = rnd.random() < 0.05
        lines = []
        for _ in range(rnd.randint(1, 3)):
            quantity, rate = rnd.randint(1, 5), rnd.choice([1300, 900, 600])
            excluded, tax = split_tax(quantity * rnd.randint(500, 30000), rate)
            lines.append(ListedLine(rnd.choice(["服装", "牛奶", "鞋"]), -quantity if red else quantity, rate,
                                    -excluded if red else excluded, -tax if red else tax))  # fmt: skip
        made.append(ListedInvoice(f"2611{n:016d}", f"2026-11-{rnd.randint(1, 30):02d}", rnd.choice(["pc", "bs"]),
                                  f"客户{rnd.randrange(3000)}", "", red, tuple(lines)))  # fmt: skip
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--invoices", type=int, default=50_000)
    args = parser.parse_args()
    data = invoices(args.invoices)
    lines = sum(len(i.lines) for i in data)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        write_xlsx(data, Path(tmp) / "list.xlsx")
        xlsx = time.perf_counter() - started
        size = (Path(tmp) / "list.xlsx").stat().st_size
        started = time.perf_counter()
        write_csv(data, Path(tmp) / "list.csv")
        csv_s = time.perf_counter() - started
    print(f"invoices {len(data):,}   lines {lines:,}")
    print(f"XLSX (Kingdee layout, streaming writer)          {xlsx:.2f} s   {size / 1e6:.1f} MB   goal <= 5 s")
    print(f"CSV (per invoice and rate)                           {csv_s:.2f} s")


if __name__ == "__main__":
    main()
