"""Benchmark: issuing throughput against the local 诺诺-protocol platform (issue #13).

    ./dev bench invoice_issuing [--orders 2000]

N signed and paid orders that asked for an invoice (each its own company buyer, so each is one
invoice) go into a hub on SQLite; the hub's invoicer folds them, plans, submits each to the local
platform over loopback HTTP, polls the results and fetches every PDF and XML. Timed from the first
cycle to the last invoice's files; the requested → issued time of each invoice is its latency."""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from orderdesk.hub import invoice_store as book
from orderdesk.hub.demo import _uscc
from orderdesk.hub.invoicer import Invoicer
from orderdesk.hub.store import HubStore
from orderdesk.invoicing.platform.local import DEMO_SELLER, LocalPlatform
from orderdesk.invoicing.platform.nuonuo import NuonuoPlatform
from orderdesk.invoicing.states import InvoiceState
from orderdesk.sync.contract import ObservationRecord, OrderRecord

SIGNED = (("douyin", 105, "2026-11-24T14:01:00+08:00"), ("douyin", 3, "2026-11-24T18:00:00+08:00"),
          ("douyin", 5, "2026-11-25T10:00:00+08:00"))  # fmt: skip


def seed(store: HubStore, count: int) -> None:
    rnd = random.Random(7)
    orders, observations = [], []
    for n in range(count):
        no = f"BENCH{n:08d}"
        lines = [{"line_no": i, "sku": f"SKU-{rnd.randint(1, 5000):05d}", "quantity": 1, "unit_price_fen": rnd.randint(500, 30000)}
                 for i in range(1, rnd.randint(1, 3) + 1)]  # fmt: skip
        orders.append(OrderRecord.model_validate({
            "channel": "douyin", "shop": "shop-1", "channel_order_no": no, "created_at": "2026-11-24T12:00:00+08:00",
            "receiver": {"name": "张伟", "phone": "13800138000", "province": "浙江省", "city": "杭州市", "address": f"文三路{n}号"},
            "lines": lines, "paid_amount_fen": sum(line["unit_price_fen"] for line in lines),
            "invoice": {"kind": "pc", "buyer_type": "company", "title": f"公司{n}", "taxpayer_id": _uscc(random.Random(n))},
        }))  # fmt: skip
        for source, status, at in SIGNED:
            observations.append(ObservationRecord.model_validate(
                {"source": source, "status": status, "observed_at": at, "order": {"channel": "douyin", "shop": "shop-1",
                                                                                   "channel_order_no": no}}))  # fmt: skip
    with store.write() as c:
        for start in range(0, count, 1000):
            store.put_orders(c, orders[start : start + 1000])
        store.put_observations(c, observations)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = HubStore(f"sqlite:///{Path(folder) / 'hub.sqlite3'}")
        seed(store, args.orders)
        platform = LocalPlatform(delay=0.0)
        platform.start()
        adapter = NuonuoPlatform(platform.url, app_key=platform.app_key, app_secret=platform.app_secret,
                                 tax_num=DEMO_SELLER.taxpayer_id)  # fmt: skip
        invoicer = Invoicer(store, adapter, today="2026-11-27")
        started = time.perf_counter()
        first = invoicer.cycle()
        folded_at = time.perf_counter()
        cycles, all_issued = 1, None
        while True:
            report = invoicer.cycle()
            cycles += 1
            with store.read() as c:
                waiting = book.in_states(c, [InvoiceState.READY, InvoiceState.SUBMITTED], limit=1)
            if not waiting and all_issued is None:
                all_issued = time.perf_counter() - started
            if not waiting and not report.busy():
                break
        took = time.perf_counter() - started
        with store.read() as c:
            issued = book.in_states(c, [InvoiceState.ISSUED], limit=10**7)
        waits = sorted(b["issued_at_ms"] - b["requested_at_ms"] for b in issued)
        print(
            f"orders {args.orders:,}   invoices issued {len(issued):,}   cycles {cycles}   folded in the first {first.folded:,}"
        )
        print(f"fold + plan + first submissions {folded_at - started:.2f} s")
        print(
            f"every invoice issued (20-digit number back)   {all_issued:.2f} s   {len(issued) / (all_issued or 1):,.1f} invoices/s"
        )
        print(
            f"every PDF and XML fetched too   {took:.2f} s   {len(issued) / took:,.1f} invoices/s (the local platform renders each PDF)"
        )
        if waits:
            print(f"requested → issued   p50 {waits[len(waits) // 2] / 1000:.2f} s   p99 {waits[int(len(waits) * 0.99)] / 1000:.2f} s"
                  f"   max {waits[-1] / 1000:.2f} s")  # fmt: skip
        print(f"platform calls {len(platform.calls):,}   goal: signed → issued within 2 hours (the seed's self-check)")
        adapter.close()
        platform.stop()
        store.close()


if __name__ == "__main__":
    main()
