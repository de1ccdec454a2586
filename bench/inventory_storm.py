"""Benchmark and proof: a flash sale over loopback HTTP (issue #14).

    ./dev bench inventory_storm [--requests 1000] [--stock 100] [--backends sqlite,postgresql,redis]
                                [--expire 100000]

For each backend a real hub on a loopback port (SQLite file; PostgreSQL at 127.0.0.1:5432; SQLite
behind the Redis fast path) gets ``--requests`` reservation requests for one SKU with ``--stock``
sellable, all in flight at once (one connection each): reservations a second, p50/p99 latency, and the
proof — exactly ``stock`` succeed, the rest are refused in words, sellable never below 0, pool totals
conserved, no key served twice. Then ``--expire`` holds past their deadline are expired by the
hub's sweeper. The tests (tests/inventory/test_inventory_api.py) run the same storm; a deliberately
naive read-then-write route (``naive_router``) shows the proof can fail."""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from fastapi import APIRouter, Header, Response
from sqlalchemy import create_engine, update

from orderdesk.hub.inventory_keeper import InventoryKeeper
from orderdesk.hub.refusals import Refusal
from orderdesk.hub.routes.inventory import ReservationRequest
from orderdesk.hub.server import BackgroundHub
from orderdesk.hub.store import HubStore, now_ms
from orderdesk.inventory.drill import Storm, storm_async
from orderdesk.inventory.ledger import level
from orderdesk.inventory.pools import Pool
from orderdesk.inventory.schema import levels

SKU, WAREHOUSE = "FUDAI-2026", "MAIN"
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
REDIS = "redis://127.0.0.1:6379/0"


def token(url: str, user: str) -> str:
    answer = httpx.post(f"{url}/v1/auth/token", json={"username": user, "password": user}, timeout=10)
    answer.raise_for_status()
    return str(answer.json()["access_token"])


def storm(url: str, requests: int, *, path: str = "/v1/inventory/reservations", sku: str = SKU,
          channel: str = "douyin", user: str = "channel") -> Storm:  # fmt: skip
    """``requests`` reservations of one unit each, every one on its own connection, released together."""
    bearer = token(url, user)
    return asyncio.run(storm_async(url, bearer, requests, path, sku, channel))


def naive_router(store: HubStore) -> APIRouter:
    """The seed's stock service, deliberately: read sellable, then write what was read minus the
    quantity. Only for the proof that the storm's assertions can fail."""
    router = APIRouter()

    @router.post("/v1/naive/reservations")
    def naive(
        body: ReservationRequest, response: Response, key: str = Header(alias="Idempotency-Key")
    ) -> dict[str, Any]:
        with store.read() as c:
            seen = level(c, body.sku, body.warehouse, Pool.SELLABLE)
        if seen < body.quantity:
            raise Refusal(409, en="sold out", zh="已售罄", field="quantity", value=body.quantity)
        time.sleep(0.002)  # the service's own work between its read and its write
        with store.guarded() as c:
            c.execute(update(levels).where(levels.c.sku == body.sku, levels.c.warehouse == body.warehouse,
                                           levels.c.pool == Pool.SELLABLE.value).values(quantity=seen - body.quantity))  # fmt: skip
        response.status_code = 201
        return {"key": key}

    return router


@dataclass
class Stocked:
    hub: BackgroundHub
    store: HubStore
    keeper: InventoryKeeper
    supervisor: httpx.Client

    def receive(self, quantity: int, sku: str = SKU, title: str = "新年福袋", fast_path: bool = False) -> None:
        self.supervisor.post(
            "/v1/inventory/skus", json={"sku": sku, "title": title, "fast_path": fast_path}
        ).raise_for_status()
        self.supervisor.post("/v1/inventory/movements", headers={"Idempotency-Key": f"receipt-{uuid.uuid4().hex}"},
                             json={"sku": sku, "warehouse": WAREHOUSE, "from_pool": "outside", "to_pool": "sellable",
                                   "quantity": quantity, "reason": "receipt", "ref": "RK-1"}).raise_for_status()  # fmt: skip
        self.keeper.reconcile()

    def pools(self, sku: str = SKU) -> dict[str, int]:
        return dict(self.supervisor.get(f"/v1/inventory/skus/{sku}").json()["totals"])


@contextmanager
def stocked_hub(backend: str, folder: Path, *, naive: bool = False, keeper_thread: bool = False,
                prefix: str | None = None) -> Iterator[Stocked]:  # fmt: skip
    """A hub on ``backend`` (sqlite, postgresql, redis = SQLite behind the fast path) with its keeper."""
    url = POSTGRES if backend == "postgresql" else f"sqlite:///{folder / 'hub.sqlite3'}"
    if backend == "postgresql":
        from orderdesk.hub.schema import metadata

        engine = create_engine(url)
        metadata.drop_all(engine)
        engine.dispose()
    store = HubStore(url)
    store.ensure_demo_users()
    fastpath, off = None, "this hub was started without Redis"
    if backend == "redis":
        from orderdesk.inventory.fastpath import FastPath

        fastpath = FastPath.connect(REDIS, prefix=prefix or f"orderdesk-test:{uuid.uuid4().hex[:8]}")
        off = ""
    keeper = InventoryKeeper(store, fastpath=fastpath, fastpath_off=off)
    server = BackgroundHub(store)
    server.app.state.inventory = keeper
    if naive:
        server.app.include_router(naive_router(store))
    server.start()
    if keeper_thread:
        keeper.start(0.5)
    supervisor = httpx.Client(base_url=server.url, timeout=30,
                              headers={"Authorization": f"Bearer {token(server.url, 'supervisor')}"})  # fmt: skip
    try:
        yield Stocked(server, store, keeper, supervisor)
    finally:
        supervisor.close()
        keeper.stop()
        server.stop()
        store.close()


