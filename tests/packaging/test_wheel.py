"""The wheel installs and runs anywhere (issue #16): built from a copy of this checkout, installed
into a new virtual environment outside it, the console's demo run offscreen from a folder outside it
photographs every workspace, and not one module of the checkout was imported on the way.

Dependencies come from the package index (pip resolves the wheel's own requirements: a missing one
fails here). ORDERDESK_WHEEL_DEPS=borrow instead lends the new environment this checkout's
third-party packages through a .pth file (offline; `pip check` then proves the wheel's requirements are
met, but an undeclared import that the checkout's venv happens to have would go unnoticed)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from orderdesk.sync.cache.migrate import HEAD
from tests.packaging.shots import CHECKOUT, check_screenshots, clean_environment, run_demo

pytestmark = pytest.mark.slow

DEPS = os.environ.get("ORDERDESK_WHEEL_DEPS", "index")
TRACED = r"^# (?:code object|extension module '[^']+' loaded) from '([^']+)'"  # python -v, per module
PROBE = """
import json, sys
import orderdesk, orderdesk.app.cli.main
from importlib import metadata
from orderdesk.sync import resources
from orderdesk.sync.cache import migrate
print(json.dumps({
    "orderdesk": orderdesk.__file__, "version": orderdesk.__version__, "resources": str(resources.RESOURCES),
    "migrations": str(migrate.MIGRATIONS_DIR), "head": migrate.head_revision(),
    "metadata": str(metadata.distribution("orderdesk")._path), "sys_path": sys.path,
}))
"""


def _source_copy(into: Path) -> Path:
    """What the wheel is built from, copied so that the build leaves no build/ or egg-info behind in
    the checkout (other people build and edit there at the same time)."""
    junk = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    into.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(CHECKOUT / name, into / name)
    shutil.copytree(CHECKOUT / "orderdesk", into / "orderdesk", ignore=junk)
    return into


def _pip(*args: str | Path, cwd: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", *map(str, args)], cwd=cwd, check=True)


def _files_under(root: Path) -> set[str]:
    return {
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    }


def test_the_wheel_installs_outside_the_checkout_and_the_demo_runs(tmp_path: Path) -> None:
    assert not tmp_path.is_relative_to(CHECKOUT)
    # The wheel, with build isolation (setuptools >= 77 for the SPDX licence, newer than the venv's).
    source = _source_copy(tmp_path / "src")
    _pip("wheel", source, "--no-deps", "-w", tmp_path / "dist", cwd=tmp_path)
    (wheel,) = (tmp_path / "dist").glob("orderdesk-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        inside = set(archive.namelist())
        entry_points = next(archive.read(n).decode() for n in inside if n.endswith(".dist-info/entry_points.txt"))
    assert "orderdesk = orderdesk.app.cli.main:main" in entry_points
    for name in _files_under(CHECKOUT / "orderdesk" / "resources"):  # every resource travels
        assert f"orderdesk/resources/{name}" in inside, name
    for name in _files_under(CHECKOUT / "orderdesk" / "sync" / "cache" / "migrations"):  # Alembic's, as files
        assert f"orderdesk/sync/cache/migrations/{name}" in inside, name
    assert not [n for n in inside if "__pycache__" in n or n.startswith(("tests/", "bench/"))]

    # A new environment outside the checkout, without pip: the checkout's pip installs into it.
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(
        subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    if DEPS == "borrow":
        _pip("--python", python, "install", "--no-deps", "--no-index", wheel, cwd=tmp_path)
        # Only the directory: .pth files in it (the editable install of orderdesk) are not processed.
        (site / "_orderdesk_borrowed.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
        _pip("--python", python, "check", cwd=tmp_path)
    else:
        _pip("--python", python, "install", wheel, cwd=tmp_path)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = clean_environment(f"{venv / 'bin'}:/usr/bin:/bin") | {"HOME": str(tmp_path / "home")}
    probe = subprocess.run([python, "-c", PROBE], cwd=elsewhere, env=env, check=True, capture_output=True, text=True)
    found = json.loads(probe.stdout)
    assert Path(found["orderdesk"]).is_relative_to(site), found["orderdesk"]
    assert Path(found["resources"]) == site / "orderdesk" / "resources"
    assert Path(found["migrations"]) == site / "orderdesk" / "sync" / "cache" / "migrations"
    assert Path(found["metadata"]).parent == site
    assert found["head"] == HEAD  # Alembic found every migration in the installed package
    lent = [sysconfig.get_paths()["purelib"]] if DEPS == "borrow" else []
    assert [p for p in found["sys_path"] if p and Path(p).is_relative_to(CHECKOUT)] == lent
    version = subprocess.run(
        [venv / "bin" / "orderdesk", "--version"], cwd=elsewhere, env=env, check=True, capture_output=True, text=True
    )
    assert version.stdout.strip() == f"orderdesk {found['version']}"

    # The console's demo through the installed script, every import traced (python -v): nothing of
    # the checkout's orderdesk/ may be read.
    log = tmp_path / "demo.log"
    shots = tmp_path / "shots"
    run_demo([venv / "bin" / "orderdesk"], shots, elsewhere, env | {"PYTHONVERBOSE": "1"}, log=log)
    traced = re.findall(TRACED, log.read_text(errors="replace"), re.MULTILINE)
    ours = [p for p in traced if "/orderdesk/" in p]  # every module of the package, wherever it was
    assert len(ours) > 100 and all(Path(p).is_relative_to(site) for p in ours), [
        p for p in ours if not Path(p).is_relative_to(site)
    ][:5]
    from_checkout = [p for p in traced if Path(p).is_relative_to(CHECKOUT)]
    if DEPS == "borrow":  # only the lent third-party packages
        from_checkout = [p for p in from_checkout if not Path(p).is_relative_to(sysconfig.get_paths()["purelib"])]
    assert not from_checkout, from_checkout[:5]
    check_screenshots(shots)
