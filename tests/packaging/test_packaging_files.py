"""The packaging's own files, quickly (the slow tests beside this one build and run the real thing):
`orderdesk --version`, the icons rendered from the SVG, the desktop entry, the systemd user units and
the install script as written."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from orderdesk import __version__
from orderdesk.app.cli.main import main
from tests.packaging.shots import CHECKOUT

LINUX = CHECKOUT / "packaging" / "linux"
PLACEHOLDERS = {"@LAUNCHER@", "@ENVFILE@", "@BUNDLE@"}  # what install.sh fills in


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as ended:
        main(["--version"])
    assert ended.value.code == 0
    assert capsys.readouterr().out.strip() == f"orderdesk {__version__}"


def test_icons_are_rendered_from_the_svg_at_every_size(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(CHECKOUT / "packaging" / "make_icons.py"), str(tmp_path)], check=True)
    for side in (16, 24, 32, 48, 64, 128, 256):
        with Image.open(tmp_path / "hicolor" / f"{side}x{side}" / "apps" / "orderdesk.png") as icon:
            assert icon.size == (side, side) and icon.mode == "RGBA"
            corner, middle = icon.getpixel((0, 0)), icon.getpixel((side // 2, side // 4))
            assert isinstance(corner, tuple) and isinstance(middle, tuple)
            assert corner[3] < 64 and middle[3] == 255  # a rounded tile on transparency
    with Image.open(tmp_path / "orderdesk.ico") as ico:
        assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= set(ico.info["sizes"])


def test_the_desktop_entry(tmp_path: Path) -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(LINUX / "orderdesk.desktop", encoding="utf-8")
    main_group = entry["Desktop Entry"]
    assert main_group["Type"] == "Application" and main_group["Icon"] == "orderdesk"
    assert main_group["Exec"] == "@LAUNCHER@ console" and main_group["Terminal"] == "false"
    if shutil.which("desktop-file-validate"):
        filled = tmp_path / "orderdesk.desktop"
        filled.write_text((LINUX / "orderdesk.desktop").read_text(encoding="utf-8").replace("@LAUNCHER@", "/bin/true"))
        checked = subprocess.run(["desktop-file-validate", str(filled)], text=True, capture_output=True)
        assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_systemd_units_run_commands_the_cli_has() -> None:
    units = sorted((LINUX / "systemd").iterdir())
    assert [u.name for u in units] == [
        "orderdesk-report-daily.service",
        "orderdesk-report-daily.timer",
        "orderdesk-sync.service",
        "orderdesk-sync.timer",
    ]
    for unit in units:
        text = unit.read_text()
        assert set(re.findall(r"@[A-Z]+@", text)) <= PLACEHOLDERS, unit
        parsed = configparser.ConfigParser(interpolation=None, strict=False)
        parsed.read_string(text)
        if unit.suffix == ".timer":
            assert parsed["Install"]["WantedBy"] == "timers.target"
            continue
        assert parsed["Service"]["Type"] == "oneshot"
        for key in ("ExecStartPre", "ExecStart"):
            if key in parsed["Service"]:
                command = parsed["Service"][key].lstrip("-").split()
                assert command[0] == "@LAUNCHER@"
                args = [a.replace("${ORDERDESK_HUB}", "http://127.0.0.1:9") for a in command[1:]]
                with pytest.raises(SystemExit) as ended:  # the CLI knows every word of it
                    main([*args, "--help"])
                assert ended.value.code == 0, args


def test_install_sh_is_valid_sh() -> None:
    subprocess.run(["sh", "-n", str(LINUX / "install.sh")], check=True)
    lines = [line.strip() for line in (LINUX / "install.sh").read_text().splitlines()]
    commands = [line for line in lines if line and not line.startswith(("#", "say "))]
    assert not [line for line in commands if re.search(r"systemctl .*\benable\b", line)]  # enables nothing
    assert any("enable --now" in line for line in lines if line.startswith("say "))  # says how instead
