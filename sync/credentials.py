"""Tokens live in the operating system's keyring and nowhere else (never the cache, a config file or
a log). For unattended runs the token may come from ORDERDESK_TOKEN. No keyring: a clear error."""

from __future__ import annotations

import json
import os
from pathlib import Path

import keyring
import keyring.errors
import platformdirs

SERVICE = "OrderDesk"
TOKEN_VARIABLE = "ORDERDESK_TOKEN"


class CredentialsError(Exception):
    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en)
        self.zh = zh


def _hubs_file() -> Path:
    return Path(platformdirs.user_config_dir("OrderDesk", "OrderDesk")) / "hubs.json"


def _hubs() -> dict[str, str]:
    try:
        return json.loads(_hubs_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _no_keyring(exc: Exception) -> CredentialsError:
    return CredentialsError(
        f"no usable keyring on this machine ({exc}); tokens are kept nowhere else. "
        f"Start a keyring service (e.g. gnome-keyring or KWallet), or set {TOKEN_VARIABLE} for unattended runs.",
        f"本机没有可用的密钥环({exc});令牌不会保存在其他地方。请启动密钥环服务(如 gnome-keyring 或 KWallet),"
        f"无人值守运行时可设置环境变量 {TOKEN_VARIABLE}。",
    )


def store_token(hub_url: str, user: str, token: str) -> None:
    try:
        keyring.set_password(SERVICE, f"{hub_url.rstrip('/')}#{user}", token)
    except keyring.errors.KeyringError as exc:
        raise _no_keyring(exc) from exc
    hubs = _hubs()
    hubs[hub_url.rstrip("/")] = user  # who signed in last: not a secret
    path = _hubs_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(hubs, ensure_ascii=False, indent=2), encoding="utf-8")


def load_token(hub_url: str) -> str | None:
    """ORDERDESK_TOKEN if set, else the keyring's token for the user who signed in last."""
    from_environment = os.environ.get(TOKEN_VARIABLE)
    if from_environment:
        return from_environment
    return stored_token(hub_url)


def stored_token(hub_url: str) -> str | None:
    """The keyring's token for the user who signed in to ``hub_url`` last (never ORDERDESK_TOKEN's)."""
    user = _hubs().get(hub_url.rstrip("/"))
    if user is None:
        return None
    try:
        return keyring.get_password(SERVICE, f"{hub_url.rstrip('/')}#{user}")
    except keyring.errors.KeyringError as exc:
        raise _no_keyring(exc) from exc


def forget_token(hub_url: str) -> None:
    hubs = _hubs()
    user = hubs.pop(hub_url.rstrip("/"), None)
    if user is not None:
        try:
            keyring.delete_password(SERVICE, f"{hub_url.rstrip('/')}#{user}")
        except keyring.errors.PasswordDeleteError:
            pass
        except keyring.errors.KeyringError as exc:
            raise _no_keyring(exc) from exc
        _hubs_file().write_text(json.dumps(hubs, ensure_ascii=False, indent=2), encoding="utf-8")
