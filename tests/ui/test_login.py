"""Signing in, role gating, signing out, against the real hub."""

from __future__ import annotations

import httpx
import keyring
import keyring.errors
import pytest
from keyring.backend import KeyringBackend
from keyring.backends.fail import Keyring as FailKeyring
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from orderdesk.app.services.session import Session, resume
from orderdesk.app.services.settings import Settings
from orderdesk.app.ui.login import LoginDialog
from orderdesk.app.ui.main_window import MainWindow
from tests.ui.conftest import run, wait_for


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
        "packer": ["打包", "订单", "库存", "设置"],
        "clerk": ["财务", "订单", "设置"],
        "supervisor": ["打包", "订单", "财务", "主管", "库存", "设置"],
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


@pytest.fixture
def no_keyring():
    before = keyring.get_keyring()
    keyring.set_keyring(FailKeyring())
    yield
    keyring.set_keyring(before)


def test_without_a_keyring_the_box_is_unticked_says_why_and_sign_in_works_for_the_session(loop, hub, no_keyring):
    dialog = LoginDialog(hub.url, "packer")
    assert not dialog.remember.isChecked() and not dialog.remember.isEnabled()
    assert "密钥环" in dialog.keyring_note.text()
    dialog.password.setText("packer")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    wait_for(loop, lambda: dialog._task is not None and dialog._task.done())
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.session is not None and not dialog.session.remembered


def test_a_keyring_that_refuses_says_so_then_signs_in_for_the_session(loop, hub) -> None:
    class BrokenKeyring(KeyringBackend):  # defined here: keyring would pick a module-level one by itself
        """A keyring that is there but refuses to store (a locked wallet, a broken D-Bus)."""

        priority = 1  # type: ignore[assignment]

        def set_password(self, service: str, username: str, password: str) -> None:
            raise keyring.errors.KeyringError("the wallet is locked")

        def get_password(self, service: str, username: str) -> str | None:
            return None

        def delete_password(self, service: str, username: str) -> None:
            raise keyring.errors.PasswordDeleteError("nothing stored")

    before = keyring.get_keyring()
    keyring.set_keyring(BrokenKeyring())
    try:
        dialog = sign_in(loop, hub, "clerk", "clerk", remember=True)
        assert dialog.session is None and dialog.result() != QDialog.DialogCode.Accepted  # never a hang
        assert "密钥环" in dialog.error.text() and "仅为本次会话登录" in dialog.error.text()
        assert not dialog.remember.isChecked()
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        wait_for(loop, lambda: dialog._task is not None and dialog._task.done())
        assert dialog.session is not None and not dialog.session.remembered
    finally:
        keyring.set_keyring(before)


def test_the_stations_last_user_signs_in_offline_while_the_hub_is_down(loop, hub, memory_keyring) -> None:
    assert sign_in(loop, hub, "packer", "packer", remember=True).session is not None
    hub.stop()
    wrong = sign_in(loop, hub, "packer", "nope")
    assert wrong.session is None and "无法连接" in wrong.error.text() and "packer" in wrong.error.text()
    other = sign_in(loop, hub, "clerk", "clerk")
    assert other.session is None  # only the last user, with the password they used
    offline = sign_in(loop, hub, "packer", "packer")
    session = offline.session
    assert session is not None and session.offline and session.role == "packer" and session.remembered
    resumed = run(loop, resume(hub.url))  # the PC restarted during the outage: the remembered user goes on
    assert resumed is not None and resumed.offline and resumed.user == "packer"
