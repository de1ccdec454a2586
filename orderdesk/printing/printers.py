"""The printers a workstation knows, kept in `printers.json` in the user's config folder (the
console's settings and `orderdesk printers add|edit|remove|default` write it)::

    {"version": 2, "default": "packing-1",
     "printers": {"packing-1": {"profile": "tspl-203-76x130",
                                "transport": {"kind": "tcp", "host": "10.1.2.3", "port": 9100}}}}

Plus one printer that is always there and works on any machine, CUPS or not: ``pdf-folder``, PDF
labels saved into Documents/OrderDesk/labels. It is the default until another printer is made the
default. The shipped profiles are the kinds of printer a user makes a printer from, not printers.
An entry that cannot work stays in the file as it is and is reported (``problems``), never dropped;
the other printers go on working. The first format (every key a printer, no version) is still read."""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from orderdesk.printing.delivery import Transport
from orderdesk.printing.errors import PrinterSettingRefused, PrintingError
from orderdesk.printing.printer_spec import PrinterSpec, check_name
from orderdesk.printing.profiles import PrinterProfile, load_profile, profile_names
from orderdesk.sync.paths import config_dir

BUILT_IN = PrinterSpec("pdf-folder", "pdf-76x130", "file")
VERSION = 2


def printers_file() -> Path:
    return config_dir() / "printers.json"


@dataclass(frozen=True)
class Printer:
    name: str
    profile: PrinterProfile
    transport: Transport
    configured: bool  # kept in printers.json (else built in, or made for one command: `--to`)
    spec: PrinterSpec | None = None  # as set up; None for a printer made in code

    @classmethod
    def of(cls, spec: PrinterSpec, *, configured: bool) -> Printer:
        return cls(spec.name, load_profile(spec.profile), spec.transport(), configured, spec)


@dataclass(frozen=True)
class PrinterList:
    specs: list[PrinterSpec]  # the built-in printer first, then the configured ones by name
    default: str
    configured: frozenset[str]
    problems: list[PrintingError] = field(default_factory=list)  # entries that cannot work, in words


