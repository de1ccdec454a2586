"""Printer profiles (`resources/printers/*.json`) and label templates (`resources/templates/*.json`),
each validated against its JSON Schema; a refused file names the JSON path of the first error."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema.exceptions import best_match

from orderdesk.printing.errors import PrintingError
from orderdesk.printing.fonts import FontChain, font_chain
from orderdesk.sync.resources import RESOURCES

PRINTERS_DIR = RESOURCES / "printers"
TEMPLATES_DIR = RESOURCES / "templates"
MM_PER_INCH = 25.4
SUFFIX = {"pdf": ".pdf", "zpl": ".zpl", "tspl": ".tspl", "escpos": ".escpos"}  # a label file's, by language


@cache
def _validator(schema_path: Path) -> jsonschema.Draft202012Validator:
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _load(path: Path, schema_path: Path, *, what_en: str, what_zh: str) -> dict[str, Any]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise PrintingError(en=f"{what_en} {path.name}: {exc}", zh=f"{what_zh} {path.name}:{exc}") from exc
    error = best_match(_validator(schema_path).iter_errors(document))
    if error is not None:
        raise PrintingError(
            en=f"{what_en} {path.name}: {error.json_path}: {error.message}",
            zh=f"{what_zh} {path.name}:{error.json_path}:{error.message}",
        )
    return document


@dataclass(frozen=True, eq=False)  # compared and cached by identity: load_profile makes each once
class PrinterProfile:
    name: str
    document: dict[str, Any]

    @property
    def language(self) -> str:
        return str(self.document["language"])

    @property
    def dpi(self) -> int:
        return int(self.document["dpi"])

    @property
    def text_mode(self) -> str:
        return str(self.document["text_mode"])

    @property
    def resident_charset(self) -> str | None:
        return self.document["resident"]["charset"] if self.text_mode == "resident" else None

    @property
    def resident_font(self) -> str:
        return str(self.document["resident"]["font"])

    @property
    def width_mm(self) -> float:
        return float(self.document["label"]["width_mm"])

    @property
    def height_mm(self) -> float:
        return float(self.document["label"]["height_mm"])

    @property
    def gap_mm(self) -> float:
        return float(self.document["label"].get("gap_mm", 2))

    @property
    def template(self) -> str:
        return str(self.document["template"])

    @property
    def suggested_transport(self) -> dict[str, Any]:
        """How a printer of this kind usually receives labels (kind, port): a new printer starts
        from it; the address is the printer's own, never the profile's."""
        return dict(self.document.get("transport", {"kind": "file"}))

    def title(self, language: str) -> str:
        return str(self.document["title"]["en" if language == "en" else "zh"])

    def dots(self, mm: float) -> int:
        return round(mm * self.dpi / MM_PER_INCH)

    @property
    def width_dots(self) -> int:
        """Whole bytes per row: printers take bitmaps in bytes, so the width is rounded up to 8 dots."""
        return (self.dots(self.width_mm) + 7) // 8 * 8

    @property
    def height_dots(self) -> int:
        return self.dots(self.height_mm)

    def fonts(self) -> FontChain:
        return font_chain(self.document["fonts"])


def profile_from_document(document: dict[str, Any], origin: str = "<document>") -> PrinterProfile:
    error = best_match(_validator(PRINTERS_DIR / "profile.schema.json").iter_errors(document))
    if error is not None:
        raise PrintingError(
            en=f"printer profile {origin}: {error.json_path}: {error.message}",
            zh=f"打印机配置 {origin}:{error.json_path}:{error.message}",
        )
    return PrinterProfile(document["name"], document)


def profile_names() -> list[str]:
    return sorted(p.stem for p in PRINTERS_DIR.glob("*.json") if not p.name.endswith(".schema.json"))


@cache
def load_profile(name: str) -> PrinterProfile:
    path = PRINTERS_DIR / f"{name}.json"
    if "/" in name or not path.is_file():
        raise PrintingError(
            en=f"no printer profile {name!r}; there are: {', '.join(profile_names())}",
            zh=f"没有打印机配置 {name!r};现有:{', '.join(profile_names())}",
        )
    document = _load(path, PRINTERS_DIR / "profile.schema.json", what_en="printer profile", what_zh="打印机配置")
    if document["name"] != name:
        raise PrintingError(
            en=f"printer profile {path.name}: $.name {document['name']!r} differs from the file name",
            zh=f"打印机配置 {path.name}:$.name {document['name']!r} 与文件名不一致",
        )
    return PrinterProfile(name, document)


def template_names() -> list[str]:
    return sorted(p.stem for p in TEMPLATES_DIR.glob("*.json") if not p.name.endswith(".schema.json"))


def template_for(profile: PrinterProfile, name: str | None) -> dict[str, Any]:
    """The template a label is laid out with: ``name``, or (empty) the profile's own. A template of
    another label size than the profile's is refused: it would print cut off or shrunk."""
    template = load_template(name or profile.template)
    width, height = float(template["width_mm"]), float(template["height_mm"])
    if not _fits(template, profile):
        raise PrintingError(
            en=f"label template {template['name']} is {width:g}×{height:g} mm but printer profile {profile.name} prints "
            f"{profile.width_mm:g}×{profile.height_mm:g} mm labels: choose a template of that size (or the profile's "
            "own) in Settings",
            zh=f"面单模板 {template['name']} 为 {width:g}×{height:g} 毫米,而打印机配置 {profile.name} 打印 "
            f"{profile.width_mm:g}×{profile.height_mm:g} 毫米的面单:请在设置中选择同尺寸的模板(或配置自带的模板)",
        )
    return template


def _fits(template: dict[str, Any], profile: PrinterProfile) -> bool:
    return (abs(float(template["width_mm"]) - profile.width_mm) <= 0.5
            and abs(float(template["height_mm"]) - profile.height_mm) <= 0.5)  # fmt: skip


def templates_for(profile: PrinterProfile) -> list[str]:
    """The templates whose label size is the profile's."""
    return [name for name in template_names() if _fits(load_template(name), profile)]


@cache
def load_template(name: str) -> dict[str, Any]:
    path = TEMPLATES_DIR / f"{name}.json"
    if "/" in name or not path.is_file():
        raise PrintingError(
            en=f"no label template {name!r}; there are: {', '.join(template_names())}",
            zh=f"没有面单模板 {name!r};现有:{', '.join(template_names())}",
        )
    return _load(path, TEMPLATES_DIR / "template.schema.json", what_en="label template", what_zh="面单模板")
