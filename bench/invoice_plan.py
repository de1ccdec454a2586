"""Benchmark: planning invoices for N eligible orders (issue #13: goal at most 1 s for 100,000).

    ./dev bench invoice_plan [--orders 100000]

Orders as the demo makes them (1-3 lines, SKU-xxxxx), from 5,000 buyers over 30 days and 3 addresses
each, so that groups merge, wait and go alone; the plan prices every line (tax table, rounding rule)
and groups them. Generating the orders is not timed."""

from __future__ import annotations

import argparse
import random
import time

from orderdesk.invoicing.plan import EligibleOrder, plan, summary
from orderdesk.invoicing.tax_table import bundled


def orders(count: int, seed: int = 7) -> list[EligibleOrder]:
    rnd = random.Random(seed)
    made = []
    for n in range(count):
        buyer = rnd.randrange(5000)
        lines = tuple((i + 1, f"SKU-{rnd.randint(1, 5000):05d}", q, q * rnd.randint(500, 30000))
                      for i, q in enumerate(rnd.randint(1, 3) for _ in range(rnd.randint(1, 3))))  # fmt: skip
        made.append(EligibleOrder(f"DB{n:020d}", f"9111{buyer:014d}", f"2026-11-{rnd.randint(1, 28):02d}",
                                  f"address {buyer}-{rnd.randrange(3)}", lines))  # fmt: skip
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=100_000)
    args = parser.parse_args()
    data = orders(args.orders)
    table = bundled()
    table.item("SKU-00001")
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        result = plan(data, today="2026-11-28", table=table, credit_fen=10**12)
        best = min(best, time.perf_counter() - started)
    lines = sum(len(o.lines) for o in data)
    print(f"orders {len(data):,}   lines {lines:,}")
    print(
        f"plan (price every line, group, split, credit)   {best:.3f} s   {len(data) / best:,.0f} orders/s   goal <= 1 s"
    )
    for kind, k in sorted(summary(result)["kinds"].items()):
        print(
            f"  {kind:<10} {k['invoices']:>7,} invoices  {k['orders']:>7,} orders  {k['lines']:>7,} lines  ¥{k['total_fen'] / 100:,.2f}"
        )


if __name__ == "__main__":
    main()
