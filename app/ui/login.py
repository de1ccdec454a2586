"""The sign-in dialog: hub URL, user, password. The token goes to the OS keyring through the sync
layer (or stays in memory when "remember" is off); the role it carries decides the workspaces."""

from __future__ import annotations

import asyncio

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.session import Session, sign_in
from app.ui.errors import log, message_for
from sync.client import HubError
from sync.credentials import CredentialsError


class LoginDialog(QDialog):
    def __init__(self, hub_url: str, user: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Sign in to OrderDesk"))
        self.session: Session | None = None
        self.hub = QLineEdit(hub_url)
        self.user = QLineEdit(user)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox(self.tr("Remember me on this computer (OS keyring)"))
        self.remember.setChecked(True)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Hub address"), self.hub)
        form.addRow(self.tr("User"), self.user)
        form.addRow(self.tr("Password"), self.password)
        form.addRow("", self.remember)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Sign in"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        (self.password if user else self.user).setFocus()
        self._task: asyncio.Task[None] | None = None

    def _submit(self) -> None:
        if not self.user.text().strip() or not self.password.text():
            self.error.setText(self.tr("Enter a user name and a password."))
            return
        self.buttons.setEnabled(False)
        self.error.setText(self.tr("Signing in…"))
        self._task = asyncio.ensure_future(self._sign_in())

    async def _sign_in(self) -> None:
        try:
            self.session = await sign_in(
                self.hub.text().strip(),
                self.user.text().strip(),
                self.password.text(),
                remember=self.remember.isChecked(),
            )
        except (HubError, CredentialsError) as exc:
            log.info("sign-in refused: %s", exc)
            self.error.setText(message_for(exc))
            self.password.selectAll()
            self.password.setFocus()
            return
        finally:
            self.buttons.setEnabled(True)
        self.accept()
