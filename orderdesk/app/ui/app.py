"""Starting the console: `orderdesk` (sign in to a hub) and `orderdesk demo` (the reference hub with
demo data on a free loopback port, in a temporary home of its own). Qt runs on an asyncio loop
(qasync) so sync never blocks the UI.

A run is a series of shifts: sign in → the main window → sign out → sign in again (as another role,
as often as people like) until the window is closed, the application quits or Ctrl-C is pressed;
each of those closes the window the same way (sync stopped, the cache closed)."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from orderdesk.app.services.session import Session, resume
from orderdesk.app.services.settings import Settings
from orderdesk.sync.cache import Cache, default_cache_path
from orderdesk.sync.credentials import remembered_user

Login = Callable[[str | None], Awaitable[Session | None]]  # the note to show (why the last shift ended oddly)


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


def _qt(language: str | None, settings: Settings) -> tuple[Any, asyncio.AbstractEventLoop]:
    from PySide6.QtWidgets import QApplication
    from qasync import QEventLoop

    from orderdesk.app.ui import errors, i18n, theme

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)  # the coroutine below ends the loop, after cleaning up
    app.setApplicationName("OrderDesk")
    app.setOrganizationName("OrderDesk")
    errors.start_logging()
    i18n.install(language or settings.language)
    theme.apply_to(app)  # the application font, the type size, the window icon
    loop = QEventLoop(app)
    asyncio.set_event_loop(loop)
    return app, loop


def _run(main: Callable[[asyncio.Event], Awaitable[None]], language: str | None, settings: Settings) -> int:
    from PySide6.QtCore import QTimer

    from orderdesk.app.ui import errors

    app, loop = _qt(language, settings)
    errors.install(lambda: app.activeWindow())
    quit_event = asyncio.Event()
    app.aboutToQuit.connect(quit_event.set)
    # Ctrl-C in the terminal (or a SIGTERM: a session ending) closes the console as its window's close
    # does. Python runs a signal
    # handler only between bytecodes, so a timer gives it a moment while Qt waits for events.
    quit_on_signal = lambda *_: loop.call_soon_threadsafe(quit_event.set)  # noqa: E731
    previous = {number: signal.signal(number, quit_on_signal) for number in (signal.SIGINT, signal.SIGTERM)}
    heartbeat = QTimer(interval=200)
    heartbeat.timeout.connect(lambda: None)
    heartbeat.start()
    try:
        with loop:  # type: ignore[attr-defined]  # qasync's loop closes itself as a context manager; qasync has no types
            loop.run_until_complete(main(quit_event))
    finally:
        heartbeat.stop()
        for number, handler in previous.items():
            signal.signal(number, handler)
    return 0


async def ask_to_sign_in(hub_url: str, quit_event: asyncio.Event, **options: Any) -> Session | None:
    """The sign-in dialog; None when it is cancelled or the console is told to quit meanwhile."""
    from PySide6.QtWidgets import QDialog

    from orderdesk.app.ui.lifetimes import retire
    from orderdesk.app.ui.login import LoginDialog

    dialog = LoginDialog(hub_url, **options)
    done: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    dialog.finished.connect(lambda code: done.done() or done.set_result(code))
    dialog.open()
    quitting = asyncio.ensure_future(quit_event.wait())
    await asyncio.wait([done, quitting], return_when=asyncio.FIRST_COMPLETED)
    quitting.cancel()
    if not done.done():
        dialog.reject()
        retire(dialog)
        return None
    session = dialog.session if done.result() == QDialog.DialogCode.Accepted else None
    retire(dialog)
    return session


async def _until_finished(window: Any, quit_event: asyncio.Event) -> str:
    """ "signed_out" when the user signed out; "closed" or "quit" otherwise."""
    outcome: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    window.signed_out.connect(lambda: outcome.done() or outcome.set_result("signed_out"))
    window.closed.connect(lambda: outcome.done() or outcome.set_result("closed"))
    quitting = asyncio.ensure_future(quit_event.wait())
    await asyncio.wait([outcome, quitting], return_when=asyncio.FIRST_COMPLETED)
    quitting.cancel()
    return outcome.result() if outcome.done() else "quit"


def fit_to_screen(window: Any, width: int = 1400, height: int = 860) -> None:
    """Shown at a comfortable size that never exceeds the screen's available area (a 1280×720 laptop)."""
    screen = window.screen().availableGeometry()
    window.resize(min(width, screen.width()), min(height, screen.height()))
    window.move(
        screen.x() + (screen.width() - window.width()) // 2, screen.y() + (screen.height() - window.height()) // 2
    )


