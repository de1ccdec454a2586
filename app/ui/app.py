"""Starting the console: `orderdesk` (sign in to a hub) and `orderdesk demo` (the reference hub with
demo data on a free loopback port, signed in as the demo supervisor with the token in memory only,
the hub stopped on quit). Qt runs on an asyncio loop (qasync) so sync never blocks the UI."""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from app.services.session import Session, resume, sign_in
from app.services.settings import Settings
from sync.cache import Cache, default_cache_path


class NoDisplay(RuntimeError):
    pass


def check_display() -> None:
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")
    ):
        raise NoDisplay(
            "no display here. Run it on a desktop, or headless with QT_QPA_PLATFORM=offscreen (add "
            "--screenshots DIR to see it) or under xvfb-run; everything else works from the CLI: orderdesk --help"
        )


def _qt(language: str | None, settings: Settings) -> tuple[object, asyncio.AbstractEventLoop]:
    from PySide6.QtWidgets import QApplication
    from qasync import QEventLoop

    from app.ui import errors, i18n

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)  # the coroutine below ends the loop, after cleaning up
    app.setApplicationName("OrderDesk")
    app.setOrganizationName("OrderDesk")
    errors.start_logging()
    i18n.install(language or settings.language)
    loop = QEventLoop(app)
    asyncio.set_event_loop(loop)
    return app, loop


def _run(main: Callable[[asyncio.Event], Awaitable[None]], language: str | None, settings: Settings) -> int:
    app, loop = _qt(language, settings)
    from app.ui import errors

    windows: list[object] = []
    errors.install(lambda: next(iter(windows), None))
    quit_event = asyncio.Event()
    app.aboutToQuit.connect(quit_event.set)  # type: ignore[attr-defined]
    with loop:  # type: ignore[attr-defined]
        loop.run_until_complete(main(quit_event))
    return 0


async def _first(*events: asyncio.Event) -> None:
    waiting = [asyncio.ensure_future(event.wait()) for event in events]
    await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
    for task in waiting:
        task.cancel()


async def _login(hub_url: str) -> Session | None:
    from PySide6.QtWidgets import QDialog

    from app.ui.login import LoginDialog

    session = await resume(hub_url)
    if session is not None:
        return session
    dialog = LoginDialog(hub_url)
    done: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    dialog.finished.connect(lambda code: done.done() or done.set_result(code))
    dialog.open()
    code = await done
    return dialog.session if code == QDialog.DialogCode.Accepted else None


def run_console(hub_url: str | None, cache_path: Path | None, language: str | None) -> int:
    check_display()
    settings = Settings.load()
    url = hub_url or settings.hub_url

    async def main(quit_event: asyncio.Event) -> None:
        from app.ui.main_window import MainWindow

        with Cache(cache_path or default_cache_path()) as cache:
            while True:
                session = await _login(url)
                if session is None:
                    return
                window = MainWindow(session, cache, settings)
                signed_out = asyncio.Event()
                window.signed_out.connect(signed_out.set)
                window.closed.connect(quit_event.set)
                window.showMaximized()
                await _first(quit_event, signed_out)
                await window.shutdown()
                if not signed_out.is_set():
                    return

    return _run(main, language, settings)


def run_demo(orders: int, language: str | None, screenshots: Path | None, quit_after: float | None) -> int:
    check_display()
    settings = Settings.load()
    folder = Path(tempfile.mkdtemp(prefix="orderdesk-demo-"))

    async def main(quit_event: asyncio.Event) -> None:
        from app.ui.main_window import MainWindow
        from hub.demo import seed
        from hub.server import BackgroundHub
        from hub.store import HubStore
        from printing.printers import Printer
        from printing.profiles import load_profile
        from printing.transports import FileTransport

        store = HubStore(f"sqlite:///{folder / 'hub.sqlite3'}")
        store.ensure_demo_users()
        await asyncio.to_thread(seed, store, orders, 7)
        hub = BackgroundHub(store)
        await asyncio.to_thread(hub.start)
        try:
            session = await sign_in(hub.url, "supervisor", "supervisor", remember=False)  # demo: memory only
            printer = Printer("demo-pdf", load_profile("pdf-76x130"), FileTransport(folder / "labels"), True)
            with Cache(folder / "cache.sqlite3") as cache:
                window = MainWindow(session, cache, settings, printer=printer)
                window.closed.connect(quit_event.set)
                window.resize(1400, 860)
                window.show()
                if screenshots is not None:
                    await take_screenshots(window, screenshots)
                    quit_event.set()
                elif quit_after is not None:
                    asyncio.get_running_loop().call_later(quit_after, quit_event.set)
                await quit_event.wait()
                await window.shutdown()
                window.close()
        finally:
            await asyncio.to_thread(hub.stop)
            store.close()

    return _run(main, language, settings)


async def take_screenshots(window: object, folder: Path) -> list[Path]:
    """Each workspace of the real window, once the first sync has caught up, as PNG files."""
    from app.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    folder.mkdir(parents=True, exist_ok=True)
    for _ in range(600):
        if window.sync.status.last_synced_at is not None:
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(0.5)
    taken: list[Path] = []
    for index, name in enumerate(window.session.workspaces):
        window.switcher.setCurrentRow(index)
        if name == "orders":
            window.orders_page.table.selectRow(0)
        if name == "packing":
            ids = window.orders_page.model.ids if "orders" in window.pages else []
            if len(ids):
                with window.cache.read() as c:
                    rare = c.exec_driver_sql(
                        "SELECT domain_id FROM orders WHERE receiver_name GLOB '*[龘堃喆𠀾𪚥]*' LIMIT 1"
                    ).scalar()
                if rare:
                    window.packing_page.look_up(rare)
        await asyncio.sleep(0.3)
        path = folder / f"{index + 1}-{name}.png"
        window.grab().save(str(path))
        taken.append(path)
    return taken