class PrinterBook:
    """Reading and changing printers.json. Every change reads the file afresh, changes one entry and
    replaces the file atomically; entries it does not touch are written back exactly as they were."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or printers_file()

    # -- reading ----------------------------------------------------------------------------------
    def _document(self) -> tuple[dict[str, Any], PrintingError | None]:
        """``{"default": …, "printers": {name: entry}}`` as stored, and why the file is unreadable."""
        try:
            stored = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {"default": None, "printers": {}}, None
        except (OSError, ValueError) as exc:
            return {"default": None, "printers": {}}, PrintingError(
                en=f"{self.path} cannot be read ({exc}): only the built-in printer is offered; the next change keeps a "
                "copy of it beside it",
                zh=f"无法读取 {self.path}({exc}):只提供内置打印机;下次修改时会在旁边保留它的副本",
            )
        if isinstance(stored, dict) and "version" in stored:
            printers = stored.get("printers")
            return {"default": stored.get("default"), "printers": printers if isinstance(printers, dict) else {}}, None
        if isinstance(stored, dict):  # the first format: every key a printer
            return {"default": None, "printers": stored}, None
        return {"default": None, "printers": {}}, PrintingError(
            en=f"{self.path}: expected an object of printers", zh=f"{self.path}:应为打印机对象"
        )

    def load(self) -> PrinterList:
        document, unreadable = self._document()
        problems = [unreadable] if unreadable else []
        specs: dict[str, PrinterSpec] = {BUILT_IN.name: BUILT_IN}
        configured: set[str] = set()
        for name, entry in sorted(document["printers"].items()):
            try:
                spec = PrinterSpec.from_json(name, entry)
            except PrintingError as exc:
                problems.append(PrintingError(en=f"{self.path}: printer {name!r}: {exc.en}",
                                              zh=f"{self.path}:打印机 {name!r}:{exc.zh}"))  # fmt: skip
                continue
            specs[spec.name] = spec
            configured.add(spec.name)
        default = document["default"]
        if default is not None and default not in specs:
            problems.append(PrintingError(
                en=f"the default printer {default!r} is not set up (or cannot work): using {BUILT_IN.name}",
                zh=f"默认打印机 {default!r} 未设置(或设置有误):改用 {BUILT_IN.name}"))  # fmt: skip
        chosen = default if default in specs else BUILT_IN.name
        ordered = [specs.pop(BUILT_IN.name), *specs.values()]
        return PrinterList(ordered, chosen, frozenset(configured), problems)

    def printers(self) -> list[Printer]:
        listing = self.load()
        return [Printer.of(spec, configured=spec.name in listing.configured) for spec in listing.specs]

    def get(self, name: str | None = None) -> Printer:
        """The printer called ``name``; empty or None: the default printer."""
        listing = self.load()
        wanted = name or listing.default
        for spec in listing.specs:
            if spec.name == wanted:
                return Printer.of(spec, configured=spec.name in listing.configured)
        names = ", ".join(spec.name for spec in listing.specs)
        if wanted in profile_names():
            raise PrinterSettingRefused(
                "printer", wanted,
                en=f"no such printer: that is a printer profile, what a printer is made from (Settings → Printers → "
                f"Add, or `orderdesk printers add NAME --profile {wanted} --to …`); printers: {names}",
                zh=f"没有此打印机:这是打印机配置,用来添加打印机(“设置 → 打印机 → 添加”,或 "
                f"`orderdesk printers add 名称 --profile {wanted} --to …`);现有打印机:{names}",
            )  # fmt: skip
        raise PrinterSettingRefused(
            "printer", wanted, en=f"no such printer; there are: {names}", zh=f"没有此打印机;现有:{names}"
        )

    def default(self) -> Printer:
        return self.get(None)

    # -- changing ---------------------------------------------------------------------------------
    def add(self, spec: PrinterSpec) -> PrinterSpec:
        spec = spec.checked()
        document, _ = self._document()
        if spec.name == BUILT_IN.name or spec.name in document["printers"]:
            raise PrinterSettingRefused(
                "name", spec.name, en="a printer of this name exists: choose another name, or edit that printer",
                zh="已有同名打印机:请换一个名称,或编辑那台打印机",
            )  # fmt: skip
        document["printers"][spec.name] = spec.as_json()
        self._write(document)
        return spec

    def edit(self, name: str, spec: PrinterSpec) -> PrinterSpec:
        """Change printer ``name`` (its name too); the default follows a rename. Editing the built-in
        printer keeps the edited one in the file under its name."""
        spec = spec.checked()
        document, _ = self._document()
        if name != BUILT_IN.name and name not in document["printers"]:
            raise PrinterSettingRefused("printer", name, en="no such printer", zh="没有此打印机")
        if spec.name != name and (spec.name == BUILT_IN.name or spec.name in document["printers"]):
            raise PrinterSettingRefused(
                "name",
                spec.name,
                en="a printer of this name exists: choose another name",
                zh="已有同名打印机:请换一个名称",
            )
        document["printers"].pop(name, None)
        document["printers"][spec.name] = spec.as_json()
        if document["default"] == name:
            document["default"] = spec.name
        self._write(document)
        return spec

    def remove(self, name: str) -> str:
        """Remove printer ``name`` (an entry that cannot work too); returns the default printer's name
        afterwards (the built-in one when the default was removed)."""
        document, _ = self._document()
        if name not in document["printers"]:
            if name == BUILT_IN.name:
                raise PrinterSettingRefused(
                    "printer", name, en="the built-in printer cannot be removed (it saves PDF files when nothing else "
                    "works); make another printer the default instead",
                    zh="内置打印机不能删除(其他打印机都不可用时,它仍能保存 PDF 文件);请把其他打印机设为默认",
                )  # fmt: skip
            raise PrinterSettingRefused("printer", name, en="no such printer", zh="没有此打印机")
        del document["printers"][name]
        if document["default"] == name:
            document["default"] = None
        self._write(document)
        return self.load().default

    def set_default(self, name: str) -> Printer:
        printer = self.get(check_name(name))  # refuses a name that is not a working printer
        document, _ = self._document()
        document["default"] = None if name == BUILT_IN.name else name
        self._write(document)
        return printer

    def _write(self, document: dict[str, Any]) -> None:
        _, unreadable = self._document()
        if unreadable is not None and self.path.exists():  # nothing is lost: the unreadable file is kept
            self.path.replace(self.path.with_name(f"{self.path.name}.unreadable-{time.strftime('%Y%m%d%H%M%S')}"))
        stored = {"version": VERSION, "default": document["default"], "printers": document["printers"]}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".printers-")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(stored, file, ensure_ascii=False, indent=2)
        os.replace(temporary, self.path)


def list_printers() -> list[Printer]:
    return PrinterBook().printers()


def get_printer(name: str | None = None) -> Printer:
    """The printer called ``name`` in the user's printers.json; empty or None: the default printer."""
    return PrinterBook().get(name)
