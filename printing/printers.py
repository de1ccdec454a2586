"""The printers a workstation knows: one per shipped profile (its default transport), plus those
set up on this machine in `printers.json` in the user's config folder (the console's settings write
it): ``{"warehouse-1": {"profile": "zpl-203-76x130", "transport": {"kind": "tcp", "host": "10.0.0.9"}}}``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from printing.errors import PrintingError
from printing.profiles import PrinterProfile, load_profile, profile_names
from printing.transports import Transport, transport_from
from sync.paths import config_dir


def printers_file() -> Path:
    return config_dir() / "printers.json"


@dataclass(frozen=True)
class Printer:
    name: str
    profile: PrinterProfile
    transport: Transport
    configured: bool  # set up on this machine (else a shipped profile's default)


def _configured() -> dict[str, dict[str, Any]]:
    path = printers_file()
    if not path.is_file():
        return {}
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise PrintingError(f"{path}: {exc}", f"{path}:{exc}") from exc
    if not isinstance(document, dict):
        raise PrintingError(f"{path}: expected an object of printers", f"{path}:应为打印机对象")
    return document


def list_printers() -> list[Printer]:
    printers = [Printer(n, p := load_profile(n), transport_from(p.transport), False) for n in profile_names()]
    for name, spec in sorted(_configured().items()):
        try:
            profile = load_profile(str(spec["profile"]))
            transport = transport_from({**profile.transport, **spec.get("transport", {})})
        except (KeyError, TypeError) as exc:
            raise PrintingError(
                f"{printers_file()}: printer {name!r} needs a profile ({exc})",
                f"{printers_file()}:打印机 {name!r} 需要 profile({exc})",
            ) from exc
        printers = [p for p in printers if p.name != name] + [Printer(name, profile, transport, True)]
    return printers


def get_printer(name: str) -> Printer:
    for printer in list_printers():
        if printer.name == name:
            return printer
    names = ", ".join(p.name for p in list_printers())
    raise PrintingError(f"no printer {name!r}; there are: {names}", f"没有打印机 {name!r};现有:{names}")
