"""Where the hub's token-signing secret lives: never in its database.

In this order: the environment variable ``ORDERDESK_HUB_SECRET`` (a deployment's secret store puts it
there), a file given with ``--secret-file``, else ``hub-secret`` in the user's config folder
(platformdirs: ``~/.config/OrderDesk/hub-secret`` on Linux). A missing file is made with 0600
permissions, atomically, so hub processes started together on one machine end up with the same
secret; one readable by others is refused. Hub processes on several machines that share one database
must be given the same secret (the variable, or the same file). The in-process hub of the demo and
the tests keeps a random secret in memory (``random_secret``).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path

from orderdesk.sync.errors import BilingualError
from orderdesk.sync.paths import config_dir

SECRET_VARIABLE = "ORDERDESK_HUB_SECRET"
SECRET_FILE_NAME = "hub-secret"
MIN_CHARACTERS = 32  # HS256 wants a key of at least 256 bits


class SecretError(BilingualError):
    """The secret cannot be had safely (``said``; ``str()`` is the English form)."""


def random_secret() -> str:
    return secrets.token_hex(32)


def default_secret_file() -> Path:
    return config_dir() / SECRET_FILE_NAME


def _checked(secret: str, where: str) -> str:
    secret = secret.strip()
    if len(secret) < MIN_CHARACTERS:
        raise SecretError(
            en=f"the hub secret from {where} is shorter than {MIN_CHARACTERS} characters",
            zh=f"来自 {where} 的订单中心密钥少于 {MIN_CHARACTERS} 个字符",
        )
    return secret


def _create(path: Path) -> None:
    """Write a new secret to ``path`` unless a file is there already (another process won the race)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".hub-secret-")  # mkstemp: mode 0600
    try:
        with os.fdopen(handle, "w", encoding="ascii") as out:
            out.write(random_secret() + "\n")
        with contextlib.suppress(FileExistsError):  # another process made it first: theirs is used
            os.link(temporary, path)  # atomic, and never over an existing file
    finally:
        os.unlink(temporary)


def _read(path: Path) -> str:
    if os.name != "nt" and path.stat().st_mode & 0o077:
        mode = oct(path.stat().st_mode & 0o777)
        raise SecretError(
            en=f"the hub secret file {path} can be read by others (mode {mode}): chmod 600 {path}",
            zh=f"订单中心密钥文件 {path} 其他用户可读(权限 {mode}):请执行 chmod 600 {path}",
        )
    return _checked(path.read_text(encoding="ascii", errors="replace"), str(path))


def load_secret(secret_file: Path | None = None) -> str:
    """The signing secret for a hub process (see the module's docstring for where it comes from)."""
    from_environment = os.environ.get(SECRET_VARIABLE)
    if from_environment:
        return _checked(from_environment, SECRET_VARIABLE)
    path = secret_file or default_secret_file()
    try:
        if not path.exists():
            _create(path)
        return _read(path)
    except OSError as exc:
        raise SecretError(
            en=f"cannot read or make the hub secret file {path}: {exc}",
            zh=f"无法读取或创建订单中心密钥文件 {path}:{exc}",
        ) from exc
