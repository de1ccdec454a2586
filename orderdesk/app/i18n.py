"""Language for text the CLI prints: Chinese (zh_CN) by default, English on request.

The Qt interface uses Qt translation files; the CLI keeps each message's two forms side by side.
"""

from __future__ import annotations

import os
from typing import overload

from orderdesk.sync.said import Said


def _default() -> str:
    return "en" if os.environ.get("ORDERDESK_LANG", "zh_CN").lower().startswith("en") else "zh_CN"


_language = _default()


def set_language(language: str | None) -> None:
    """Use ``language``; None means the default (ORDERDESK_LANG, else zh_CN)."""
    global _language
    _language = ("en" if language.lower().startswith("en") else "zh_CN") if language else _default()


def language() -> str:
    return _language


@overload
def tr(said: Said, /) -> str: ...
@overload
def tr(zh: str, en: str, /) -> str: ...
def tr(zh: Said | str, en: str | None = None, /) -> str:
    """The message in the current language: ``tr(zh, en)`` with both forms written where the message
    is, or ``tr(said)`` for what a service says (an error's ``exc.said``)."""
    if isinstance(zh, Said):
        return zh.text(_language)
    return en if _language == "en" and en is not None else zh
