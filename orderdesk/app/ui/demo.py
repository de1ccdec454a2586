"""`orderdesk demo`: the reference hub with demo orders dated over the last 30 days, on a free
loopback port, in a temporary home of its own (settings, printers, cache, label files), removed when
the demo ends. Seeding shows its progress and can be cancelled. The demo's users — packer, clerk,
supervisor, each with its name as password — are listed at sign-in, so every role can be tried."""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from orderdesk.app.services.session import Session, sign_in
from orderdesk.app.services.settings import Settings
from orderdesk.printing.fonts import find_system_font
from orderdesk.sync.paths import HOME_VARIABLE

DEMO_PRINTER = "demo-pdf"
DEMO_USERS = ("packer", "clerk", "supervisor")


class _Cancelled(Exception):
    pass


@dataclass(frozen=True)
class DemoHub:
    url: str
    users: tuple[str, ...] = DEMO_USERS

    async def sign_in(self, user: str) -> Session:
        return await sign_in(self.url, user, user, remember=False)  # demo: the token in memory only


class DemoHome:
    """A temporary ORDERDESK_HOME for the demo's run; removed, with everything in it, at the end."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="orderdesk-demo-"))
        self._before = os.environ.get(HOME_VARIABLE)
        self._settings = Settings()

    def __enter__(self) -> DemoHome:
        os.environ[HOME_VARIABLE] = str(self.folder)
        self._write_printers()
        return self

    def __exit__(self, *_: type[BaseException] | BaseException | TracebackType | None) -> None:
        if self._before is None:
            os.environ.pop(HOME_VARIABLE, None)
        else:
            os.environ[HOME_VARIABLE] = self._before
        shutil.rmtree(self.folder, ignore_errors=True)

    @property
    def cache_path(self) -> Path:
        return self.folder / "cache.sqlite3"

    @property
    def labels(self) -> Path:
        return self.folder / "labels"

    def settings(self) -> Settings:
        return self._settings

    def _write_printers(self) -> None:
        """One PDF printer writing into the demo's folder, the default; through the Ext-B profile where
        the system has its fonts (fonts-hanazono), so that the rarest names print as written."""
        from orderdesk.printing.printer_spec import PrinterSpec
        from orderdesk.printing.printers import PrinterBook

        profile = "pdf-76x130-extb" if find_system_font("HanaMinB.ttf") else "pdf-76x130"
        book = PrinterBook()  # in the demo's home: ORDERDESK_HOME is set
        book.add(PrinterSpec(DEMO_PRINTER, profile, "file", folder=str(self.labels)))
        book.set_default(DEMO_PRINTER)

    @asynccontextmanager
    async def hub(self, orders: int, quit_event: asyncio.Event, live: float = 0.0) -> AsyncIterator[DemoHub | None]:
        """The seeded demo hub, serving until the block ends; None when seeding was cancelled. With
        ``live`` > 0, that many new orders a second keep arriving through the hub's ingest, as the
        channels would push them (their statuses following), so the channels' API health has calls."""
        from orderdesk.hub import reconciliation_demo, tickets_demo
        from orderdesk.hub.demo import recent, seed
        from orderdesk.hub.inventory_demo import DemoInventory
        from orderdesk.hub.invoicing_demo import DemoInvoicing
        from orderdesk.hub.live import LiveTraffic
        from orderdesk.hub.server import BackgroundHub
        from orderdesk.hub.store import HubStore

        store = HubStore(f"sqlite:///{self.folder / 'hub.sqlite3'}")
        server: BackgroundHub | None = None
        invoicing: DemoInvoicing | None = None
        inventory: DemoInventory | None = None
        traffic: LiveTraffic | None = None
        try:
            store.ensure_demo_users()
            if not await _seed_with_progress(lambda on_batch: seed(store, orders, 7, on_batch, batch=250,
                                                                   **recent(orders)), orders, quit_event):  # fmt: skip
                yield None
                return
            await asyncio.to_thread(reconciliation_demo.seed, store)  # January 2026: the planted BI-finance gap
            await asyncio.to_thread(tickets_demo.seed, store, orders)  # customer-service tickets, the last 30 days
            server = BackgroundHub(store)
            invoicing = DemoInvoicing(store, server.app)
            await asyncio.to_thread(invoicing.start)
            inventory = DemoInventory(store, server.app)
            await asyncio.to_thread(inventory.start)
            await asyncio.to_thread(server.start)
            if live > 0:
                token = await asyncio.to_thread(_ingest_token, server.url)
                traffic = await asyncio.to_thread(LiveTraffic(store, live, ingest=(server.url, token)).start)
            self._settings.hub_url = server.url
            self._settings.save()
            yield DemoHub(server.url)
        finally:
            if traffic is not None:
                await asyncio.to_thread(traffic.stop)
            if invoicing is not None:
                await asyncio.to_thread(invoicing.stop)
            if inventory is not None:
                await asyncio.to_thread(inventory.stop)
            if server is not None:
                await asyncio.to_thread(server.stop)
            store.close()


def _ingest_token(url: str) -> str:
    """A token of the demo's supervisor (who may ingest), for the demo's live channel pushes."""
    import httpx

    answer = httpx.post(f"{url}/v1/auth/token", json={"username": "supervisor", "password": "supervisor"}, timeout=10)
    answer.raise_for_status()
    return str(answer.json()["access_token"])


async def _seed_with_progress(
    work: Callable[[Callable[[int], None]], object], orders: int, quit_event: asyncio.Event
) -> bool:
    """Run the seeding in a thread behind a progress dialog; False when cancelled (or told to quit)."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QProgressDialog

    from orderdesk.app.ui.lifetimes import retire

    translate = QCoreApplication.translate
    progress = QProgressDialog(
        translate("Demo", "Preparing {count} demo orders…").format(count=f"{orders:,}"),
        translate("Demo", "Cancel"),
        0,
        orders,
    )
    progress.setWindowTitle(translate("Demo", "OrderDesk demo"))
    progress.setMinimumDuration(0)
    progress.setValue(0)
    cancel = threading.Event()
    progress.canceled.connect(cancel.set)
    quit_event_task = asyncio.ensure_future(quit_event.wait())
    quit_event_task.add_done_callback(lambda _: cancel.set())
    loop = asyncio.get_running_loop()

    def on_batch(done: int) -> None:
        if cancel.is_set():
            raise _Cancelled
        loop.call_soon_threadsafe(progress.setValue, done)

    try:
        await asyncio.to_thread(work, on_batch)
        finished = not cancel.is_set()
    except _Cancelled:
        finished = False
    finally:
        quit_event_task.cancel()
        progress.canceled.disconnect(cancel.set)  # closing a progress dialog says "canceled" too
        retire(progress)
    return finished
