"""Where OrderDesk keeps a user's files: the platform's folders (platformdirs), or one folder of its
own when ``ORDERDESK_HOME`` is set (the demo runs in a temporary one, so it never touches a user's
settings, printers, sign-ins or cache). The log stays in the platform's log folder."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

HOME_VARIABLE = "ORDERDESK_HOME"
_APP = ("OrderDesk", "OrderDesk")


def _home(kind: str) -> Path | None:
    home = os.environ.get(HOME_VARIABLE)
    return Path(home) / kind if home else None


def config_dir() -> Path:
    return _home("config") or Path(platformdirs.user_config_dir(*_APP))


def data_dir() -> Path:
    return _home("data") or Path(platformdirs.user_data_dir(*_APP))


def log_dir() -> Path:
    """Always the platform's: the log outlives a demo's temporary home (it says what went wrong)."""
    return Path(platformdirs.user_log_dir(*_APP))


DOCUMENTS_VARIABLE = "ORDERDESK_DOCUMENTS_DIR"


def documents_dir() -> Path:
    """Where printed label files go by default: ``$ORDERDESK_DOCUMENTS_DIR``, the run's home, or the
    user's documents folder + ``OrderDesk``."""
    chosen = os.environ.get(DOCUMENTS_VARIABLE)
    return Path(chosen) if chosen else _home("documents") or Path(platformdirs.user_documents_dir()) / "OrderDesk"
