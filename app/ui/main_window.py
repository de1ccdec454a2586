"""The main window: a workspace switcher on the left (what the role may use), the workspace, and a
status bar saying whether sync is online, when it last caught up, how far behind, how many actions
wait in the outbox, and the last error in words."""

from __future__ import annotations

import asyncio
import importlib
import time
from collections.abc import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QWidget,
)

from app.services.background_sync import BackgroundSync, SyncStatus
from app.services.packing import PackingStation
from app.services.session import Session, sign_out
from app.services.settings import Settings
from app.ui.i18n import pick
from app.ui.orders_page import OrdersPage
from app.ui.packing_page import PackingPage
from app.ui.placeholders import FinancePage, SupervisionPage
from app.ui.settings_page import SettingsPage
from printing.printers import Printer, get_printer
from sync.cache import Cache


class MainWindow(QMainWindow):
    signed_out = Signal()
    closed = Signal()

    def __init__(
        self,
        session: Session,
        cache: Cache,
        settings: Settings,
        *,
        printer: Printer | None = None,
        start_sync: bool = True,
    ) -> None:
        super().__init__()
        self.session = session
        self.cache = cache
        self.settings = settings
        self.setWindowTitle(self.tr("OrderDesk — {user} ({role}) @ {hub}").format(
            user=session.user, role=self.role_name(session.role), hub=session.hub_url))  # fmt: skip
        self.switcher = QListWidget()
        self.switcher.setFixedWidth(150)
        self.stack = QStackedWidget()
        self.pages: dict[str, QWidget] = {}
        builders: dict[str, Callable[[], QWidget]] = {
            "packing": lambda: self._packing(printer),
            "orders": lambda: OrdersPage(cache, full_contact=session.sees_full_contact),
            "finance": FinancePage,
            "supervision": SupervisionPage,
            "settings": lambda: SettingsPage(settings),
        }
        titles = {"packing": self.tr("Packing"), "orders": self.tr("Orders"), "finance": self.tr("Finance"),
                  "supervision": self.tr("Supervision"), "settings": self.tr("Settings")}  # fmt: skip
        for name in session.workspaces:
            page = builders[name]()
            self.pages[name] = page
            self.stack.addWidget(page)
            self.switcher.addItem(titles[name])
        self.switcher.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.switcher.setCurrentRow(0)
        central = QWidget()
        row = QHBoxLayout(central)
        row.addWidget(self.switcher)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.sync_label = QLabel()
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b00020")
        self.user_label = QLabel(f"{session.user} · {self.role_name(session.role)}")
        self.logout_button = QPushButton(self.tr("Sign out"))
        self.logout_button.clicked.connect(self.sign_out)
        self.statusBar().addWidget(self.sync_label, 1)
        self.statusBar().addWidget(self.error_label, 2)
        self.statusBar().addPermanentWidget(self.user_label)
        self.statusBar().addPermanentWidget(self.logout_button)
        self._orders_seen = 0
        self.sync = BackgroundSync(session, cache, interval_s=settings.sync_interval_s, on_status=self.show_status)
        self.show_status(self.sync.status)
        self._ticker = QTimer(self, interval=1000)
        self._ticker.timeout.connect(lambda: self.show_status(self.sync.status))
        self._ticker.start()
        if start_sync:
            self.sync.start()
        if "orders" in self.pages:
            self.orders_page.reload()
        if "packing" in self.pages:  # load the renderer while the packer looks at the window
            QTimer.singleShot(800, self._warm_up_printing)

    def _warm_up_printing(self) -> None:
        self._warming = asyncio.ensure_future(asyncio.to_thread(importlib.import_module, "printing.render"))

    @property
    def orders_page(self) -> OrdersPage:
        return self.pages["orders"]  # type: ignore[return-value]

    @property
    def packing_page(self) -> PackingPage:
        return self.pages["packing"]  # type: ignore[return-value]

    def role_name(self, role: str) -> str:
        return {"packer": self.tr("packer"), "clerk": self.tr("finance clerk"),
                "supervisor": self.tr("supervisor")}.get(role, role)  # fmt: skip

    def _packing(self, printer: Printer | None) -> PackingPage:
        chosen = printer or get_printer(self.settings.printer)
        page = PackingPage(PackingStation(self.cache, chosen, self.session.user), scan_days=self.settings.scan_days)
        page.printed.connect(lambda _job: self.sync.sync_now())  # report the print now, not at the next tick
        return page

    def show_status(self, status: SyncStatus) -> None:
        if status.syncing:
            state = self.tr("syncing…")
        elif status.online:
            state = self.tr("online")
        elif status.error_en:
            state = self.tr("offline")
        else:
            state = self.tr("connecting…")
        last = (time.strftime("%H:%M:%S", time.localtime(status.last_synced_at)) if status.last_synced_at
                else self.tr("never"))  # fmt: skip
        lag = status.lag_s()
        self.sync_label.setText(self.tr("Sync: {state} · last synced {last} · {lag} behind · {pending} actions waiting")
                                .format(state=state, last=last, lag="—" if lag is None else f"{lag:.0f} s",
                                        pending=status.pending_actions))  # fmt: skip
        self.error_label.setText(pick(status.error_zh, status.error_en))
        if status.orders_applied != self._orders_seen and not status.syncing and "orders" in self.pages:
            self._orders_seen = status.orders_applied
            self.orders_page.refill_channels()
            self.orders_page.reload()

    def sign_out(self) -> None:
        sign_out(self.session)
        self.signed_out.emit()
        self.close()

    async def shutdown(self) -> None:
        self._ticker.stop()
        await self.sync.stop()
        if "orders" in self.pages and self.orders_page.loading is not None:
            self.orders_page.loading.cancel()

    def closeEvent(self, event: object) -> None:
        super().closeEvent(event)  # type: ignore[arg-type]
        self.closed.emit()  # whoever opened the window shuts sync down and quits