def expire_many(store: HubStore, count: int, keeper: InventoryKeeper) -> tuple[float, int]:
    """``count`` holds put in past their deadline in bulk, then expired by the sweeper: (seconds, expired)."""
    from orderdesk.inventory.ledger import move
    from orderdesk.inventory.schema import reservations

    at = now_ms()
    with store.guarded() as c:
        move(c, sku="EXPIRE-ME", warehouse=WAREHOUSE, from_pool=Pool.OUTSIDE, to_pool=Pool.RESERVED, quantity=count,
             reason="receipt", actor="bench", ref_kind="receipt", ref_id="bench", key=f"bench-{uuid.uuid4().hex}", at_ms=at)  # fmt: skip
        rows = [{"idempotency_key": f"old-{n:07d}", "sku": "EXPIRE-ME", "warehouse": WAREHOUSE, "quantity": 1,
                 "channel": "douyin", "campaign": "", "state": "held", "expires_at_ms": at - 1000 - n,
                 "created_at_ms": at - 900_000, "detail_json": "{}"} for n in range(count)]  # fmt: skip
        for start in range(0, count, 5000):
            c.execute(reservations.insert(), rows[start : start + 5000])
    began = time.perf_counter()
    expired = keeper.sweep(now_ms())
    return time.perf_counter() - began, expired


@contextmanager
def hub_process(backend: str, folder: Path) -> Iterator[str]:
    """`orderdesk hub` on ``backend`` in its own process (its work does not share this one's GIL)."""
    import os
    import subprocess
    import sys

    from bench.hub_process import _free_port

    url = POSTGRES if backend == "postgresql" else f"sqlite:///{folder / 'hub.sqlite3'}"
    if backend == "postgresql":
        from orderdesk.hub.schema import metadata

        engine = create_engine(url)
        metadata.drop_all(engine)
        engine.dispose()
    HubStore(url).close()
    port = _free_port()
    command = [str(Path(sys.executable).with_name("orderdesk")), "hub", "--db", url, "--port", str(port),
               "--redis", REDIS if backend == "redis" else ""]  # fmt: skip
    environment = {**os.environ, "ORDERDESK_HUB_SECRET": uuid.uuid4().hex * 2}
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment)
    hub = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{hub}/openapi.json", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"the hub on {backend} did not start") from None
                time.sleep(0.2)
        yield hub
    finally:
        process.terminate()
        process.wait(timeout=30)


def run_backend(backend: str, requests: int, stock: int, say: Callable[[str], None]) -> None:
    with tempfile.TemporaryDirectory() as folder, hub_process(backend, Path(folder)) as url:
        supervisor = httpx.Client(
            base_url=url, timeout=30, headers={"Authorization": f"Bearer {token(url, 'supervisor')}"}
        )
        supervisor.post(
            "/v1/inventory/skus", json={"sku": SKU, "title": "新年福袋", "fast_path": backend == "redis"}
        ).raise_for_status()
        supervisor.post("/v1/inventory/movements", headers={"Idempotency-Key": f"receipt-{uuid.uuid4().hex}"},
                        json={"sku": SKU, "warehouse": WAREHOUSE, "from_pool": "outside", "to_pool": "sellable",
                              "quantity": stock, "reason": "receipt", "ref": "RK-1"}).raise_for_status()  # fmt: skip
        result = storm(url, requests)
        pools = supervisor.get(f"/v1/inventory/skus/{SKU}").json()["totals"]
        differences = supervisor.get("/v1/inventory/differences").json()["count"]
        supervisor.close()
        rate = requests / result.seconds if result.seconds else 0
        say(f"{backend:>10}: {requests} at once in {result.seconds:.2f} s = {rate:,.0f} requests/s; p50 {result.pct(0.5):,.0f} ms, "
            f"p99 {result.pct(0.99):,.0f} ms; won {len(result.won)}, refused {len(result.refused)}, other {len(result.other)}; "
            f"sellable {pools['sellable']}, reserved {pools['reserved']}, ledger differences {differences}; "
            f"fast path {','.join(sorted(result.fast_path))}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--stock", type=int, default=100)
    parser.add_argument("--backends", default="sqlite,postgresql,redis")
    parser.add_argument("--expire", type=int, default=100_000)
    args = parser.parse_args()
    print(f"flash sale: {args.requests} reservation requests at once for {args.stock} units (loopback HTTP)")
    for backend in args.backends.split(","):
        try:
            run_backend(backend, args.requests, args.stock, print)
        except Exception as exc:  # a backend that is not there: said, and the others go on
            print(f"{backend:>10}: skipped ({exc})")
    if args.expire:
        with tempfile.TemporaryDirectory() as folder, stocked_hub("sqlite", Path(folder)) as hub:
            seconds, expired = expire_many(hub.store, args.expire, hub.keeper)
            print(f"expiry: {expired:,} holds past their deadline expired by the sweeper in {seconds:.1f} s "
                  f"({expired / seconds:,.0f}/s)")  # fmt: skip


if __name__ == "__main__":
    main()
