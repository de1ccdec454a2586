"""What OrderDesk says to a person, in both of its languages: one :class:`Said` holds a message's
Chinese and English forms side by side, each named (``Said(zh=…, en=…)``: the order cannot be
swapped by mistake). Errors carry one (``sync.errors.BilingualError.said``); the console and the CLI
each say it in the language chosen there (``app.ui.i18n.pick(said)``, ``app.i18n.tr(said)``).
Never imports Qt."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class Said:
    """One message in Chinese (``zh``) and English (``en``). Either form may be empty (a verdict that
    says nothing); :meth:`text` then gives the other."""

    zh: str
    en: str

    def __post_init__(self) -> None:
        for name in ("zh", "en"):
            if not isinstance(getattr(self, name), str):
                raise TypeError(f"Said.{name} must be text, not {type(getattr(self, name)).__name__}")

    def text(self, language: str) -> str:
        """The form for ``language`` (``en…`` is English, anything else Chinese); the other form when
        that one is empty."""
        first, other = (self.en, self.zh) if language.lower().startswith("en") else (self.zh, self.en)
        return first or other
