"""Preflight: every character of every field of a label checked against the printer profile, with
the fallback decided, before anything is printed. What the packer sees is what will print."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from orderdesk.printing.coverage import codepoint, normalise, policy
from orderdesk.printing.label_data import mask_phone
from orderdesk.printing.profiles import PrinterProfile
from orderdesk.sync.said import Said


class Substitution(NamedTuple):
    field: str
    char: str
    codepoint: str  # like U+2003E
    method: str  # font | pinyin | marker | removed (an invisible format character left out) | typed (a person
    # typed what to print instead)
    replacement: str
    font: str | None  # the fallback font's name, for method font

    def as_json(self) -> dict[str, Any]:
        return self._asdict()


class Segment(NamedTuple):
    text: str
    face: int | None  # index in the profile's font chain; None: the printer's resident font


class Problem(NamedTuple):
    field: str
    code: str  # empty | overflow | not_encodable
    said: Said  # what is wrong, for the packer

    def as_json(self) -> dict[str, Any]:
        return {"field": self.field, "code": self.code, "en": self.said.en, "zh": self.said.zh}


@dataclass
class FieldText:
    field: str
    text: str  # what prints, replacements included
    segments: list[Segment]


@dataclass
class Preflight:
    profile: str
    fields: dict[str, FieldText] = field(default_factory=dict)
    substitutions: list[Substitution] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Every character prints as written (a fallback font still prints it; an invisible format
        character left out prints nothing either way) and nothing is wrong."""
        return not self.problems and all(s.method in ("font", "removed") for s in self.substitutions)

    @property
    def markers(self) -> list[Substitution]:
        """Characters no font of the profile has and pinyin cannot spell: they would print as a
        marker like ``[U+2003E]``, which a courier cannot read. A person decides: a typed
        replacement, or printing the marker knowingly."""
        return [s for s in self.substitutions if s.method == "marker"]

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "profile": self.profile,
            "substitutions": [s.as_json() for s in self.substitutions],
            "problems": [p.as_json() for p in self.problems],
            "fields": {name: f.text for name, f in self.fields.items()},
        }


def check_text(
    profile: PrinterProfile, field_name: str, raw: str, typed: Mapping[str, str] | None = None
) -> tuple[FieldText, list[Substitution]]:
    """One field's text: its segments (runs drawn by one font) and the substitutions made.
    ``typed``: what a person typed to print instead of a character (it wins over the fallback)."""
    rules = policy(profile)
    text = normalise(raw)
    fonts = profile.fonts()
    if rules.needs_attention.search(text) is None:  # the common case: one pass in C
        return FieldText(field_name, text, _segments(profile, text)), []
    substitutions: list[Substitution] = []
    segments: list[Segment] = []
    printed: list[str] = []
    for char in text:
        if typed and char in typed:
            replacement = typed[char]
            substitutions.append(Substitution(field_name, char, codepoint(char), "typed", replacement, None))
            printed.append(replacement)
            segments.extend(_segments(profile, replacement))
            continue
        decision = rules.decide(char, field_name)
        if decision.method is not None:
            font = fonts.faces[decision.face].name if decision.face is not None else None
            substitutions.append(
                Substitution(field_name, char, codepoint(char), decision.method, decision.replacement, font)
            )
        printed.append(decision.replacement)
        if decision.method == "font":
            segments.append(Segment(char, decision.face))
        else:
            segments.extend(_segments(profile, decision.replacement))
    return FieldText(field_name, "".join(printed), merge_segments(segments)), substitutions


def _segments(profile: PrinterProfile, text: str) -> list[Segment]:
    if profile.text_mode == "resident":
        return [Segment(text, None)] if text else []
    fonts = profile.fonts()
    return merge_segments([Segment(char, fonts.face_for(char)) for char in text])


def merge_segments(segments: list[Segment]) -> list[Segment]:
    """Neighbouring runs drawn by the same font joined into one."""
    merged: list[Segment] = []
    for segment in segments:
        if merged and merged[-1].face == segment.face:
            merged[-1] = Segment(merged[-1].text + segment.text, segment.face)
        else:
            merged.append(segment)
    return merged


def preflight(
    profile: PrinterProfile,
    template: Mapping[str, Any],
    values: Mapping[str, str],
    typed: Mapping[str, str] | None = None,
) -> Preflight:
    """Check every field the template prints. Text fields are checked as printed (caption and
    masking included); barcode fields must be encodable as they are. ``typed``: replacements a
    person typed for characters that would otherwise print as markers."""
    result = Preflight(profile.name)
    seen: set[tuple[str, str]] = set()
    for index, spec in enumerate(template["fields"]):
        name = spec["field"]
        value = values.get(name, "")
        if not value.strip():
            if spec.get("required"):
                result.problems.append(
                    Problem(
                        name, "empty", Said(en=f"{name} is empty: the label needs it", zh=f"{name} 为空:面单必须有此项")
                    )
                )
            continue
        if spec["kind"] == "code128":
            if not value.isascii() or not value.isprintable():
                result.problems.append(
                    Problem(
                        name,
                        "not_encodable",
                        Said(
                            en=f"{name} {value!r} cannot be a Code 128 barcode (ASCII only)",
                            zh=f"{name} {value!r} 无法编码为 Code 128 条码(仅限 ASCII)",
                        ),
                    )
                )
            continue
        if spec["kind"] == "qr":
            continue  # QR codes carry any text as UTF-8 bytes
        shown = mask_phone(value) if spec.get("mask") == "phone" else value
        text, substitutions = check_text(profile, name, spec.get("caption", "") + shown, typed)
        result.fields[f"{index}:{name}"] = text
        for substitution in substitutions:  # one entry per field and character, however often it occurs
            if (substitution.field, substitution.char) not in seen:
                seen.add((substitution.field, substitution.char))
                result.substitutions.append(substitution)
    return result
