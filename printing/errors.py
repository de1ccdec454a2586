"""Errors of the printing pipeline: each names what was wrong in Chinese and in English."""

from __future__ import annotations


class PrintingError(Exception):
    """Something a packer or an administrator can act on. ``str()`` is the English form."""

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en)
        self.en = en
        self.zh = zh


class PrinterUnreachable(PrintingError):
    """The printer did not take the job (connection refused, timed out, queue refused it)."""
