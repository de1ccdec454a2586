"""The one bilingual error type. Everything a person may be told — a printer that refused, a
keyring that is missing, a damaged file, a hub that said no — is a :class:`BilingualError` (or a
subclass) carrying what to say as a :class:`~orderdesk.sync.said.Said`: ``said.zh`` and ``said.en``,
given by name (``zh=…, en=…``, never by position), ``str()`` the English form. Which subclass means
what:

- ``printing.errors.PrintingError``: a label cannot be made or delivered; ``PrinterUnreachable``:
  the printer did not take it.
- ``sync.credentials.CredentialsError``: the OS keyring is missing or refused.
- ``sync.client.HubError``: the hub answered no or could not be reached.
- ``sync.cache.trouble.CacheUnusable`` / ``RecoveryError``: the cache file cannot be used or mended.
- ``hub.refusals.Refusal``: the hub's own 4xx answer (``detail`` / ``detail_zh``).
- ``hub.auth.TokenRefused``, ``hub.secret.SecretError``, ``inventory.ledger.InventoryRefused``,
  ``invoicing.states.InvalidMove``, ``invoicing.red_letter.RedLetterRefused``,
  ``app.services.settings.SettingRefused``, ``insights.bi_files.BiExportError``,
  ``inventory.fastpath.FastPathUnavailable``, ``sync.record_errors.Invalid``.
"""

from __future__ import annotations

from typing import Any

from orderdesk.sync.said import Said


class BilingualError(Exception):
    """An error a person is told about, in Chinese and in English (``said``)."""

    def __init__(self, *, zh: str, en: str) -> None:
        super().__init__(en)
        self._said = Said(zh=zh, en=en)

    @property
    def said(self) -> Said:
        """What to tell the person; say it with ``pick(exc.said)`` (console) or ``tr(exc.said)`` (CLI)."""
        return self._said

    @property
    def en(self) -> str:
        return self.said.en

    @property
    def zh(self) -> str:
        return self.said.zh

    def __reduce__(self) -> tuple[Any, ...]:  # crosses process boundaries intact, whatever the subclass takes
        return (_rebuilt, (type(self), self.args), self.__dict__)


def _rebuilt(kind: type[BilingualError], args: tuple[Any, ...]) -> BilingualError:
    """An error of ``kind`` with ``args``, its attributes restored by pickle (not by ``__init__``)."""
    return kind.__new__(kind, *args)
