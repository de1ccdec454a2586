"""The Linux one-folder bundle (issue #16, `./dev package`): built from packaging/orderdesk.spec, it
starts with no Python around it (an empty environment, PATH=/usr/bin:/bin, libpython from the bundle
only), photographs every workspace offscreen, and its CLI does the real work: the hub with two worker
processes (uvicorn's string import, multiprocessing in a frozen program), a sync, the daily report's
PDF, the BI export's Parquet, a label PDF, the import pipeline's worker processes, the keyring's
answer; its install.sh puts the launcher, the menu entry, the icons and the systemd user units under a
home and takes them away again, enabling nothing.

The build takes about three minutes. ORDERDESK_BUNDLE=packaging/dist/orderdesk checks a bundle already
built (by `./dev package`) instead."""

from __future__ import annotations

import configparser
import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from PIL import Image

from tests.conftest import order
from tests.packaging.shots import CHECKOUT, check_screenshots, run_demo

pytestmark = pytest.mark.slow

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)
UNITS = (
    "orderdesk-sync.service",
    "orderdesk-sync.timer",
    "orderdesk-report-daily.service",
    "orderdesk-report-daily.timer",
)


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get("ORDERDESK_BUNDLE")
    if given:
        return Path(given).resolve()
    pytest.importorskip("PyInstaller", reason="the packaging tools: ./dev soak and ./dev package install them")
    out = tmp_path_factory.mktemp("bundle")
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", str(CHECKOUT / "packaging" / "orderdesk.spec"), "--noconfirm",
         "--log-level", "WARN", "--distpath", str(out / "dist"), "--workpath", str(out / "build")],
        cwd=out, check=True,
    )  # fmt: skip
    sys.stderr.write(f"PyInstaller: {time.monotonic() - started:.0f} s\n")
    return out / "dist" / "orderdesk"


def bare(home: Path, **extra: str) -> dict[str, str]:
    """What `env -i PATH=/usr/bin:/bin HOME=…` leaves: no PYTHONPATH, PYTHONHOME, venv or locale."""
    home.mkdir(parents=True, exist_ok=True)
    return {"PATH": "/usr/bin:/bin", "HOME": str(home), **extra}


