"""The sign-in dialog: hub URL, user, password. The token goes to the OS keyring through the sync
layer (or stays in memory when "remember" is off, or where no keyring works); the role it carries
decides the workspaces. With the hub down, the station's last user signs in offline. The demo lists
its users, so that every role can be tried."""

from __future__ import annotations

import asyncio

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from orderdesk.app.services.session import Session, sign_in
from orderdesk.app.ui import theme
from orderdesk.app.ui.errors import log, message_for
from orderdesk.sync.client import HubError
from orderdesk.sync.credentials import CredentialsError, keyring_works, offline_user


class LoginDialog(QDialog):
    def __init__(
        self,
        hub_url: str,
        user: str = "",
        parent: QWidget | None = None,
        *,
        demo_users: tuple[str, ...] = (),
        remember_allowed: bool = True,
        note: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Sign in to OrderDesk"))
        self.setMinimumWidth(460)
        self.session: Session | None = None
        self.hub = QLineEdit(hub_url)
        self.user = QLineEdit(user)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox(self.tr("Remember me on this computer (OS keyring)"))
        self.keyring_note = QLabel()
        self.keyring_note.setWordWrap(True)
        self.keyring_note.setStyleSheet(theme.note_style())
        if not remember_allowed:  # the demo keeps its tokens in memory only
            self.remember.setChecked(False)
            self.remember.setEnabled(False)
            self.remember.hide()
        elif keyring_works():
            self.remember.setChecked(True)
        else:
            self._no_keyring()
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setStyleSheet(theme.error_style())
        self.error.setWordWrap(True)
        if note:
            self.error.setText(note)
        form = QFormLayout()
        form.addRow(self.tr("Hub address"), self.hub)
        form.addRow(self.tr("User"), self.user)
        form.addRow(self.tr("Password"), self.password)
        form.addRow("", self.remember)
        form.addRow("", self.keyring_note)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        self.demo_buttons: dict[str, QPushButton] = {}
        if demo_users:
            layout.addWidget(QLabel(self.tr("Demo users (the password is the user name): click one to fill it in")))
            row = QHBoxLayout()
            for name in demo_users:
                button = QPushButton(name)
                button.setAutoDefault(False)
                button.clicked.connect(lambda _=False, n=name: self._fill(n))
                row.addWidget(button)
                self.demo_buttons[name] = button
            layout.addLayout(row)
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Sign in"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        (self.password if user else self.user).setFocus()
        self._task: asyncio.Task[None] | None = None

    def _no_keyring(self) -> None:
        self.remember.setChecked(False)
        self.remember.setEnabled(False)
        self.keyring_note.setText(
            self.tr(
                "This computer has no keyring service, so the sign-in cannot be remembered: it lasts until "
                "you sign out or close OrderDesk, and signing in offline is not possible."
            )
        )

    def _fill(self, name: str) -> None:
        self.user.setText(name)
        self.password.setText(name)
        self.password.setFocus()

    def _submit(self) -> None:
        if self._task is not None and not self._task.done():
            return
        if not self.user.text().strip() or not self.password.text():
            self.error.setText(self.tr("Enter a user name and a password."))
            return
        self.buttons.setEnabled(False)
        self.error.setText(self.tr("Signing in…"))
        self._task = asyncio.ensure_future(self._sign_in())

    async def _sign_in(self) -> None:
        hub = self.hub.text().strip()
        try:
            self.session = await sign_in(
                hub, self.user.text().strip(), self.password.text(), remember=self.remember.isChecked()
            )
        except CredentialsError as exc:
            log.info("sign-in: no keyring: %s", exc)
            self._no_keyring()
            self.error.setText(
                message_for(exc) + "\n" + self.tr("Press Sign in again to sign in for this session only.")
            )
            return
        except HubError as exc:
            log.info("sign-in refused: %s", exc)
            text = message_for(exc)
            known = offline_user(hub) if exc.status == 0 else None
            if known is not None:
                text += "\n" + self.tr("Without the hub, only {user}, who signed in here last, can sign in.").format(
                    user=known[0]
                )
            self.error.setText(text)
            self.password.selectAll()
            self.password.setFocus()
            return
        except Exception as exc:  # never a hung dialog: say it, log the details
            log.exception("sign-in failed")
            self.error.setText(message_for(exc))
            return
        finally:
            self.buttons.setEnabled(True)
        self.accept()
