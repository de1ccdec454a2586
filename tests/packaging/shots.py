"""What `orderdesk demo --screenshots DIR` must leave behind, wherever OrderDesk was installed from:
one folder per language and size, a PNG per workspace of the demo's supervisor, each of the size
asked for and showing a drawn window (many colours, no colour filling nearly all of it)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from PIL import Image

CHECKOUT = Path(__file__).resolve().parents[2]
SIZES = ((1280, 720), (1600, 1000))  # orderdesk.app.ui.app.SCREENSHOT_SIZES
# The demo signs in as the supervisor, who has every workspace.
WORKSPACES = {"packing", "orders", "finance", "supervision", "inventory", "settings"}
MIN_COLOURS = 64  # a drawn workspace has hundreds (text antialiasing, icons); a blank or black grab has 1 or 2
MAX_SHARE_OF_ONE_COLOUR = 0.97


def check_screenshots(folder: Path, language: str = "zh_CN") -> list[Path]:
    """Every workspace at every size, as a real picture; returns the PNG files looked at."""
    seen: list[Path] = []
    for width, height in SIZES:
        where = folder / f"{language}-{width}x{height}"
        names = {p.stem for p in where.glob("*.png")}
        assert names >= WORKSPACES, f"{where}: missing {sorted(WORKSPACES - names)} (found {sorted(names)})"
        for name in sorted(names):
            path = where / f"{name}.png"
            with Image.open(path) as image:
                assert image.format == "PNG", path
                assert image.size == (width, height), f"{path}: {image.size}, not {(width, height)}"
                colours = image.convert("RGB").getcolors(maxcolors=width * height)
            assert colours is not None
            most = max(count for count, _ in colours)
            assert len(colours) >= MIN_COLOURS, f"{path}: only {len(colours)} colours, a blank window?"
            assert most / (width * height) <= MAX_SHARE_OF_ONE_COLOUR, f"{path}: one colour fills {most} pixels"
            seen.append(path)
    return seen


def run_demo(
    command: Sequence[str | os.PathLike[str]],
    shots: Path,
    cwd: Path,
    env: dict[str, str],
    *,
    log: Path,
    timeout: float = 420,
) -> float:
    """`COMMAND demo --orders 300 --screenshots SHOTS` offscreen in ``cwd``; its seconds. Output goes to
    ``log``, shown when it fails."""
    started = time.monotonic()
    with log.open("wb") as out:
        done = subprocess.run(
            [*command, "demo", "--orders", "300", "--screenshots", str(shots)],
            cwd=cwd,
            env={**env, "QT_QPA_PLATFORM": "offscreen"},
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            timeout=timeout,
        )
    took = time.monotonic() - started
    if done.returncode != 0:
        tail = log.read_text(errors="replace")[-4000:]
        raise AssertionError(f"the demo exited {done.returncode} after {took:.0f} s:\n{tail}")
    sys.stderr.write(f"demo --screenshots: {took:.1f} s\n")
    return took


def clean_environment(path: str) -> dict[str, str]:
    """An environment with nothing of this checkout or its venv: only PATH, HOME, locale and a temp dir."""
    kept = {k: v for k, v in os.environ.items() if k in {"HOME", "LANG", "LC_ALL", "TMPDIR", "USER", "LOGNAME"}}
    return {**kept, "PATH": path}
