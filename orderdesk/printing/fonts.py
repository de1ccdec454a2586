"""A printer profile's font chain: which font has a glyph for which character, and how wide it is.

Coverage is read from each font's own cmap with fontTools (never guessed from Unicode blocks), and
advance widths from its hmtx table, so the layout measures text the same way for every renderer.
A chain entry is either bundled (`resources/fonts/`, the same on every packer's machine) or a system
font looked up in the platform's font folders; a system font that is not installed is skipped and
reported, so a preflight on that machine still tells the truth about that machine."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont

from orderdesk.sync.resources import RESOURCES

FONTS_DIR = RESOURCES / "fonts"


def system_font_dirs() -> list[Path]:
    home = Path.home()
    if sys.platform == "win32":
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        local = Path(os.environ.get("LOCALAPPDATA", home)) / "Microsoft" / "Windows" / "Fonts"
        return [windir / "Fonts", local]
    if sys.platform == "darwin":
        return [Path("/System/Library/Fonts"), Path("/Library/Fonts"), home / "Library" / "Fonts"]
    data_dirs = os.environ.get("XDG_DATA_DIRS", "/usr/local/share:/usr/share").split(":")
    return [Path(d) / "fonts" for d in data_dirs] + [home / ".local" / "share" / "fonts", home / ".fonts"]


def find_system_font(file_name: str) -> Path | None:
    for folder in system_font_dirs():
        if folder.is_dir():
            for path in folder.rglob(file_name):
                return path
    return None


@dataclass(frozen=True, eq=False)  # one per file and role (load_face is cached): identity is enough
class FontFace:
    """One font file of a chain. ``base`` fonts render text as written; a character found only in a
    fallback font is a substitution the packer is told about (it prints in another typeface)."""

    name: str  # the file's stem, also the name renderers register it under
    path: Path
    base: bool
    codepoints: frozenset[int]
    advances: dict[int, float]  # code point → advance width in em
    ascent: float  # em
    descent: float  # em, positive

    def advance(self, char: str) -> float:
        return self.advances.get(ord(char), 0.5)


@cache
def load_face(path: Path, base: bool) -> FontFace:
    font = TTFont(path, lazy=True, fontNumber=0)
    if "glyf" not in font:
        raise ValueError(f"font {path.name}: has no TrueType (glyf) outlines; the PDF renderer cannot embed it")
    cmap = font.getBestCmap()
    metrics = font["hmtx"].metrics
    per_em = font["head"].unitsPerEm
    advances = {code: metrics[glyph][0] / per_em for code, glyph in cmap.items() if glyph in metrics}
    hhea = font["hhea"]
    face = FontFace(
        name=path.stem,
        path=path,
        base=base,
        codepoints=frozenset(cmap),
        advances=advances,
        ascent=hhea.ascent / per_em,
        descent=-hhea.descent / per_em,
    )
    font.close()
    return face


@dataclass(frozen=True)
class FontChain:
    faces: tuple[FontFace, ...]
    missing: tuple[str, ...] = field(default=())  # system fonts the profile names that are not installed

    def face_for(self, char: str) -> int | None:
        """Index of the first face with a glyph for ``char`` (None: no face has one)."""
        code = ord(char)
        for index, face in enumerate(self.faces):
            if code in face.codepoints:
                return index
        return None

    def covers(self, text: str) -> bool:
        return all(self.face_for(char) is not None for char in text)

    def width(self, text: str) -> float:
        """Width of ``text`` in em, each character in the first face that has it."""
        total = 0.0
        for char in text:
            index = self.face_for(char)
            total += self.faces[index].advance(char) if index is not None else 1.0
        return total


def resolve(entry: dict[str, object]) -> Path | None:
    if "bundled" in entry:
        path = FONTS_DIR / str(entry["bundled"])
        if not path.is_file():
            raise FileNotFoundError(f"bundled font {entry['bundled']!r} is not in {FONTS_DIR}")
        return path
    if "path" in entry:
        path = Path(str(entry["path"])).expanduser()
        return path if path.is_file() else None
    return find_system_font(str(entry["system"]))


@cache
def _chain(entries: tuple[tuple[tuple[str, object], ...], ...]) -> FontChain:
    faces: list[FontFace] = []
    missing: list[str] = []
    for items in entries:
        entry = dict(items)
        path = resolve(entry)
        if path is None:
            missing.append(str(entry.get("system") or entry.get("path")))
            continue
        faces.append(load_face(path, entry.get("role", "base") == "base"))
    return FontChain(tuple(faces), tuple(missing))


def font_chain(entries: list[dict[str, object]]) -> FontChain:
    """The chain a profile's ``fonts`` list describes (loaded once per process)."""
    return _chain(tuple(tuple(sorted(entry.items())) for entry in entries))
