"""Where the bundled data lives (mapping tables, templates, fonts, printer profiles, translations,
icons): the package ``orderdesk.resources``, found through importlib.resources, so a checkout, an
installed wheel and a PyInstaller bundle all answer the same way."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def _on_disk() -> Path:
    found = resources.files("orderdesk.resources")
    path = Path(str(found))
    if not (path / "mappings").is_dir():  # a zip import: fonts and translations are opened by path
        raise RuntimeError(f"OrderDesk's resources are not on disk ({found}): install it unzipped")
    return path


RESOURCES = _on_disk()
MAPPINGS_DIR = RESOURCES / "mappings"
