"""A seeded hub running as its own process, for benchmarks that sync from it over loopback."""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from orderdesk.hub.demo import seed
from orderdesk.hub.feed import feed_cursor
from orderdesk.hub.store import HubStore
from orderdesk.sync import sync_state
from orderdesk.sync.cache import Cache
from orderdesk.sync.syncer import CURSOR


@dataclass(frozen=True)
class SeededHub:
    url: str
    token: str  # a packer's
    epoch: str
    seeded_seconds: float

    def replay_from_start(self, cache_path: Path) -> None:
        """Make a cache follow the feed from its first change instead of loading the snapshot."""
        with Cache(cache_path) as cache, cache.write() as c:
            sync_state.save(c, self.url, CURSOR, feed_cursor(self.epoch, 0))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _orders_in(path: Path) -> int:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return int(db.execute("SELECT count(*) FROM hub_orders").fetchone()[0])


@contextmanager
def seeded_hub(folder: Path, orders: int, hub_file: Path | None = None) -> Iterator[SeededHub]:
    """Seed ``orders`` demo orders into a hub file (not timed), serve it with `orderdesk hub` in its
    own process (so its work does not share this process's GIL), stop it afterwards.

    With ``hub_file``, the hub lives there and is seeded only if it does not hold ``orders`` orders
    yet (seeding 1M takes ~25 min); a benchmark never changes the hub, so it can be used again."""
    path = hub_file or folder / "hub.sqlite3"
    started = time.perf_counter()
    if path.exists() and _orders_in(path) != orders:
        path.unlink()
        for extra in ("-wal", "-shm"):
            path.with_name(path.name + extra).unlink(missing_ok=True)
    db = f"sqlite:///{path}"
    store = HubStore(db)
    store.ensure_demo_users()
    if _orders_in(path) == 0:
        seed(store, orders, seed_value=7)
    seeded = time.perf_counter() - started
    epoch = store.epoch
    store.close()
    port = _free_port()
    orderdesk = Path(sys.executable).with_name("orderdesk")
    process = subprocess.Popen([str(orderdesk), "hub", "--db", db, "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{url}/openapi.json", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise RuntimeError("the hub did not start") from None
                time.sleep(0.2)
        answer = httpx.post(f"{url}/v1/auth/token", json={"username": "packer", "password": "packer"}, timeout=30)
        answer.raise_for_status()
        yield SeededHub(url, answer.json()["access_token"], epoch, seeded)
    finally:
        process.terminate()
        process.wait(timeout=30)
