"""Where the bundled data lives (mapping tables, templates, fonts, printer profiles)."""

from __future__ import annotations

from pathlib import Path

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
MAPPINGS_DIR = RESOURCES / "mappings"
