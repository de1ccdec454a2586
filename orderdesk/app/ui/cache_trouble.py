"""When the local cache cannot be used: a dialog that says what is wrong and offers the ways out
(restore the automatic backup, rebuild from the hub, quit), and the two coroutines the console calls.

- :func:`open_cache_or_ask` opens the cache off the UI thread (the cheap check: milliseconds, also
  at 1,000,000 orders) and shows the dialog only when something is wrong; after a restore or a
  rebuild it opens the new file. None means the person chose to quit.
- :func:`watch_cache` runs the full check in the background when it is due (the file changed outside
  OrderDesk, or none passed in 24 hours; about a minute at 1,000,000 orders) and again every day.
  When it fails, the finding is kept beside the file, the background sync stops saying "synced", and
  the dialog offers to quit now; the next start offers restore and rebuild.

The work itself is Qt-free (`sync/cache/recovery.py`, `sync/rebuild.py`); this module only asks and
shows."""

from __future__ import annotations

import asyncio
import enum
import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from orderdesk.app.services.session import Session, resume
from orderdesk.app.ui import errors
from orderdesk.app.ui.i18n import pick
from orderdesk.sync.cache import Cache, full_check
from orderdesk.sync.cache.recovery import Recovery, restore
from orderdesk.sync.cache.trouble import CacheUnusable, RecoveryError, backup_time, backups_of
from orderdesk.sync.client import HubError
from orderdesk.sync.credentials import CredentialsError

log = logging.getLogger(__name__)


class Choice(enum.Enum):
    RESTORE = "restore"
    REBUILD = "rebuild"
    QUIT = "quit"
    CONTINUE = "continue"  # keep working (a damage found while the console runs), or open the repaired cache


