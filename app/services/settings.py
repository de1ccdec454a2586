"""The console's settings: typed, with defaults, in `settings.json` in the user's config folder.
No secrets here: tokens live in the keyring."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from sync.paths import config_dir

log = logging.getLogger(__name__)


def settings_file() -> Path:
    return config_dir() / "settings.json"


@dataclass
class Settings:
    hub_url: str = "http://127.0.0.1:8765"
    printer: str = "pdf-76x130"  # a name from `orderdesk printers list`
    template: str = ""  # empty: the printer profile's own
    language: str = "zh_CN"  # zh_CN or en
    sync_interval_s: float = 5.0
    scan_days: float = 7.0

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        path = path or settings_file()
        try:
            stored: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as exc:  # a damaged file: defaults, and say so in the log
            log.warning("settings %s unreadable (%s): using defaults", path, exc)
            return cls()
        made = cls()
        for f in fields(cls):
            value = stored.get(f.name)
            default = getattr(made, f.name)
            if isinstance(value, type(default)) or (isinstance(default, float) and isinstance(value, int)):
                setattr(made, f.name, type(default)(value))
        if made.language not in ("zh_CN", "en"):
            made.language = "zh_CN"
        return made

    def save(self, path: Path | None = None) -> None:
        path = path or settings_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=2), encoding="utf-8")
        temporary.replace(path)
