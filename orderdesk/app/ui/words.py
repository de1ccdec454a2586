"""Domain words in the console's language: a thin layer over the bilingual tables the services
share (sync/labels.py), plus the few the console alone says (channels, durations)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from orderdesk.app.ui.i18n import pick
from orderdesk.sync import labels


def word(table: dict[str, tuple[str, str]], value: str | None) -> str:
    return pick(*labels.label(table, value))


def fulfilment_text(value: str | None, cancelled: bool = False) -> str:
    return pick(*labels.fulfilment_label(value, cancelled))


def refund_label(refund: str | None) -> str:
    return word(labels.REFUNDS, refund) if refund else ""


def channel_label(channel: str) -> str:
    return word(labels.SOURCES, channel)


def duration(seconds: float) -> str:
    """“3 秒”, “5 分钟”, “2 小时” (English: 3 s, 5 min, 2 h), rounded to what a person needs."""
    translate = QCoreApplication.translate
    if seconds < 90:
        return translate("Duration", "{n} s").format(n=round(seconds))
    if seconds < 90 * 60:
        return translate("Duration", "{n} min").format(n=round(seconds / 60))
    if seconds < 36 * 3600:
        return translate("Duration", "{n} h").format(n=round(seconds / 3600))
    return translate("Duration", "{n} days").format(n=round(seconds / 86400))
