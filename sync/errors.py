"""The one bilingual error type. Everything a person may be told — a printer that refused, a
keyring that is missing, a damaged file — is a :class:`BilingualError` (or a subclass) carrying its
English form (``en``, also ``str()``) and its Chinese form (``zh``), in that argument order.
Which subclass means what:

- ``printing.errors.PrintingError``: a label cannot be made or delivered; ``PrinterUnreachable``:
  the printer did not take it.
- ``sync.credentials.CredentialsError``: the OS keyring is missing or refused.
"""

from __future__ import annotations


class BilingualError(Exception):
    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en)
        self.en = en
        self.zh = zh

    def __reduce__(self) -> tuple[object, ...]:  # crosses process boundaries intact
        return (type(self), (self.en, self.zh))