class CacheTroubleDialog(QDialog):
    """What is wrong with which file, and buttons for the ways out; the outcome is shown in place."""

    def __init__(self, trouble: CacheUnusable, *, while_open: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.trouble = trouble
        self.setWindowTitle(self.tr("The local cache cannot be used"))
        self.setMinimumWidth(560)
        self._choice: asyncio.Future[Choice] | None = None
        heading = QLabel("<h3>" + self.tr("OrderDesk found a problem with its local cache file") + "</h3>")
        self.what = QLabel(pick(trouble.what))
        self.ways = QLabel(self._ways_text(while_open))
        self.status = QLabel()
        self.status.setObjectName("status")
        for label in (self.what, self.ways, self.status):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        backups = backups_of(trouble.path)
        self.restore_button = QPushButton(self.tr("Restore the backup of {time}").format(
            time=backup_time(backups[0]) if backups else "—"))  # fmt: skip
        self.rebuild_button = QPushButton(self.tr("Rebuild from the hub"))
        self.quit_button = QPushButton(self.tr("Quit now") if while_open else self.tr("Quit"))
        self.continue_button = QPushButton(self.tr("Keep working for now") if while_open else self.tr("Open OrderDesk"))
        self.restore_button.setVisible(not while_open and "restore" in trouble.ways_out)
        self.rebuild_button.setVisible(not while_open and "rebuild" in trouble.ways_out)
        self.continue_button.setVisible(while_open)
        buttons = QHBoxLayout()
        for button, choice in ((self.restore_button, Choice.RESTORE), (self.rebuild_button, Choice.REBUILD),
                               (self.continue_button, Choice.CONTINUE), (self.quit_button, Choice.QUIT)):  # fmt: skip
            button.clicked.connect(lambda _=False, c=choice: self._answer(c))
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        for widget in (heading, self.what, self.ways, self.status):
            layout.addWidget(widget)
        layout.addLayout(buttons)

    def _ways_text(self, while_open: bool) -> str:
        t = self.trouble
        if while_open:
            return self.tr(
                "Quit now, and OrderDesk offers to restore the automatic backup or to rebuild the cache from the "
                "hub when it starts again. Until then nothing more is synced into this file."
            )
        if not t.is_damage:
            return pick(t.advice)
        lines = []
        if "restore" in t.ways_out:
            lines.append(self.tr("Restore the backup: the file as it was at {time}; orders and observations since "
                                 "then come back with the next sync.").format(time=backup_time(backups_of(t.path)[0])))  # fmt: skip
        lines.append(self.tr("Rebuild from the hub: every order comes back from the hub; print jobs, actions not yet "
                             "sent and imported mapping tables are salvaged from the damaged file where they can be read."))  # fmt: skip
        lines.append(self.tr("Either way the damaged file is kept beside the new one, never deleted."))
        return "\n".join(lines)

    def _answer(self, choice: Choice) -> None:
        if self._choice is not None and not self._choice.done():
            self._choice.set_result(choice)

    def reject(self) -> None:  # Esc or the window's close button: quit, as the Quit button does
        self._answer(Choice.QUIT)
        super().reject()

    async def choice(self) -> Choice:
        self._choice = asyncio.get_running_loop().create_future()
        return await self._choice

    def restoring_text(self) -> str:
        return self.tr("Restoring the backup…")

    def rebuilding_text(self) -> str:
        return self.tr("Rebuilding from the hub: moving the damaged file aside, salvaging, syncing…")

    def sign_in_needed_text(self) -> str:
        return self.tr("A rebuild needs a sign-in to the hub.")

    def working(self, text: str) -> None:
        self.status.setText(text)
        for button in (self.restore_button, self.rebuild_button, self.quit_button, self.continue_button):
            button.setEnabled(False)

    def failed(self, text: str) -> None:
        self.status.setText(text)
        for button in (self.restore_button, self.rebuild_button, self.quit_button):
            button.setEnabled(True)

    def summary(self, recovery: Recovery) -> str:
        """What a restore or a rebuild did and what it could not bring back."""
        s, p = recovery.salvaged, recovery.placed
        if recovery.backup is not None:
            parts = [self.tr("Restored from the backup of {time}.").format(time=backup_time(recovery.backup))]
        else:
            parts = [self.tr("Rebuilt from the hub.")]
        if recovery.aside is not None:
            parts.append(self.tr("The previous file is kept at {path}.").format(path=recovery.aside))
        parts.append(self.tr("Salvaged and put back: actions {a} of {a_all}, print jobs {j} of {j_all}, mapping tables "
                             "{m} of {m_all}.").format(a=p.outbox, a_all=s.get("outbox", 0), j=p.print_jobs,
                                                       j_all=s.get("print_jobs", 0), m=p.mapping_tables,
                                                       m_all=s.get("mapping_tables", 0)))  # fmt: skip
        lost = recovery.not_recovered()
        if lost:
            parts.append(self.tr("Not brought back:") + "\n" + "\n".join("• " + pick(x["zh"], x["en"]) for x in lost))
        if recovery.report is not None:
            parts.append(self.tr("Salvage report: {path}").format(path=recovery.report))
        return "\n".join(parts)

    def repaired(self, recovery: Recovery) -> None:
        self.what.setText(self.tr("The cache is usable again."))
        self.ways.setText(self.summary(recovery))
        self.status.clear()
        self.restore_button.hide()
        self.rebuild_button.hide()
        self.quit_button.setEnabled(True)
        self.continue_button.setEnabled(True)
        self.continue_button.show()
        self.continue_button.setFocus()


def _remembered(hub_url: str) -> Session | None:
    """A remembered sign-in the hub still takes (in a worker thread, on a loop of its own)."""
    try:
        return asyncio.run(resume(hub_url))
    except (HubError, CredentialsError) as exc:
        log.info("no remembered sign-in for %s: %s", hub_url, exc)
        return None


async def _session(hub_url: str, parent: QWidget) -> Session | None:
    """The signed-in session a rebuild needs: a remembered one, else the sign-in dialog."""
    from orderdesk.app.ui.login import LoginDialog

    session = await asyncio.to_thread(_remembered, hub_url)
    if session is not None:
        return session
    dialog = LoginDialog(hub_url, parent=parent)
    done: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    dialog.finished.connect(lambda code: done.done() or done.set_result(code))
    dialog.open()
    return dialog.session if await done == QDialog.DialogCode.Accepted else None


def _restore(path: Path, hub_url: str) -> Recovery:
    """Restore the backup; with a remembered sign-in, catch up with the hub and place the print history."""
    from orderdesk.sync.rebuild import restore_and_sync

    session = _remembered(hub_url)
    if session is None:  # not signed in: the console's own sync catches up after sign-in
        return restore(path, operator="console")[0]
    return asyncio.run(restore_and_sync(path, None, hub_url, session.token, operator=session.user))


async def _repair(choice: Choice, path: Path, hub_url: str, dialog: CacheTroubleDialog) -> Recovery | None:
    """The chosen way out. The work (a first sync: minutes at 1,000,000 orders) runs in a worker thread
    on a loop of its own; the dialog's loop only waits for it."""
    from orderdesk.sync.rebuild import rebuild

    if choice is Choice.RESTORE:
        dialog.working(dialog.restoring_text())
        return await asyncio.to_thread(_restore, path, hub_url)
    session = await _session(hub_url, dialog)
    if session is None:
        dialog.failed(dialog.sign_in_needed_text())
        return None
    dialog.working(dialog.rebuilding_text())
    return await asyncio.to_thread(asyncio.run, rebuild(path, hub_url, session.token, operator=session.user))


async def open_cache_or_ask(path: Path, hub_url: str, parent: QWidget | None = None) -> Cache | None:
    """The console's cache, or None when the person chose to quit. Call it where the console opens
    its cache; the cheap check runs in a worker thread, the dialog appears only if it fails."""
    errors.use_cache_path(path)
    while True:
        try:
            return await asyncio.to_thread(Cache, path)
        except CacheUnusable as trouble:
            log.warning("cache %s: %s", path, trouble.en)
            found = trouble
        dialog = CacheTroubleDialog(found, parent=parent)
        dialog.open()
        try:
            while True:
                choice = await dialog.choice()
                if choice is Choice.QUIT:
                    return None
                if choice is Choice.CONTINUE:
                    break  # open the repaired file
                try:
                    recovery = await _repair(choice, path, hub_url, dialog)
                except (HubError, CredentialsError, RecoveryError, CacheUnusable, OSError) as exc:
                    log.warning("repairing %s failed: %s", path, exc, exc_info=True)
                    dialog.failed(_in_words(exc))
                    continue
                if recovery is not None:
                    dialog.repaired(recovery)
        finally:
            dialog.hide()
            dialog.deleteLater()


def _in_words(exc: BaseException) -> str:
    if isinstance(exc, RecoveryError | CacheUnusable):
        return pick(exc.said)
    return errors.message_for(exc)


async def watch_cache(cache: Cache, parent: QWidget | None, quit_event: asyncio.Event) -> None:
    """Run the full check whenever it is due (at once, then daily). On damage: keep the finding,
    say so, and set ``quit_event`` if the person chooses to quit now."""
    while True:
        if cache.full_check_due(daily=True) is not None:
            result = await full_check.in_background(cache.path)
            if not result.ok:
                dialog = CacheTroubleDialog(result.problems[0], while_open=True, parent=parent)
                dialog.open()
                try:
                    if await dialog.choice() is Choice.QUIT:
                        quit_event.set()
                finally:
                    dialog.hide()
                    dialog.deleteLater()
                return
        await asyncio.sleep(3600)
