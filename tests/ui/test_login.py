"""Signing in, role gating, signing out, against the real hub."""

from __future__ import annotations

import httpx
import keyring
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from app.services.session import Session
from app.services.settings import Settings
from app.ui.login import LoginDialog
from app.ui.main_window import MainWindow
from tests.ui.conftest import wait_for


def sign_in(loop, hub, user: str, password: str, *, remember: bool = False) -> LoginDialog:
    dialog = LoginDialog(hub.url, user)
    dialog.password.setText(password)
    dialog.remember.setChecked(remember)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    wait_for(loop, lambda: dialog._task is not None and dialog._task.done())
    return dialog


def test_wrong_password_is_said_in_words_and_nothing_is_stored(loop, hub, memory_keyring) -> None:
    dialog = sign_in(loop, hub, "packer", "wrong", remember=True)
    assert dialog.session is None and dialog.result() != QDialog.DialogCode.Accepted
    assert "用户名和密码" in dialog.error.text()
    assert memory_keyring.secrets == {}


def test_roles_decide_the_workspaces(loop, hub, cache, qtbot) -> None:
    seen = {}
    for user in ("packer", "clerk", "supervisor"):
        dialog = sign_in(loop, hub, user, user)
        assert dialog.result() == QDialog.DialogCode.Accepted
        session = dialog.session
        assert isinstance(session, Session) and session.role == user and not session.remembered
        window = MainWindow(session, cache, Settings(), start_sync=False)
        qtbot.addWidget(window)
        seen[user] = [window.switcher.item(i).text() for i in range(window.switcher.count())]
    assert seen == {
        "packer": ["打包", "订单", "设置"],
        "clerk": ["财务", "订单", "设置"],
        "supervisor": ["打包", "订单", "财务", "主管", "设置"],
    }


def test_remembered_token_is_in_the_keyring_and_sign_out_clears_it(loop, hub, cache, qtbot, memory_keyring) -> None:
    dialog = sign_in(loop, hub, "clerk", "clerk", remember=True)
    session = dialog.session
    assert session is not None and session.remembered
    assert tokens(memory_keyring) == [session.token]
    window = MainWindow(session, cache, Settings(), start_sync=False)
    qtbot.addWidget(window)
    signed_out: list[bool] = []
    window.signed_out.connect(lambda: signed_out.append(True))
    qtbot.mouseClick(window.logout_button, Qt.MouseButton.LeftButton)
    wait_for(loop, lambda: signed_out)
    assert tokens(memory_keyring) == []
    answer = httpx.get(f"{hub.url}/v1/auth/me", headers={"Authorization": f"Bearer {session.token}"}, timeout=10)
    assert answer.status_code == 401  # revoked at the hub, not only forgotten here
    # What lets this station's last user sign in while the hub is down stays: a salted hash, no token.
    [(key, verifier)] = memory_keyring.secrets.items()
    assert (
        key[1].endswith("#offline") and "clerk" not in verifier.replace('"clerk"', "") and session.token not in verifier
    )
    assert keyring.get_keyring() is memory_keyring


def tokens(memory_keyring) -> list[str]:
    return [v for (_, name), v in memory_keyring.secrets.items() if not name.endswith("#offline")]
