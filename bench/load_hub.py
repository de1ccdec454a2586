"""The hub under load: a PostgreSQL database of the benchmark's own (made for the run and dropped
after it; never ``test``, whose tables the test suite drops), filled with demo orders and users, and
served by ``orderdesk hub --workers N`` in its own process tree."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
PROTECTED = {"test", "postgres", "template0", "template1"}


@contextmanager
def bench_database(server: str = SERVER, name: str | None = None) -> Iterator[str]:
    """A fresh database on ``server`` for this run (its URL), dropped afterwards whatever happened."""
    name = name or f"orderdesk_bench_{os.getpid()}"
    if name in PROTECTED or not name.replace("_", "").isalnum():
        raise ValueError(f"not a database the benchmark may make and drop: {name}")
    admin = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{server}/{name}"
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def hub_workers(url: str, workers: int, home: Path, code: Path | None = None) -> Iterator[tuple[str, subprocess.Popen]]:
    """`orderdesk hub --db URL --workers N` on a free loopback port, with a random signing secret
    shared through ORDERDESK_HUB_SECRET; (its address, the supervising process). Stopped afterwards.
    With ``code``, the hub's packages are imported from that source tree (first on sys.path)."""
    port = _free_port()
    environment = {**os.environ, "ORDERDESK_HUB_SECRET": secrets.token_hex(32), "XDG_CONFIG_HOME": str(home / "config"),
                   "XDG_DATA_HOME": str(home / "data")}  # fmt: skip
    if code is not None:
        environment["PYTHONPATH"] = str(code)
    orderdesk = Path(sys.executable).with_name("orderdesk")
    log = (home / "hub.log").open("wb")
    command = [str(orderdesk), "hub", "--db", url, "--port", str(port), "--workers", str(workers)]
    process = subprocess.Popen(command, env=environment, stdout=log, stderr=subprocess.STDOUT)
    address = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                httpx.get(f"{address}/openapi.json", timeout=2)
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the hub did not start: see {home / 'hub.log'}") from None
                time.sleep(0.3)
        yield address, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def sign_in(address: str, user: str) -> str:
    """A token of its own for ``user`` (whose password is its name, as the benchmark made it)."""
    answer = httpx.post(f"{address}/v1/auth/token", json={"username": user, "password": user}, timeout=60)
    answer.raise_for_status()
    return str(answer.json()["access_token"])


def feed_head(address: str, token: str) -> str:
    """The feed's cursor now: where a console that is caught up stands."""
    answer = httpx.get(f"{address}/v1/orders", params={"limit": 1}, headers={"Authorization": f"Bearer {token}"},
                       timeout=60)  # fmt: skip
    answer.raise_for_status()
    return str(answer.json()["feed_cursor"])
