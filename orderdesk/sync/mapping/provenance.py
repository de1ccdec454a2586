"""Where a mapping rule's raw value comes from (the optional ``provenance`` of a rule): the seed article,
a public document, or an assumption a supervisor should confirm and correct by importing a new version."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# basis → (zh, en), as the CLI and the console name it
BASES: dict[str, tuple[str, str]] = {
    "seed-article": ("种子文章", "seed article"),
    "public-doc": ("公开文档", "public document"),
    "assumed": ("假设,待确认", "assumed, to be confirmed"),
}


@dataclass(frozen=True, slots=True)
class Provenance:
    basis: str  # seed-article, public-doc, assumed; "" when the rule does not say
    note_zh: str
    note_en: str
    reference: str | None

    @property
    def assumed(self) -> bool:
        return self.basis == "assumed"

    def basis_label(self, english: bool) -> str:
        zh, en = BASES.get(self.basis, ("未单独注明,见映射表出处", "not stated: see the table's references"))
        return en if english else zh

    def as_json(self) -> dict[str, Any] | None:
        if not self.basis:
            return None
        found: dict[str, Any] = {"basis": self.basis, "note": {"zh": self.note_zh, "en": self.note_en}}
        if self.reference:
            found["reference"] = self.reference
        return found


UNSTATED = Provenance("", "", "", None)


def of_rule(rule: Mapping[str, Any]) -> Provenance:
    """The rule's provenance, or :data:`UNSTATED` for a rule that does not give one."""
    given = rule.get("provenance")
    if not given:
        return UNSTATED
    return Provenance(given["basis"], given["note"]["zh"], given["note"]["en"], given.get("reference"))


def assumed_rules(document: Mapping[str, Any]) -> list[str]:
    """The ids of a table's rules that rest on an assumption."""
    return [rule["id"] for rule in document["rules"] if of_rule(rule).assumed]
