"""Fill the benchmark's hub database before the load: the station and push users, then demo orders
through the hub's own write path (``hub.demo.seed``), timed. Run as a process of its own, so that
``bench hub_load --code DIR`` can seed with another checkout's hub (its folder first on sys.path).

    python -m bench.load_seed URL ORDERS STATIONS SOURCE…   → prints {"seconds": …, "observations": …}
"""

from __future__ import annotations

import json
import sys
import time

from orderdesk.hub.demo import recent, seed
from orderdesk.hub.store import HubStore


def main() -> None:
    url, orders, stations, sources = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
    store = HubStore(url)
    store.ensure_demo_users()
    for number in range(1, stations + 1):
        role = "supervisor" if number % 10 == 0 else "clerk" if number % 5 == 0 else "packer"
        store.add_user(f"station-{number:03d}", f"station-{number:03d}", role)
    for source in sources:
        store.add_user(f"push-{source}", f"push-{source}", "supervisor")
    started = time.perf_counter()
    _, observations = seed(store, orders, 7, **recent(orders)) if orders else (0, 0)
    seconds = time.perf_counter() - started
    store.close()
    print(json.dumps({"seconds": seconds, "observations": observations}))


if __name__ == "__main__":
    main()
