"""The main window: a workspace switcher on the left (what the role may use; Ctrl+1…5, or the
mouse — it never takes the keyboard, so a scanner's Enter and arrow keys reach the packing station),
the workspace, and a status bar saying whether sync is online, when it last caught up, how far
behind, how many actions wait in the outbox, and the last error in words, with the user and Sign out.

Closing the window quits; signing out closes it and emits ``signed_out`` instead of ``closed``, and
whoever opened it asks for the next sign-in."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
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
from app.services.settings import ConsoleConfig, Settings, SettingsSaved, apply_saved, resolve_printer
from app.ui import theme
from app.ui.errors import log
from app.ui.finance_page import FinancePage
from app.ui.i18n import pick
from app.ui.inventory_page import InventoryPage
from app.ui.orders_page import OrdersPage
from app.ui.packing_page import PackingPage
from app.ui.settings_page import SettingsPage
from app.ui.supervision_page import SupervisionPage
from app.ui.words import duration
from printing.printers import Printer
from sync.cache import Cache
from sync.china_time import clock


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
        config: ConsoleConfig | None = None,
        start_sync: bool = True,
    ) -> None:
        super().__init__()
        self.session = session
        self.cache = cache
        self.settings = settings
        self.config = config or ConsoleConfig.user()
        self._signing_out = False
        self.sign_out_note: str | None = None  # said at the next sign-in
        self.setWindowTitle(self.tr("OrderDesk — {user} ({role}) @ {hub}").format(
            user=session.user, role=self.role_name(session.role), hub=session.hub_url))  # fmt: skip
        self.switcher = QListWidget()
        self.switcher.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.switcher.setIconSize(QSize(20, 20))
        self.stack = QStackedWidget()
        self.pages: dict[str, QWidget] = {}
        builders: dict[str, Callable[[], QWidget]] = {
            "packing": lambda: self._packing(printer),
            "orders": lambda: OrdersPage(cache, full_contact=session.sees_full_contact),
            "finance": self._finance_page,
            "supervision": self._supervision_page,
            "inventory": self._inventory_page,
            "settings": self._settings_page,
        }
        titles = {"packing": self.tr("Packing"), "orders": self.tr("Orders"), "finance": self.tr("Finance"),
                  "supervision": self.tr("Supervision"), "inventory": self.tr("Inventory"),
                  "settings": self.tr("Settings")}  # fmt: skip
        for number, name in enumerate(session.workspaces, 1):
            page = builders[name]()
            self.pages[name] = page
            self.stack.addWidget(page)
            self.switcher.addItem(titles[name])
            self.switcher.item(number - 1).setToolTip(f"Ctrl+{number}")
            QShortcut(QKeySequence(f"Ctrl+{number}"), self, activated=lambda n=name: self.show_workspace(n))
        self.switcher.setFixedWidth(self.switcher.sizeHintForColumn(0) + 24)
        self.switcher.currentRowChanged.connect(self._switched)
        self.switcher.setCurrentRow(0)
        central = QWidget()
        row = QHBoxLayout(central)
        row.addWidget(self.switcher)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._status_bar(session)
        self._orders_seen = 0
        self._invoices_seen = (0, 0)
        self._stock_seen = 0
        self.sync = BackgroundSync(session, cache, interval_s=settings.sync_interval_s, on_status=self.show_status)
        self.show_status(self.sync.status)
        self._ticker = QTimer(self, interval=1000)
        self._ticker.timeout.connect(self._tick)
        self._ticker.start()
        if start_sync:
            self.sync.start()
        if "orders" in self.pages:
            self.orders_page.reload()
        self._warming: asyncio.Future[float] | None = None
        self._warm_timer = QTimer(self, singleShot=True, interval=300)  # a child: it dies with the window
        self._warm_timer.timeout.connect(self._warm_up_printing)
        if "packing" in self.pages:  # fonts, pinyin and barcodes load while the packer looks at the window
            self._warm_timer.start()

    def _status_bar(self, session: Session) -> None:
        self.sync_label = QLabel()
        self.error_label = QLabel()
        self.error_label.setStyleSheet(theme.error_style())
        role = self.role_name(session.role)
        who = session.user if role.casefold() == session.user.casefold() else f"{session.user} · {role}"
        if session.offline:
            who += " · " + self.tr("signed in offline")
        self.user_label = QLabel(who)
        self.reconnect_button = QPushButton(self.tr("Sign in again"))
        self.reconnect_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.reconnect_button.hide()
        self.reconnect_button.clicked.connect(lambda: asyncio.ensure_future(self.sign_in_again()))
        self.logout_button = QPushButton(self.tr("Sign out"))
        self.logout_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.logout_button.clicked.connect(self.sign_out)
        bar = self.statusBar()
        bar.addWidget(self.sync_label, 1)
        bar.addWidget(self.error_label, 1)
        bar.addPermanentWidget(self.reconnect_button)
        bar.addPermanentWidget(self.user_label)
        bar.addPermanentWidget(self.logout_button)

    def _warm_up_printing(self) -> None:
        self._warming = asyncio.ensure_future(asyncio.to_thread(self.packing_page.station.warm_up))

    def _switched(self, row: int) -> None:
        self.stack.setCurrentIndex(row)
        page = self.stack.currentWidget()
        if isinstance(page, PackingPage):
            page.focus_scan()

    def show_workspace(self, name: str) -> None:
        if name in self.pages:
            self.switcher.setCurrentRow(list(self.pages).index(name))

    @property
    def orders_page(self) -> OrdersPage:
        return self.pages["orders"]  # type: ignore[return-value]

    @property
    def finance_page(self) -> FinancePage:
        return self.pages["finance"]  # type: ignore[return-value]

    def _finance_page(self) -> FinancePage:
        page = FinancePage(self.cache, hub_url=self.session.hub_url, token=lambda: self.session.token)
        page.queued.connect(lambda _queued: (self.sync.refresh_pending(), self.sync.sync_now()))
        return page

    @property
    def inventory_page(self) -> InventoryPage:
        return self.pages["inventory"]  # type: ignore[return-value]

    def _inventory_page(self) -> InventoryPage:
        page = InventoryPage(self.cache, hub_url=self.session.hub_url, token=lambda: self.session.token,
                             may_resume=self.session.role == "supervisor")  # fmt: skip
        page.resumed.connect(lambda _sku: self.sync.sync_now())
        return page

    @property
    def supervision_page(self) -> SupervisionPage:
        return self.pages["supervision"]  # type: ignore[return-value]

    def _supervision_page(self) -> SupervisionPage:
        page = SupervisionPage(self.cache, hub_url=self.session.hub_url, token=lambda: self.session.token,
                               user=self.session.user)  # fmt: skip
        page.go_to.connect(lambda name: self.show_workspace(name) if name in self.pages else None)
        return page

    @property
    def packing_page(self) -> PackingPage:
        return self.pages["packing"]  # type: ignore[return-value]

    def role_name(self, role: str) -> str:
        return {"packer": self.tr("packer"), "clerk": self.tr("finance clerk"),
                "supervisor": self.tr("supervisor")}.get(role, role)  # fmt: skip

    def _settings_page(self) -> SettingsPage:
        page = SettingsPage(self.settings, book=self.config.printers, settings_path=self.config.settings_path,
                            manage_printers="packing" in self.session.workspaces,
                            reports="supervision" in self.session.workspaces)  # fmt: skip
        page.saved.connect(self._apply_settings)
        return page

    def _apply_settings(self, saved: SettingsSaved) -> None:
        """What applies at once is applied (sync interval, printer, template); the hub address at the
        next sign-in and the language at the next start, as the settings page says beside them."""
        station = self.packing_page.station if "packing" in self.pages else None
        apply_saved(saved, sync=self.sync, station=station)
        if station is not None:
            self.packing_page.printer_changed()

    def _packing(self, printer: Printer | None) -> PackingPage:
        chosen = printer or resolve_printer(self.settings, self.config.printers)
        station = PackingStation(self.cache, chosen, self.session.user, template=self.settings.template or None)
        page = PackingPage(station, scan_days=self.settings.scan_days,
                           may_override=self.session.may_override_order_state)  # fmt: skip
        page.printed.connect(lambda _job: self.sync.sync_now())  # report the print now, not at the next tick
        return page

    # -- the status bar --------------------------------------------------------------------------------
    def _tick(self) -> None:
        self.sync.refresh_pending()
        self.show_status(self.sync.status)

    def show_status(self, status: SyncStatus) -> None:
        if not status.online and status.error_en:
            state = self.tr("offline, retrying") if status.syncing else self.tr("offline")
        elif status.syncing:
            state = self.tr("syncing…")
        elif status.online:
            state = self.tr("online")
        else:
            state = self.tr("connecting…")
        if status.last_synced_at is None:
            last = self.tr("never")
        else:
            last = clock(status.last_synced_at)
        lag = status.lag_s()
        self.sync_label.setText(self.tr("Sync: {state} · last synced {last} · {lag} behind · {pending} actions waiting")
                                .format(state=state, last=last, lag="—" if lag is None else duration(lag),
                                        pending=status.pending_actions))  # fmt: skip
        self.error_label.setText(pick(status.error_zh, status.error_en))
        self.reconnect_button.setVisible(status.needs_sign_in)
        invoices_seen = (status.invoices_applied, status.actions_refused)
        if invoices_seen != self._invoices_seen and not status.syncing and "finance" in self.pages:
            self._invoices_seen = invoices_seen
            self.finance_page.reload()
        if status.stock_applied != self._stock_seen and not status.syncing and "inventory" in self.pages:
            self._stock_seen = status.stock_applied
            self.inventory_page.reload()
        if status.orders_applied != self._orders_seen and not status.syncing and "orders" in self.pages:
            self._orders_seen = status.orders_applied
            self.orders_page.refill_channels()
            self.orders_page.reload()

    # -- signing in again, signing out, closing ---------------------------------------------------------
    async def sign_in_again(self) -> None:
        """The hub no longer takes this sign-in (expired, revoked, or signed in offline): sign in
        again without closing the window; sync resumes with the new token."""
        from app.ui.app import ask_to_sign_in

        session = await ask_to_sign_in(self.session.hub_url, asyncio.Event(), user=self.session.user)
        if session is None:
            return
        if session.user != self.session.user or session.role != self.session.role:
            log.info("signed in again as %s (%s): reopening the workspaces", session.user, session.role)
        self.session = session
        self.sync.use_session(session)

    def sign_out(self) -> None:
        if not self._signing_out:
            self._signing_out = True
            self.logout_button.setEnabled(False)
            self._leaving = asyncio.ensure_future(self._sign_out())

    async def _sign_out(self) -> None:
        """Revoke the token at the hub (a few seconds at most), forget it here, close the window."""
        try:
            if not await sign_out(self.session):
                self.sign_out_note = self.tr(
                    "The hub could not be told about the sign-out: the old sign-in stays valid there until it expires."
                )
        except Exception:  # the keyring may be gone: signing out must still close the window
            log.exception("signing out failed")
        self.signed_out.emit()
        self.close()

    async def shutdown(self) -> None:
        self._ticker.stop()
        self._warm_timer.stop()
        await self.sync.stop()
        if self._warming is not None:
            with contextlib.suppress(Exception):
                await self._warming
        if "orders" in self.pages:
            await self.orders_page.shutdown()
        if "packing" in self.pages:
            await self.packing_page.shutdown()

    def closeEvent(self, event: QCloseEvent) -> None:
        super().closeEvent(event)
        if not self._signing_out:
            self.closed.emit()  # whoever opened the window shuts sync down and quits
