"""Errors of the printing pipeline: each names what was wrong in Chinese and in English."""

from __future__ import annotations

from sync.errors import BilingualError


class PrintingError(BilingualError):
    """Something a packer or an administrator can act on. ``str()`` is the English form."""


class PrinterUnreachable(PrintingError):
    """The printer did not take the job (connection refused, timed out, queue refused it)."""
