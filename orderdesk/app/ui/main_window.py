"""The main window: a workspace switcher on the left, an icon and a caption for each workspace the
role may use (Ctrl+1…6 from the View menu, each workspace's own key whatever the role, or the mouse —
it never takes the keyboard, so a scanner's
Enter and arrow keys reach the packing station), the workspace, a menu bar (File, View, Help → About),
and a status bar of segments: sync online/offline (icon and words), when it last caught up, how far
behind, how many actions wait in the outbox, the last error in words, the user and Sign out. The
status follows the sync's own signal: nothing polls it.

Closing the window quits; signing out closes it and emits ``signed_out`` instead of ``closed``, and
whoever opened it asks for the next sign-in."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QWidget,
)

from orderdesk.app.services.background_sync import BackgroundSync, SyncStatus
from orderdesk.app.services.packing import PackingStation
from orderdesk.app.services.session import Session, sign_out
from orderdesk.app.services.settings import ConsoleConfig, Settings, SettingsSaved, apply_saved, resolve_printer
from orderdesk.app.ui import theme
from orderdesk.app.ui.about import show_about
from orderdesk.app.ui.errors import log
from orderdesk.app.ui.finance_page import FinancePage
from orderdesk.app.ui.i18n import pick
from orderdesk.app.ui.inventory_page import InventoryPage
from orderdesk.app.ui.lifetimes import KeptTasks
from orderdesk.app.ui.orders_page import OrdersPage
from orderdesk.app.ui.packing_page import PackingPage
from orderdesk.app.ui.settings_page import SettingsPage
from orderdesk.app.ui.supervision_page import SupervisionPage
from orderdesk.app.ui.words import duration
from orderdesk.printing.printers import Printer
from orderdesk.sync.cache import Cache
from orderdesk.sync.china_time import clock

# Each workspace keeps its key whatever the role (a packer's Ctrl+5 is Inventory as a supervisor's is).
KEYS = {"packing": 1, "orders": 2, "finance": 3, "supervision": 4, "inventory": 5, "settings": 6}
ICONS = {"packing": "package", "orders": "clipboard-list", "finance": "receipt-text", "supervision": "activity",
         "inventory": "warehouse", "settings": "settings"}  # fmt: skip


class MainWindow(QMainWindow):
    signed_out = Signal()
    closed = Signal()
    sync_status = Signal(object)  # SyncStatus, each time the sync's status changes

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
        self.tasks = KeptTasks()  # what the window's own buttons start
        self.sign_out_note: str | None = None  # said at the next sign-in
        self.setWindowTitle(self.tr("OrderDesk — {user} ({role}) @ {hub}").format(
            user=session.user, role=self.role_name(session.role), hub=session.hub_url))  # fmt: skip
        self.switcher = QListWidget()
        self.switcher.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.switcher.setViewMode(QListView.ViewMode.IconMode)  # the icon above its caption
        self.switcher.setMovement(QListView.Movement.Static)
        self.switcher.setFlow(QListView.Flow.TopToBottom)
        self.switcher.setWrapping(False)
        self.switcher.setIconSize(QSize(28, 28))
        self.switcher.setSpacing(2)
        self.switcher.setObjectName("switcher")
        self.stack = QStackedWidget()
        self.pages: dict[str, QWidget] = {}
        builders: dict[str, Callable[[], QWidget]] = {
            "packing": lambda: self._packing(printer),
            "orders": self._orders_page,
            "finance": self._finance_page,
            "supervision": self._supervision_page,
            "inventory": self._inventory_page,
            "settings": self._settings_page,
        }
        titles = {"packing": self.tr("Packing"), "orders": self.tr("Orders"), "finance": self.tr("Finance"),
                  "supervision": self.tr("Supervision"), "inventory": self.tr("Inventory"),
                  "settings": self.tr("Settings")}  # fmt: skip
        self.workspace_actions: dict[str, QAction] = {}
        for name in session.workspaces:
            number = KEYS[name]
            page = builders[name]()
            self.pages[name] = page
            self.stack.addWidget(page)
            item = QListWidgetItem(theme.icon(ICONS[name]), titles[name])
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter)
            item.setToolTip(f"{titles[name]} (Ctrl+{number})")
            self.switcher.addItem(item)
            action = QAction(theme.icon(ICONS[name]), titles[name], self)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _checked=False, n=name: self.show_workspace(n))
            self.workspace_actions[name] = action
        widest = max(self.switcher.fontMetrics().horizontalAdvance(t) for t in (titles[n] for n in self.pages))
        cell = QSize(max(72, widest + 20), 28 + self.switcher.fontMetrics().height() + 18)
        self.switcher.setGridSize(cell)
        self.switcher.setFixedWidth(cell.width() + 8)
        self.switcher.currentRowChanged.connect(self._switched)
        self.switcher.setCurrentRow(0)
        central = QWidget()
        row = QHBoxLayout(central)
        row.addWidget(self.switcher)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._status_bar(session)
        self._menu_bar()
        self._orders_seen = 0
        self._invoices_seen = (0, 0)
        self._stock_seen = 0
        self.sync_status.connect(self.show_status)
        self.sync = BackgroundSync(session, cache, interval_s=settings.sync_interval_s, on_status=self.sync_status.emit,
                                   retention_days=settings.retention_days)  # fmt: skip
        self.show_status(self.sync.status)
        self.sync.refresh_pending()  # what the last shift left in the outbox, before the first run ends
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
        self.online_icon = QLabel()
        self.online_icon.setObjectName("online_icon")
        self.sync_label = QLabel()  # online / offline / syncing
        self.last_label = QLabel()  # last synced at, how far behind
        self.pending_label = QLabel()  # actions waiting in the outbox
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
        self.reconnect_button.clicked.connect(lambda: self.tasks.start(self.sign_in_again()))
        self.logout_button = QPushButton(self.tr("Sign out"))
        self.logout_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.logout_button.clicked.connect(self.sign_out)
        bar = self.statusBar()
        state = QWidget()
        row = QHBoxLayout(state)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        row.addWidget(self.online_icon)
        row.addWidget(self.sync_label)
        bar.addWidget(state)
        bar.addWidget(self.last_label)
        bar.addWidget(self.pending_label)
        bar.addWidget(self.error_label, 1)
        bar.addPermanentWidget(self.reconnect_button)
        bar.addPermanentWidget(self.user_label)
        bar.addPermanentWidget(self.logout_button)

    def _menu_bar(self) -> None:
        menus = self.menuBar()
        file = menus.addMenu(self.tr("&File"))
        self.sign_out_action = QAction(theme.icon("log-out"), self.tr("Sign &out"), self)
        self.sign_out_action.triggered.connect(self.sign_out)
        file.addAction(self.sign_out_action)
        file.addSeparator()
        self.quit_action = QAction(self.tr("&Quit"), self)
        self.quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        self.quit_action.triggered.connect(self.close)
        file.addAction(self.quit_action)
        view = menus.addMenu(self.tr("&View"))
        for action in self.workspace_actions.values():
            view.addAction(action)
        self.addActions(list(self.workspace_actions.values()))  # their keys work with the menu closed
        self.sync_now_action = QAction(theme.icon("refresh-cw"), self.tr("&Sync now"), self)
        self.sync_now_action.triggered.connect(lambda: self.sync.sync_now())
        view.addSeparator()
        view.addAction(self.sync_now_action)
        help_menu = menus.addMenu(self.tr("&Help"))
        self.about_action = QAction(theme.icon("info"), self.tr("&About OrderDesk"), self)
        self.about_action.triggered.connect(lambda: show_about(self))
        help_menu.addAction(self.about_action)

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
        return self.pages["orders"]  # type: ignore[return-value]  # pages holds each workspace's own page

    def _orders_page(self) -> OrdersPage:
        page = OrdersPage(self.cache, full_contact=self.session.sees_full_contact, hub=lambda: self.session)
        page.sync_requested.connect(lambda: self.sync.sync_now())
        return page

    @property
    def finance_page(self) -> FinancePage:
        return self.pages["finance"]  # type: ignore[return-value]  # pages holds each workspace's own page

    def _finance_page(self) -> FinancePage:
        page = FinancePage(self.cache, hub_url=self.session.hub_url, token=lambda: self.session.token)
        page.queued.connect(lambda _queued: (self.sync.refresh_pending(), self.sync.sync_now()))
        return page

    @property
    def inventory_page(self) -> InventoryPage:
        return self.pages["inventory"]  # type: ignore[return-value]  # pages holds each workspace's own page

    def _inventory_page(self) -> InventoryPage:
        page = InventoryPage(self.cache, hub_url=self.session.hub_url, token=lambda: self.session.token,
                             may_resume=self.session.role == "supervisor")  # fmt: skip
        page.resumed.connect(lambda _sku: self.sync.sync_now())
        page.sync_requested.connect(lambda: self.sync.sync_now())
        return page

    @property
    def supervision_page(self) -> SupervisionPage:
        return self.pages["supervision"]  # type: ignore[return-value]  # pages holds each workspace's own page

    def _supervision_page(self) -> SupervisionPage:
        page = SupervisionPage(self.cache, hub_url=self.session.hub_url, token=lambda: self.session.token,
                               user=self.session.user)  # fmt: skip
        page.go_to.connect(lambda name: self.show_workspace(name) if name in self.pages else None)
        return page

    @property
    def packing_page(self) -> PackingPage:
        return self.pages["packing"]  # type: ignore[return-value]  # pages holds each workspace's own page

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
    def show_status(self, status: SyncStatus) -> None:
        offline = not status.online and status.error is not None
        if offline:
            state = self.tr("offline, retrying") if status.syncing else self.tr("offline")
        elif status.syncing:
            state = self.tr("syncing…")
        elif status.online:
            state = self.tr("online")
        else:
            state = self.tr("connecting…")
        tone = "offline" if offline else "online" if status.online else "note"
        self.online_icon.setPixmap(theme.icon("wifi-off" if offline else "wifi", tone).pixmap(16, 16))
        self.sync_label.setText(self.tr("Sync: {state}").format(state=state))
        self.sync_label.setStyleSheet(theme.text_style("offline") if offline else "")
        last = self.tr("never") if status.last_synced_at is None else clock(status.last_synced_at)
        lag = status.lag_s()
        self.last_label.setText(self.tr("last synced {last} · {lag} behind").format(
            last=last, lag="—" if lag is None else duration(lag)))  # fmt: skip
        self.pending_label.setText(self.tr("{pending} actions waiting").format(pending=status.pending_actions))
        self.error_label.setText(pick(status.error))
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
        from orderdesk.app.ui.app import ask_to_sign_in

        session = await ask_to_sign_in(self.session.hub_url, asyncio.Event(), user=self.session.user, parent=self)
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
