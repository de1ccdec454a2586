"""Which invisible and direction-changing characters text may carry: the one rule for every way text
comes in (the wire contract, so the hub's ingest, `orders import` and quarantine resubmit) and for
what labels do with text already cached. docs/orders.md, "Text a record may carry", says it in words.

- **Refused** everywhere (the record goes to quarantine, naming the field, the code point and the
  position): controls (C0, DEL, C1); every bidirectional control (U+061C, U+200E/F, U+202A–202E,
  U+2066–2069): they make text display in another order than it is stored, so an address could read
  differently on screen, on the label and in the bytes; line and paragraph separators (a field is one
  line); interlinear annotation characters (they carry hidden text); private-use characters,
  noncharacters and lone surrogates (they name no character).
- In **codes** (channel, shop, order and waybill nos., SKUs, statuses, ids, operator…) every format
  character (Unicode category Cf) is refused as well: a code with an invisible character in it names
  something else.
- In **text people wrote** (receiver name and address, line titles, the buyer's note) the invisible
  format characters that carry nothing a reader sees are **removed**: soft hyphen, zero-width space,
  word joiner, U+FEFF, invisible operators, the deprecated format characters, language and stray tag
  characters, Egyptian, shorthand and musical format controls. They come with copy-and-paste;
  refusing an order for one would stop a real parcel, and removing them makes names that look the
  same equal (search, labels). Then the text is trimmed again, and must still meet its minimum length.
- **Kept**: the zero-width joiner inside an emoji sequence (👨‍👩‍👧); tag characters inside an emoji
  flag sequence (🏴 + tags + cancel tag); ZWJ, ZWNJ and the Mongolian vowel separator between two
  letters of a script whose spelling they change (Arabic script, used for Uyghur; Syriac; N'Ko;
  Indic scripts; Mongolian); and the visible format signs (the Arabic number signs U+0600–0605,
  U+06DD, U+0890–0891, U+08E2, U+070F, the Kaithi number signs), which print as signs.

Labels (printing.coverage): a refused character already in a cache prints as a marker `[U+202E]`; a
removable one, every kept joiner or tag and every variation selector is left out (no label font joins
emoji, shapes joined scripts or selects glyph variants) and reported as `removed`. The console shows
raw payloads (kept as received) with such characters escaped (`visible`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

Ranges = tuple[tuple[int, int], ...]

CONTROLS: Ranges = ((0x00, 0x1F), (0x7F, 0x9F))
BIDI_CONTROLS: Ranges = ((0x061C, 0x061C), (0x200E, 0x200F), (0x202A, 0x202E), (0x2066, 0x2069))
SEPARATORS: Ranges = ((0x2028, 0x2029),)
ANNOTATIONS: Ranges = ((0xFFF9, 0xFFFB),)
PRIVATE_USE: Ranges = ((0xE000, 0xF8FF), (0xF0000, 0xFFFFD), (0x100000, 0x10FFFD))
NONCHARACTERS: Ranges = ((0xFDD0, 0xFDEF), *((p * 0x10000 + 0xFFFE, p * 0x10000 + 0xFFFF) for p in range(17)))
SURROGATES: Ranges = ((0xD800, 0xDFFF),)
REFUSED: dict[str, Ranges] = {
    "control": CONTROLS,
    "bidi": BIDI_CONTROLS,
    "separator": SEPARATORS,
    "annotation": ANNOTATIONS,
    "private": PRIVATE_USE,
    "noncharacter": NONCHARACTERS,
    "surrogate": SURROGATES,
}
# Invisible format characters removed from text people wrote.
REMOVED: Ranges = (
    (0x00AD, 0x00AD), (0x200B, 0x200B), (0x2060, 0x2064), (0x206A, 0x206F), (0xFEFF, 0xFEFF),
    (0x13430, 0x1343F), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0001, 0xE0001),
)  # fmt: skip
# Format characters kept or removed by their neighbours.
ZWNJ, ZWJ, MVS = 0x200C, 0x200D, 0x180E
TAGS: Ranges = ((0xE0020, 0xE007F),)
CONTEXTUAL: Ranges = ((MVS, MVS), (ZWNJ, ZWJ), *TAGS)
# Format characters that print as visible signs.
VISIBLE_FORMAT: Ranges = (
    (0x0600, 0x0605), (0x06DD, 0x06DD), (0x070F, 0x070F), (0x0890, 0x0891), (0x08E2, 0x08E2),
    (0x110BD, 0x110BD), (0x110CD, 0x110CD),
)  # fmt: skip
# Scripts whose spelling ZWJ, ZWNJ or the Mongolian vowel separator change.
JOINING_SCRIPTS: Ranges = (
    (0x0600, 0x06FF), (0x0700, 0x074F), (0x0750, 0x077F), (0x0780, 0x07BF), (0x07C0, 0x07FF),
    (0x0860, 0x08FF), (0x0900, 0x0DFF), (0x1800, 0x18AF), (0xA840, 0xA87F), (0xFB50, 0xFDFF), (0xFE70, 0xFEFC),
)  # fmt: skip
EMOJI: Ranges = ((0x2190, 0x2BFF), (0x1F000, 0x1FAFF))  # arrows and symbols … pictographs, where emoji live
EMOJI_MODIFIERS: Ranges = ((0xFE0F, 0xFE0F), (0x1F3FB, 0x1F3FF), (0x20E3, 0x20E3))  # VS16, skin tones, keycap
BLACK_FLAG, CANCEL_TAG = 0x1F3F4, 0xE007F
VARIATION_SELECTORS: Ranges = ((0x180B, 0x180D), (0x180F, 0x180F), (0xFE00, 0xFE0F), (0xE0100, 0xE01EF))


# What pydantic's strip_whitespace trims (Rust's White_Space: not the C0 separators Python's isspace adds)
WHITE_SPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


def _in(code: int, ranges: Ranges) -> bool:
    return any(low <= code <= high for low, high in ranges)


def _class(ranges: Iterable[tuple[int, int]], rust: bool) -> str:
    """A regex character class body: Rust syntax (pydantic-core's patterns) or Python's."""
    parts = []
    for low, high in ranges:
        if rust:
            parts.append(f"\\x{{{low:X}}}" if low == high else f"\\x{{{low:X}}}-\\x{{{high:X}}}")
        else:
            parts.append(re.escape(chr(low)) if low == high else f"{re.escape(chr(low))}-{re.escape(chr(high))}")
    return "".join(parts)


# Every format character (category Cf) of Unicode 15.1; tests/sync/test_text_rules.py checks each one
# this Python knows is here, and that each is refused, removed, kept or decided by its neighbours.
FORMAT_CHARACTERS: Ranges = (
    (0x00AD, 0x00AD), (0x0600, 0x0605), (0x061C, 0x061C), (0x06DD, 0x06DD), (0x070F, 0x070F),
    (0x0890, 0x0891), (0x08E2, 0x08E2), (0x180E, 0x180E), (0x200B, 0x200F), (0x202A, 0x202E),
    (0x2060, 0x2064), (0x2066, 0x206F), (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB), (0x110BD, 0x110BD),
    (0x110CD, 0x110CD), (0x13430, 0x1343F), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
)  # fmt: skip
_ALL_REFUSED: Ranges = tuple(r for ranges in REFUSED.values() for r in ranges if ranges is not SURROGATES)
# pydantic-core's patterns (Rust regex; a lone surrogate never gets that far: pydantic refuses it first)
TEXT_PATTERN = f"^[^{_class(_ALL_REFUSED, rust=True)}]*$"  # text people wrote: the refused characters
CODE_PATTERN = f"^[^{_class((*_ALL_REFUSED, *FORMAT_CHARACTERS), rust=True)}]*$"  # codes: every format character too
# the same, to say which character and where (record_errors.py)
_REFUSED_IN_TEXT = re.compile(f"[{_class((*_ALL_REFUSED, *SURROGATES), rust=False)}]")
_REFUSED_IN_CODE = re.compile(f"[{_class((*_ALL_REFUSED, *SURROGATES, *FORMAT_CHARACTERS), rust=False)}]")
_ESCAPED = (*_ALL_REFUSED, *SURROGATES, *FORMAT_CHARACTERS)
_SHOWN = ((0x00, 0x09), (0x0B, 0x1F), *(r for r in _ESCAPED if r[0] > 0x1F))  # a line break stays one
_SHOWN_ESCAPED = re.compile(f"[{_class(_SHOWN, rust=False)}]")
_TIDY = re.compile(f"[{_class((*REMOVED, *CONTEXTUAL), rust=False)}]")  # where text needs tidying


def kind_of(char: str) -> str:
    """Why a character is refused: control | bidi | separator | annotation | private | noncharacter |
    surrogate | format (a format character in a code)."""
    code = ord(char)
    for kind, ranges in REFUSED.items():
        if _in(code, ranges):
            return kind
    return "format"


def first_refused(value: str, *, code: bool) -> tuple[int, str] | None:
    """(index, character) of the first character the value may not hold once trimmed as a record's
    text is (the index counts from the start of ``value`` as given), or None."""
    start = len(value) - len(value.lstrip(WHITE_SPACE))
    found = (_REFUSED_IN_CODE if code else _REFUSED_IN_TEXT).search(value, start, len(value.rstrip(WHITE_SPACE)))
    return (found.start(), found.group()) if found else None


def _letter_of(code: int, ranges: Ranges) -> bool:
    return _in(code, ranges) and unicodedata.category(chr(code))[0] in "LM"


def _emoji_before(text: str, index: int) -> bool:
    while index >= 0 and _in(ord(text[index]), EMOJI_MODIFIERS):
        index -= 1
    return index >= 0 and _in(ord(text[index]), EMOJI) and unicodedata.category(text[index]) == "So"


def _kept(text: str, index: int) -> bool:
    """Whether the contextual format character at ``index`` does something where it stands."""
    code = ord(text[index])
    before = ord(text[index - 1]) if index > 0 else None
    after = ord(text[index + 1]) if index + 1 < len(text) else None
    if code in (ZWJ, ZWNJ, MVS) and before is not None and after is not None:
        if _letter_of(before, JOINING_SCRIPTS) and _letter_of(after, JOINING_SCRIPTS):
            return True
        return code == ZWJ and _emoji_before(text, index - 1) and _emoji_before(text, index + 1)
    if _in(code, TAGS):  # a flag's tag sequence: 🏴, tags, cancel tag
        start = index
        while start > 0 and _in(ord(text[start - 1]), TAGS) and ord(text[start - 1]) != CANCEL_TAG:
            start -= 1
        end = index
        while end < len(text) and ord(text[end]) != CANCEL_TAG and _in(ord(text[end]), TAGS):
            end += 1
        complete = end < len(text) and ord(text[end]) == CANCEL_TAG and end > start
        return start > 0 and ord(text[start - 1]) == BLACK_FLAG and complete
    return False


def removable(text: str, index: int) -> bool:
    """Whether the character at ``index`` is one that text people wrote loses (see the module)."""
    code = ord(text[index])
    if _in(code, REMOVED):
        return True
    return _in(code, CONTEXTUAL) and not _kept(text, index)


def left_off_labels(char: str) -> bool:
    """Whether a label leaves the character out: every removable or contextual format character, and
    variation selectors. The base character prints; no label font joins emoji or shapes joined
    scripts, or selects a glyph variant, so the joiner or selector would only print as a marker."""
    code = ord(char)
    return _in(code, REMOVED) or _in(code, CONTEXTUAL) or _in(code, VARIATION_SELECTORS)


def visible(text: str) -> str:
    """Text with every refused or format character shown as its escape (\\u202e) instead of acting
    on the text around it (raw payloads in the console: kept as received, never shown as if plain)."""
    return _SHOWN_ESCAPED.sub(lambda m: f"\\u{ord(m.group()):04x}" if ord(m.group()) < 0x10000
                              else f"\\U{ord(m.group()):08x}", text)  # fmt: skip


def tidy(text: str) -> str:
    """Text people wrote without the invisible characters that do nothing where they stand, trimmed
    again; the common case (none there) costs one regex search and returns ``text`` itself."""
    if _TIDY.search(text) is None:
        return text
    return "".join(char for index, char in enumerate(text) if not removable(text, index)).strip(WHITE_SPACE)
