"""Ways to damage a real cache file the way disks, copies and people do, for the damaged-cache tests.

Damage is aimed with SQLite's own page map (the ``dbstat`` table): a byte changed inside a value on
a page of a given table or index, never a guess about where a page lies."""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from orderdesk.sync.cache import Cache
from orderdesk.sync.cache.apply import CacheWriter
from orderdesk.sync.client import HubClient
from orderdesk.sync.syncer import Syncer


def orderdesk() -> str:
    found = shutil.which("orderdesk") or os.path.join(os.path.dirname(sys.executable), "orderdesk")
    assert os.path.exists(found), "the console script is installed by ./dev"
    return found


def cli(cache: Path, *args: str, env: dict[str, str] | None = None, **kwargs: object) -> subprocess.CompletedProcess:
    """`orderdesk --lang en --cache CACHE ARGS…` as its own process."""
    command = [orderdesk(), "--lang", "en", "--cache", str(cache), *args]
    environment = {**os.environ, **(env or {})}
    environment.pop("DISPLAY", None)
    return subprocess.run(command, capture_output=True, text=True, timeout=300, env=environment, check=False, **kwargs)  # type: ignore[call-overload]


def sync_into(path: Path, hub_url: str, token: str) -> None:
    """A first sync from the hub into ``path``, on a loop of its own (in a thread of its own: a Qt
    test may have the console's loop running in this one)."""

    async def run() -> None:
        with Cache(path) as cache:
            async with HubClient(hub_url, token) as client:
                await Syncer(client, CacheWriter(cache, operator="sync")).run_once()

    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, run()).result()


def pages_of(path: Path, name: str) -> list[int]:
    """The page numbers of a table or index (leaf pages first)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT pageno, pagetype FROM dbstat WHERE name = ? ORDER BY pagetype != 'leaf', pageno",
                          (name,)).fetchall()  # fmt: skip
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
    finally:
        db.close()
    assert rows, f"no pages of {name}"
    assert page_size == 4096
    return [r[0] for r in rows]


def overwrite_in(path: Path, name: str, needle: bytes, replacement: bytes) -> int:
    """Change the first ``needle`` found on a page of table or index ``name``; returns the offset."""
    assert len(needle) == len(replacement)
    data = path.read_bytes()
    for page in pages_of(path, name):
        start = (page - 1) * 4096
        at = data.find(needle, start, start + 4096)
        if at >= 0:
            with path.open("r+b") as f:
                f.seek(at)
                f.write(replacement)
            return at
    raise AssertionError(f"{needle!r} is on no page of {name}")


def one_value(path: Path, sql: str) -> object:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return db.execute(sql).fetchone()[0]
    finally:
        db.close()


def copy_of(good: Path, folder: Path, name: str = "cache.sqlite3") -> Path:
    """A copy of the synced cache, as a person would copy a file (no WAL, no check record)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    shutil.copyfile(good, target)
    return target