async def run_shifts(
    cache: Cache,
    settings: Settings,
    quit_event: asyncio.Event,
    login: Login,
    *,
    first: Session | None = None,
    printer: Any = None,
    on_window: Callable[[Any], Awaitable[None]] | None = None,
) -> None:
    """Sign in, work, sign out, sign in again — until the window closes or the console quits."""
    from orderdesk.app.ui.lifetimes import retire
    from orderdesk.app.ui.main_window import MainWindow

    session = first
    note: str | None = None
    while not quit_event.is_set():
        if session is None:
            session = await login(note)
            if session is None:
                return
        window = MainWindow(session, cache, settings, printer=printer)
        fit_to_screen(window)
        window.show()
        if on_window is not None:
            await on_window(window)
        outcome = await _until_finished(window, quit_event)
        await window.shutdown()
        note = window.sign_out_note
        retire(window)
        if outcome != "signed_out":
            return
        session = None


def run_console(hub_url: str | None, cache_path: Path | None, language: str | None) -> int:
    check_display()
    settings = Settings.load()

    async def main(quit_event: asyncio.Event) -> None:
        url = hub_url or settings.hub_url
        first = await resume(url)

        async def login(note: str | None) -> Session | None:
            address = hub_url or settings.hub_url  # a hub changed in settings applies at the next sign-in
            return await ask_to_sign_in(address, quit_event, user=remembered_user(address) or "", note=note)

        from orderdesk.app.ui.cache_trouble import open_cache_or_ask, watch_cache

        cache = await open_cache_or_ask(cache_path or default_cache_path(), url)  # damaged: restore, rebuild or quit
        if cache is None:
            return
        with cache:
            watcher = asyncio.ensure_future(watch_cache(cache, None, quit_event))  # the full check, when due
            try:
                await run_shifts(cache, settings, quit_event, login, first=first)
            finally:
                watcher.cancel()

    return _run(main, language, settings)


def run_demo(
    orders: int, language: str | None, screenshots: Path | None, quit_after: float | None, live: float = 0.0
) -> int:
    from orderdesk.app.ui.demo import DemoHome

    check_display()
    with DemoHome() as home:  # a temporary home: the user's settings, printers and sign-ins stay untouched

        async def main(quit_event: asyncio.Event) -> None:
            await demo_shifts(home, orders, quit_event, screenshots=screenshots, quit_after=quit_after,
                              live=0.0 if screenshots is not None else live)  # fmt: skip

        return _run(main, language, home.settings())


async def demo_shifts(
    home: Any, orders: int, quit_event: asyncio.Event, *, screenshots: Path | None = None,
    quit_after: float | None = None, live: float = 0.0,
) -> None:  # fmt: skip
    """The demo's run: its hub seeded, the supervisor signed in, then shifts as in the console, the
    sign-in dialog listing the demo's users."""
    async with home.hub(orders, quit_event, live) as hub:
        if hub is None:  # seeding was cancelled
            return
        first = await hub.sign_in("supervisor")

        async def login(note: str | None) -> Session | None:
            return await ask_to_sign_in(hub.url, quit_event, demo_users=hub.users, remember_allowed=False, note=note)

        async def on_window(window: Any) -> None:
            if screenshots is not None:
                await take_screenshots(window, screenshots)
                quit_event.set()
            elif quit_after is not None:
                asyncio.get_running_loop().call_later(quit_after, quit_event.set)

        with Cache(home.cache_path) as cache:
            await run_shifts(cache, home.settings(), quit_event, login, first=first, on_window=on_window)


SCREENSHOT_SIZES = ((1280, 720), (1600, 1000))


async def take_screenshots(
    window: Any, folder: Path, sizes: tuple[tuple[int, int], ...] = SCREENSHOT_SIZES
) -> list[Path]:
    """Each workspace of the real window, once the first sync has caught up, as PNG files: one
    folder per language and size, ``zh_CN-1280x720/packing.png``."""
    from orderdesk.app.ui.i18n import language
    from orderdesk.app.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    window.resize(*sizes[0])
    for _ in range(600):
        if window.sync.status.last_synced_at is not None:
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(0.5)
    taken: list[Path] = []
    for name in window.session.workspaces:
        window.show_workspace(name)
        if name == "orders":
            window.orders_page.table.selectRow(0)
        if name == "finance":  # the demo's history is invoiced on the hub's thread: wait for its first invoices
            for _ in range(60):
                counts = window.finance_page.desk.counts()
                if counts["issued"] and counts["needs_data"]:
                    break
                window.sync.sync_now()
                await asyncio.sleep(1.0)
            window.finance_page.reload()
        if name == "packing":
            rare = await asyncio.to_thread(window.packing_page.station.rare_name_order)
            if rare:
                window.packing_page.look_up(rare)
        for width, height in sizes:
            window.resize(width, height)
            await asyncio.sleep(0.5)
            where = folder / f"{language()}-{width}x{height}"
            where.mkdir(parents=True, exist_ok=True)
            path = where / f"{name}.png"
            window.grab().save(str(path))
            taken.append(path)
    return taken
