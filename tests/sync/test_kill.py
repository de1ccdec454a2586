"""`kill -9` of a running `orderdesk sync` at random moments loses nothing and doubles nothing."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from orderdesk.hub.demo import seed
from orderdesk.sync.cache import Cache
from tests.conftest import token_for
from tests.sync.test_syncer import expected_state, state_of


def _orderdesk() -> str:
    found = shutil.which("orderdesk") or os.path.join(os.path.dirname(sys.executable), "orderdesk")
    assert os.path.exists(found), "the console script is installed by ./dev"
    return found


def kill_and_resume(hub, tmp_path, kills: int, seed_value: int) -> None:
    cache_path = tmp_path / "killed.sqlite3"
    environment = {**os.environ, "ORDERDESK_TOKEN": token_for(hub.url, "packer")}
    command = [_orderdesk(), "--cache", str(cache_path), "--json", "sync", "--hub", hub.url, "--page-size", "10"]
    rnd = random.Random(seed_value)
    finished_early = 0
    progress: list[int] = []
    for n in range(kills):
        started = time.time()
        process = subprocess.Popen(command, env=environ_without_display(environment), stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)  # fmt: skip
        _writing(cache_path, started, process)  # however slowly a loaded machine starts the process
        if n == 0:  # the first at its first orders, so one kill surely lands mid-sync however fast the machine
            _first_orders(cache_path, process)
        else:
            time.sleep(rnd.uniform(0.0, 2.0))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        else:
            finished_early += 1
        process.wait(timeout=30)
        progress.append(_orders_held(cache_path))
    final = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=300, check=False)
    assert final.returncode == 0, final.stderr
    with Cache(cache_path) as cache:
        assert state_of(cache) == expected_state(hub, tmp_path)  # integrity_check inside
        with cache.read() as c:
            keys = c.exec_driver_sql("SELECT COUNT(*), COUNT(DISTINCT key) FROM observations").one()
            assert keys[0] == keys[1]
    assert finished_early < kills, "every run finished before its kill: nothing was tested"
    assert _orphans_gone(), "a killed sync left a worker process behind"
    left = (
        [f for f in Path("/dev/shm").glob("orderdesk-batch-*") if not _owner_alive(f)]
        if Path("/dev/shm").is_dir()
        else []
    )
    assert left == [], f"batch files of killed runs were not swept: {left}"
    total = len(expected_state(hub, tmp_path))
    assert any(0 < held < total for held in progress), f"no kill landed mid-sync: {progress}"


def _writing(cache_path: Path, since: float, process: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    """Wait until the run writes to the cache (its write-ahead log changes), or ends."""
    wal = Path(f"{cache_path}-wal")
    deadline = time.monotonic() + timeout
    while process.poll() is None and time.monotonic() < deadline:
        if wal.exists() and wal.stat().st_mtime > since:
            return
        time.sleep(0.02)


def _first_orders(cache_path: Path, process: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    """Wait until the run has committed its first orders (or ended)."""
    deadline = time.monotonic() + timeout
    while process.poll() is None and time.monotonic() < deadline:
        try:
            if _orders_held(cache_path) > 0:
                return
        except sqlite3.Error:  # the schema is still being made
            pass
        time.sleep(0.005)


def _orphans_gone(timeout: float = 10.0) -> bool:
    """No preparing worker of ours outlives its killed parent (they are re-parented to init)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        orphans = subprocess.run(["pgrep", "-P", "1", "-f", "multiprocessing.spawn"], capture_output=True, text=True,
                                 check=False).stdout.split()  # fmt: skip
        if not orphans:
            return True
        time.sleep(0.2)
    return False


def _owner_alive(batch_file: Path) -> bool:
    owner = batch_file.name.removeprefix("orderdesk-batch-").split("-", 1)[0]
    return owner.isdigit() and Path(f"/proc/{owner}").exists()


def _orders_held(path) -> int:
    """How far the killed runs got, read without migrating or changing anything."""
    if not path.exists():
        return 0
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return connection.execute("SELECT COUNT(*) FROM orders").fetchone()[0]
    except sqlite3.Error:
        return 0
    finally:
        connection.close()


def environ_without_display(environment: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in environment.items() if k != "DISPLAY"}


def test_kills_at_random_moments(hub, tmp_path):
    # Five in the suite (about 35 s); ./dev soak runs hundreds (test_soak_hundreds_of_kills).
    seed(hub.store, 2500, seed_value=5)
    kill_and_resume(hub, tmp_path, kills=int(os.environ.get("ORDERDESK_KILLS", "5")), seed_value=1)


@pytest.mark.slow
def test_soak_hundreds_of_kills(hub, tmp_path):
    seed(hub.store, 20000, seed_value=9)
    kill_and_resume(hub, tmp_path, kills=int(os.environ.get("ORDERDESK_SOAK_KILLS", "300")), seed_value=2)
