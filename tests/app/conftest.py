"""Fixtures of the CLI tests: a hub with demo orders and a cache synced from it, made once a module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    """The real hub (150 demo orders: one snapshot page, no worker processes) on loopback, a
    supervisor's token, and ``good``: a closed cache file synced from it, for tests to copy."""
    from hub.demo import seed
    from hub.server import BackgroundHub
    from hub.store import HubStore
    from tests.conftest import token_for
    from tests.damage import sync_into

    folder = tmp_path_factory.mktemp("synced")
    store = HubStore(f"sqlite:///{folder / 'hub.sqlite3'}")
    store.ensure_demo_users()
    seed(store, 150, seed_value=33)  # two receivers with names outside the BMP (𪚥): labels substitute
    server = BackgroundHub(store)
    server.start()
    token = token_for(server.url, "supervisor")
    good = folder / "good.sqlite3"
    sync_into(good, server.url, token)
    yield SimpleNamespace(hub=server, url=server.url, token=token, good=good, orders=150)
    server.stop()
    store.close()


def copy_of(good: Path, folder: Path, name: str = "cache.sqlite3") -> Path:
    """A copy of the synced cache, as a person would copy a file (no WAL, no check record)."""
    import shutil

    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    shutil.copyfile(good, target)
    return target
