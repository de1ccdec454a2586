"""`orderdesk demo` as a person runs it, in its own process: Ctrl-C closes it as its window's close
does (exit 0, no traceback), and it leaves nothing behind in the temporary folder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path


def test_ctrl_c_closes_the_demo_cleanly_and_its_temporary_home_is_removed(tmp_path: Path) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", TMPDIR=str(temporary), XDG_CONFIG_HOME=str(tmp_path / "cfg"))
    orderdesk = Path(sys.executable).with_name("orderdesk")
    demo = subprocess.Popen([str(orderdesk), "demo", "--orders", "300"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 90
        while not list(temporary.glob("orderdesk-demo-*/cache.sqlite3")):  # the window is up and syncing
            assert demo.poll() is None, demo.communicate()
            assert time.monotonic() < deadline, "the demo did not start"
            time.sleep(0.2)
        time.sleep(2)
        demo.send_signal(signal.SIGINT)  # Ctrl-C in its terminal
        _, err = demo.communicate(timeout=60)
    finally:
        if demo.poll() is None:
            demo.kill()
    assert demo.returncode == 0, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert list(temporary.iterdir()) == []  # its hub, cache and label files went with it
