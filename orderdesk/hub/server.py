"""Running the hub: in the foreground (``orderdesk hub``, one process or several sharing one listening
socket) or on a background thread (tests, demo).

With ``--workers N`` uvicorn's supervisor binds the port once and starts N worker processes (spawned,
not forked) that all accept on that socket: the kernel hands each new connection to one of them, and
a client's keep-alive connection stays with the worker that took it. Each worker opens the database
itself (``worker_app``, told where by ``WORKER_VARIABLE``) and loads the same signing secret the
parent did (hub/secret.py); the parent creates the tables and seeds before any worker starts, and
restarts a worker that dies.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from orderdesk.hub.api import create_app
from orderdesk.hub.secret import load_secret, random_secret
from orderdesk.hub.store import HubStore


class LoopbackServer:
    """An ASGI app on a loopback port of its own choosing, in a daemon thread; ``url`` once started."""

    def __init__(self, app: FastAPI, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # Accepted connections inherit TCP_NODELAY (Linux). Without it a response's body waited for the
        # client's delayed ACK of its headers: 42 ms a request on loopback, measured (1.7 ms with it).
        self._socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._socket.bind((host, port))
        self.url = f"http://{host}:{self._socket.getsockname()[1]}"
        config = uvicorn.Config(self.app, log_level="warning", lifespan="off", access_log=False)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True)

    def start(self, timeout: float = 20.0) -> str:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the server for {self.url} did not start")
            time.sleep(0.02)
        return self.url

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._socket.close()

    def __enter__(self) -> LoopbackServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class BackgroundHub(LoopbackServer):
    """The hub on a loopback port, in a daemon thread; ``url`` once started. Its token secret is
    random and in memory only, unless one is given (the demo, the tests)."""

    def __init__(self, store: HubStore, host: str = "127.0.0.1", port: int = 0, *, app: FastAPI | None = None) -> None:
        self.store = store
        super().__init__(app or create_app(store, secret=random_secret()), host, port)

    def __enter__(self) -> BackgroundHub:
        self.start()
        return self


# An idle connection is kept this long (uvicorn's default: 5 s). A console syncs every 5 s after its
# last sync ended, so with the default nearly every sync had to connect anew.
KEEP_ALIVE_SECONDS = 30


def serve(
    store: HubStore,
    host: str,
    port: int,
    secret_file: Path | None = None,
    *,
    local_platform: bool = False,
    redis_url: str | None = None,
) -> None:
    """The hub in the foreground, with the deployment's secret (hub/secret.py); with ``local_platform``
    it issues invoices on the local 诺诺-protocol platform (hub/invoicing_demo.py). Its inventory keeper
    (sweeper, stock feed, alerts) runs beside it, the fast path on ``redis_url`` when Redis answers."""
    from orderdesk.hub.inventory_keeper import keeper_for

    app = create_app(store, secret=load_secret(secret_file))
    app.state.inventory = keeper_for(store, redis_url).start()
    invoicing = None
    if local_platform:
        from orderdesk.hub.invoicing_demo import DemoInvoicing

        invoicing = DemoInvoicing(store, app).start()
    try:
        uvicorn.run(app, host=host, port=port, log_level="info", lifespan="off", timeout_keep_alive=KEEP_ALIVE_SECONDS)
    finally:
        app.state.inventory.stop()
        if invoicing is not None:
            invoicing.stop()


WORKER_VARIABLE = "ORDERDESK_HUB_WORKER"  # {"db": url, "secret_file": path or null}, for worker processes


def serve_workers(url: str, host: str, port: int, workers: int, secret_file: Path | None = None) -> None:
    """The hub in ``workers`` processes on one port and one database (see the module's docstring).
    The caller has created the tables (``HubStore(url)``) and checked the secret beforehand."""
    os.environ[WORKER_VARIABLE] = json.dumps({"db": url, "secret_file": str(secret_file) if secret_file else None})
    uvicorn.run("orderdesk.hub.server:worker_app", factory=True, host=host, port=port, workers=workers, log_level="info",
                lifespan="off", timeout_keep_alive=KEEP_ALIVE_SECONDS)  # fmt: skip


def worker_app() -> FastAPI:
    """The app of one worker process of ``serve_workers``: its own connections to the shared database."""
    told = json.loads(os.environ[WORKER_VARIABLE])
    secret_file = Path(told["secret_file"]) if told["secret_file"] else None
    return create_app(HubStore(told["db"]), secret=load_secret(secret_file))
