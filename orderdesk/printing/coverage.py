"""Which characters a printer profile prints as written, and what it does with the others.

Raster and vector profiles: a character is printed as written when a *base* font of the chain has
a glyph for it (each font's cmap, read with fontTools). Resident profiles: when the printer's charset
encodes it (gb18030's four-byte supplementary-plane codes excepted: resident fonts do not carry
those glyphs). Anything else falls back, in this order:

1. ``font``: a fallback font of the chain has the glyph (it prints, in another typeface);
2. ``pinyin``: pypinyin's reading with tone marks, capitalised in names (龘 → Dá); without tone
   marks if the profile cannot print those;
3. ``marker``: ``[U+2003E]``, readable and carrying the code point.

Never dropped, never a `.notdef` box, never `?` — except the invisible format characters and
variation selectors that text people wrote may carry (sync/text_rules.py): those are left out
(``removed``), the characters they belong to print."""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

# Single characters only: pypinyin's phrase dictionary (0.4 s to import, measured) is never needed,
# and its dictionaries are not customised, so they need no private copy.
os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")
os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")

from pypinyin import Style, lazy_pinyin

from orderdesk.printing.errors import PrintingError
from orderdesk.printing.profiles import PrinterProfile
from orderdesk.sync.text_rules import left_off_labels

MARKER_ALPHABET = "[]U+0123456789ABCDEF…"
NAME_FIELDS = frozenset({"receiver_name", "sender_name"})
_SPACES = str.maketrans({"\r": " ", "\n": " ", "\t": " ", "\u3000": " "})


class Decision(NamedTuple):
    face: int | None  # the chain's font that draws it (None in resident mode)
    method: str | None  # None: printed as written; else font | pinyin | marker | removed
    replacement: str


def codepoint(char: str) -> str:
    return f"U+{ord(char):04X}"


def marker(char: str) -> str:
    return f"[{codepoint(char)}]"


def _ranges(codes: set[int]) -> str:
    """A regex character class body for ``codes``, as merged ranges."""
    parts: list[str] = []
    ordered = sorted(codes)
    start = prev = ordered[0] if ordered else 0
    for code in [*ordered[1:], -1]:
        if code == prev + 1:
            prev = code
            continue
        parts.append(re.escape(chr(start)) if start == prev else f"{re.escape(chr(start))}-{re.escape(chr(prev))}")
        start = prev = code
    return "".join(parts)


@cache
def _charset_codes(charset: str) -> frozenset[int]:
    codes: set[int] = set()
    for code in range(0x20, 0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        try:
            chr(code).encode(charset)
        except UnicodeEncodeError:
            continue
        codes.add(code)
    return frozenset(codes)


@cache
def _tspl_unsafe(charset: str) -> frozenset[int]:
    """Characters whose encoding holds a backslash byte (GBK's second bytes reach 0x5C)."""
    return frozenset(c for c in _charset_codes(charset) if 0x5C in chr(c).encode(charset))


@dataclass(frozen=True)
class CharPolicy:
    """How one profile prints each character; built once per profile (see :func:`policy`)."""

    profile: PrinterProfile
    plain: frozenset[int]  # printed as written
    needs_attention: re.Pattern[str]  # finds the first character that is not

    def face(self, char: str) -> int | None:
        return None if self.profile.text_mode == "resident" else self.profile.fonts().face_for(char)

    def decide(self, char: str, field: str) -> Decision:
        if ord(char) in self.plain:
            return Decision(self.face(char), None, char)
        if left_off_labels(char):  # an invisible joiner, selector or soft hyphen: nothing to print
            return Decision(None, "removed", "")
        if unicodedata.category(char)[0] == "C":  # controls, bidi controls, unassigned
            return Decision(None, "marker", marker(char))
        fallback = self.face(char)  # not plain, so a fallback font's
        if fallback is not None:
            return Decision(fallback, "font", char)
        if unicodedata.category(char)[0] != "Z":
            reading = lazy_pinyin(char, style=Style.TONE, errors="ignore")  # no reading: an empty list
            if reading and reading[0] and reading[0] != char:
                for candidate in (reading[0], lazy_pinyin(char, style=Style.NORMAL)[0]):
                    text = candidate.capitalize() if field in NAME_FIELDS else candidate
                    if all(ord(c) in self.plain for c in text):
                        return Decision(None, "pinyin", text)
        return Decision(None, "marker", marker(char))


@cache
def policy(profile: PrinterProfile) -> CharPolicy:
    if profile.text_mode == "resident":
        codes = set(_charset_codes(str(profile.resident_charset)))
        codes -= {c for c in codes if unicodedata.category(chr(c))[0] == "C"}  # DEL, and C1 in gbk
        if profile.language == "tspl":  # a quoted TSPL string takes no backslash byte (see tspl.py)
            codes -= _tspl_unsafe(str(profile.resident_charset))
    else:
        codes = set()
        for face in profile.fonts().faces:
            if face.base:
                codes |= face.codepoints
        codes &= {c for c in codes if unicodedata.category(chr(c))[0] != "C"}
    codes.discard(ord("\u3000"))
    codes.add(ord(" "))
    missing = [c for c in MARKER_ALPHABET if ord(c) not in codes]
    if missing:
        raise PrintingError(
            en=f"printer profile {profile.name}: its base fonts cannot print {''.join(missing)!r}, needed for markers",
            zh=f"打印机配置 {profile.name}:基础字体缺少标记所需的字符 {''.join(missing)!r}",
        )
    return CharPolicy(profile, frozenset(codes), re.compile(f"[^{_ranges(codes)}]"))


def normalise(text: str) -> str:
    """Line breaks and tabs in customer text become spaces (a bare CR/LF would end a printer
    command); everything else is kept for the decisions above."""
    return text.translate(_SPACES)