def run(bundle: Path, *args: str | Path, env: dict[str, str], cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:  # fmt: skip
    done = subprocess.run(
        [bundle / "orderdesk", *map(str, args)], env=env, cwd=cwd, capture_output=True, text=True, timeout=300
    )
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    if check:
        assert done.returncode == 0, f"{args}: exit {done.returncode}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    return done


def test_the_bundle_carries_its_python_and_its_desktop_files(bundle: Path, tmp_path: Path) -> None:
    internal = bundle / "_internal"
    assert (bundle / "orderdesk").stat().st_mode & stat.S_IXUSR
    assert (internal / "libpython3.11.so.1.0").is_file()
    # The bootloader opens _internal/libpython itself: the executable links no libpython of the system.
    linked = subprocess.run(["ldd", str(bundle / "orderdesk")], capture_output=True, text=True, check=True).stdout
    assert "libpython" not in linked, linked
    assert (internal / "orderdesk" / "resources" / "translations" / "orderdesk_zh_CN.qm").is_file()
    assert (internal / "orderdesk" / "resources" / "fonts" / "DroidSansFallbackFull.ttf").is_file()
    migrations = internal / "orderdesk" / "sync" / "cache" / "migrations"
    assert (migrations / "env.py").is_file() and len(list((migrations / "versions").glob("0*.py"))) >= 13
    assert not (internal / "PySide6" / "Qt" / "plugins" / "platformthemes" / "libqgtk3.so").exists()
    assert not list(internal.glob("libgtk*")) and not list(internal.glob("libcairo*"))
    assert not [p for p in internal.rglob("*") if p.is_symlink() and not p.exists()]  # no dangling link

    for side in ICON_SIZES:
        with Image.open(bundle / "share" / "icons" / "hicolor" / f"{side}x{side}" / "apps" / "orderdesk.png") as icon:
            assert icon.size == (side, side) and icon.mode == "RGBA"
            assert len(icon.getcolors(side * side) or []) > 4  # drawn, not blank
    assert (bundle / "share" / "icons" / "hicolor" / "scalable" / "apps" / "orderdesk.svg").is_file()
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(bundle / "share" / "applications" / "orderdesk.desktop", encoding="utf-8")
    assert entry["Desktop Entry"]["Icon"] == "orderdesk" and entry["Desktop Entry"]["Type"] == "Application"
    for unit in UNITS:
        assert (bundle / "share" / "systemd" / "user" / unit).is_file()

    env = bare(tmp_path / "home")
    assert run(bundle, "--version", env=env, cwd=tmp_path).stdout.strip() == "orderdesk 0.1.0"
    shown = run(bundle, "--help", env=env, cwd=tmp_path).stdout  # Chinese by default, in a C locale too
    assert "订单运营控制台" in shown and "report" in shown


def test_the_bundle_shows_every_workspace_offscreen(bundle: Path, tmp_path: Path) -> None:
    shots = tmp_path / "shots"
    log = tmp_path / "demo.log"
    run_demo([bundle / "orderdesk"], shots, tmp_path, bare(tmp_path / "home"), log=log)
    said = log.read_text(errors="replace")
    assert "Traceback" not in said and "ERROR" not in said, said[-3000:]
    check_screenshots(shots)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def bundled_hub(bundle: Path, tmp_path: Path) -> Iterator[tuple[str, int]]:
    """The bundle's hub with 200 demo orders, in two uvicorn worker processes: its URL and its pid."""
    port = _free_port()
    log = (tmp_path / "hub.log").open("wb")
    hub = subprocess.Popen(
        [bundle / "orderdesk", "hub", "--db", f"sqlite:///{tmp_path / 'hub.sqlite3'}", "--port", str(port),
         "--seed", "200", "--workers", "2", "--secret-file", str(tmp_path / "hub-secret")],
        env=bare(tmp_path / "home"), cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            assert hub.poll() is None, (tmp_path / "hub.log").read_text(errors="replace")[-3000:]
            try:
                if httpx.post(f"{url}/v1/auth/token", json={"username": "x", "password": "y"}, timeout=2).status_code:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        yield url, hub.pid
    finally:
        os.killpg(hub.pid, signal.SIGTERM)  # the hub and its worker processes (their own session)
        try:
            hub.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(hub.pid, signal.SIGKILL)
            hub.wait()
        log.close()


def test_the_bundled_cli_does_the_real_work(bundle: Path, bundled_hub: tuple[str, int], tmp_path: Path) -> None:
    url, hub_pid = bundled_hub
    # Whatever the hub process mapped came from the bundle or the system: no Python of ours or the machine's.
    mapped = {line.split()[-1] for line in Path(f"/proc/{hub_pid}/maps").read_text().splitlines() if "/" in line}
    pythons = [p for p in mapped if "libpython" in p]
    assert pythons and all(Path(p).is_relative_to(bundle) for p in pythons), pythons
    foreign = [p for p in mapped if Path(p).is_relative_to(CHECKOUT) and not Path(p).is_relative_to(bundle)]
    foreign += [p for p in mapped if Path(p).is_relative_to(Path(sys.base_prefix).resolve())]
    assert not foreign, foreign[:5]
    workers = subprocess.run(["pgrep", "-P", str(hub_pid)], capture_output=True, text=True).stdout.split()
    assert len(workers) >= 2, "uvicorn's two worker processes"

    token = httpx.post(f"{url}/v1/auth/token", json={"username": "supervisor", "password": "supervisor"}, timeout=10)
    env = bare(tmp_path / "home", ORDERDESK_TOKEN=token.json()["access_token"])
    cache = tmp_path / "cache.sqlite3"
    synced = run(bundle, "--lang", "en", "--cache", cache, "sync", "--hub", url, "--once", env=env, cwd=tmp_path)
    assert "orders 200" in synced.stdout, synced.stdout

    report = tmp_path / "daily.pdf"
    run(bundle, "--cache", cache, "report", "daily", "--out", report, "--hub", url, env=env, cwd=tmp_path)
    assert report.read_bytes()[:5] == b"%PDF-" and report.stat().st_size > 20_000  # with its Chinese font

    bi = tmp_path / "bi"
    run(bundle, "--cache", cache, "export", "bi", "--out", bi, "--format", "both", env=env, cwd=tmp_path)
    import pyarrow.dataset as ds  # the checkout's pyarrow reads what the bundle's wrote

    assert ds.dataset(bi / "fact_orders", format="parquet", partitioning="hive").count_rows() == 200

    exported = run(bundle, "--cache", cache, "orders", "export", env=env, cwd=tmp_path).stdout.splitlines()
    first = json.loads(exported[0])["domain_id"]
    label = tmp_path / "label.pdf"
    preview = tmp_path / "label.png"
    run(bundle, "--cache", cache, "labels", "render", first, "--profile", "pdf-76x130", "--out", label,
        "--preview", preview, env=env, cwd=tmp_path)  # fmt: skip
    assert label.read_bytes()[:5] == b"%PDF-"
    with Image.open(preview) as image:
        assert len(image.convert("L").getcolors(1 << 24) or []) >= 2  # barcodes and text drawn

    lines = tmp_path / "orders.jsonl"
    lines.write_text("".join(json.dumps({"order": order(f"P{i:04d}")}, ensure_ascii=False) + "\n" for i in range(300)))
    imported = tmp_path / "imported.sqlite3"
    run(bundle, "--lang", "en", "--cache", imported, "orders", "import", lines, "--workers", "2", env=env, cwd=tmp_path)
    shown = run(bundle, "--cache", imported, "--json", "orders", "show", "P0299", env=env, cwd=tmp_path)
    assert json.loads(shown.stdout)["channel_order_no"] == "P0299"

    # No keyring service in an empty environment: the sign-in says what to do, in words.
    login = subprocess.run(
        [bundle / "orderdesk", "--lang", "en", "login", "--hub", url, "--user", "clerk", "--password-stdin"],
        input="clerk\n", env=bare(tmp_path / "home"), cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert "Traceback" not in login.stderr
    assert login.returncode == 0 or "ORDERDESK_TOKEN" in login.stderr, login.stderr


def test_install_sh_installs_for_one_user_and_enables_nothing(bundle: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    prefix, config = home / ".local", home / ".config"
    env = bare(home)
    args = ["sh", str(bundle / "install.sh"), "--prefix", str(prefix), "--config", str(config)]
    said = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300, check=True).stdout
    assert "enable --now orderdesk-sync.timer orderdesk-report-daily.timer" in said

    launcher = prefix / "bin" / "orderdesk"
    done = subprocess.run([launcher, "--version"], env=env, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "orderdesk 0.1.0"
    desktop = (prefix / "share" / "applications" / "orderdesk.desktop").read_text(encoding="utf-8")
    assert f"Exec={launcher} console" in desktop and "@" not in desktop
    if shutil.which("desktop-file-validate"):
        subprocess.run(["desktop-file-validate", prefix / "share" / "applications" / "orderdesk.desktop"], check=True)
    for side in ICON_SIZES:
        assert (prefix / "share" / "icons" / "hicolor" / f"{side}x{side}" / "apps" / "orderdesk.png").is_file()
    units = config / "systemd" / "user"
    for unit in UNITS:
        text = (units / unit).read_text()
        assert "@" not in text.replace("%h", ""), text
        for line in text.splitlines():
            if line.startswith(("ExecStart=", "ExecStartPre=")):
                assert line.split("=", 1)[1].lstrip("-").split()[0] == str(launcher)
    assert not list(units.glob("*.wants")), "nothing enabled"
    envfile = config / "orderdesk" / "unattended.env"
    assert stat.S_IMODE(envfile.stat().st_mode) == 0o600
    if shutil.which("systemd-analyze"):  # systemd reads the units as written (their ExecStart exists too)
        subprocess.run(["systemd-analyze", "verify", *(units / unit for unit in UNITS)], check=True)
        subprocess.run(["systemd-analyze", "calendar", "*-*-* 09:00:00 Asia/Shanghai"], check=True, capture_output=True)

    subprocess.run([*args, "--uninstall"], env=env, capture_output=True, text=True, timeout=120, check=True)
    assert not launcher.exists() and not (prefix / "lib" / "orderdesk").exists()
    assert not list(units.glob("orderdesk-*")) and not list((prefix / "share").rglob("orderdesk.*"))
    assert envfile.is_file()  # the user's settings for the unattended runs stay
