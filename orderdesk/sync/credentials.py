"""Tokens live in the operating system's keyring and nowhere else (never the cache, a config file or
a log). For unattended runs the token may come from ORDERDESK_TOKEN. No keyring: a clear error."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import time
from pathlib import Path
from typing import Any

import keyring
import keyring.errors

from orderdesk.sync.errors import BilingualError
from orderdesk.sync.paths import config_dir

SERVICE = "OrderDesk"
TOKEN_VARIABLE = "ORDERDESK_TOKEN"


class CredentialsError(BilingualError):
    """The OS keyring is missing or refused."""


def keyring_works() -> bool:
    """Whether a real keyring backend is there (not keyring's fail or null backend)."""
    try:
        backend = keyring.get_keyring()
    except Exception:  # a broken keyring configuration is no keyring
        return False
    return float(getattr(backend, "priority", 0) or 0) > 0 and type(backend).__module__ not in (
        "keyring.backends.fail",
        "keyring.backends.null",
    )


def _hubs_file() -> Path:
    return config_dir() / "hubs.json"


def _hubs() -> dict[str, str]:
    try:
        return json.loads(_hubs_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _no_keyring(exc: Exception) -> CredentialsError:
    return CredentialsError(
        en=f"no usable keyring on this machine ({exc}); tokens are kept nowhere else. "
        f"Start a keyring service (e.g. gnome-keyring or KWallet), or set {TOKEN_VARIABLE} for unattended runs.",
        zh=f"本机没有可用的密钥环({exc});令牌不会保存在其他地方。请启动密钥环服务(如 gnome-keyring 或 KWallet),"
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


# -- signing in while the hub is down -------------------------------------------------------------
# The station's last user may sign in without the hub (a packer whose PC restarted during an outage
# can still print; actions wait in the outbox). What makes that possible is a salted scrypt hash of
# the password, kept — like tokens — only in the keyring, for OFFLINE_DAYS after the last sign-in
# the hub confirmed.
OFFLINE_DAYS = 7


def _offline_key(hub_url: str) -> str:
    return f"{hub_url.rstrip('/')}#offline"


def _scrypt(password: str, salt: bytes) -> bytes:
    return hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)


def remember_for_offline(hub_url: str, user: str, role: str, password: str) -> bool:
    """Keep what lets ``user`` sign in offline next time; False where no keyring works (then there
    is no offline sign-in, and nothing is written anywhere else)."""
    if not keyring_works():
        return False
    salt = secrets.token_bytes(16)
    record = {"user": user, "role": role, "salt": salt.hex(), "hash": _scrypt(password, salt).hex(), "at": time.time()}
    try:
        keyring.set_password(SERVICE, _offline_key(hub_url), json.dumps(record))
    except keyring.errors.KeyringError:
        return False
    return True


def _offline_record(hub_url: str) -> dict[str, Any] | None:
    if not keyring_works():
        return None
    try:
        text = keyring.get_password(SERVICE, _offline_key(hub_url))
        record = json.loads(text) if text else None
    except (keyring.errors.KeyringError, ValueError):
        return None
    if not isinstance(record, dict) or time.time() - float(record.get("at", 0)) > OFFLINE_DAYS * 86400:
        return None
    return record


def offline_user(hub_url: str) -> tuple[str, str] | None:
    """(user, role) of the station's last user who may sign in offline, if any."""
    record = _offline_record(hub_url)
    return (str(record["user"]), str(record["role"])) if record else None


def check_offline(hub_url: str, user: str, password: str) -> str | None:
    """The role of ``user`` when the password matches what the last online sign-in left, else None."""
    record = _offline_record(hub_url)
    if record is None or record.get("user") != user:
        return None
    try:
        expected, salt = bytes.fromhex(record["hash"]), bytes.fromhex(record["salt"])
    except (KeyError, TypeError, ValueError):
        return None
    return str(record["role"]) if hmac.compare_digest(_scrypt(password, salt), expected) else None


def remembered_user(hub_url: str) -> str | None:
    """Who signed in last on this station with "remember me" (not a secret)."""
    return _hubs().get(hub_url.rstrip("/"))
