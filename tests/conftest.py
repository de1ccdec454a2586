"""Shared fixtures: a real SQLite cache file per test, a hub with a cache synced from it per module,
and builders for orders and observations."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from orderdesk.sync.cache import Cache
from orderdesk.sync.cache.apply import CacheWriter


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    with Cache(tmp_path / "cache.sqlite3") as opened:
        yield opened


@pytest.fixture
def writer(cache: Cache) -> CacheWriter:
    return CacheWriter(cache, operator="test")


def order(no: str = "DD20260124008872", channel: str = "douyin", **overrides: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "channel": channel,
        "shop": "shop-1",
        "channel_order_no": no,
        "created_at": "2026-01-24T14:00:00+08:00",
        "receiver": {
            "name": "龘张伟",
            "phone": "13800138000",
            "province": "浙江省",
            "city": "杭州市",
            "address": "西湖区文三路1号",
        },
        "lines": [
            {"line_no": 1, "sku": "SKU-A", "title": "猫粮 2kg", "quantity": 2, "unit_price_fen": 1000},
            {"line_no": 2, "sku": "SKU-B", "title": "猫砂", "quantity": 1, "unit_price_fen": 500},
        ],
        "paid_amount_fen": 2500,
        "waybill_no": f"SF{no[-8:]}",
    }
    record.update(overrides)
    return record


def ref(no: str = "DD20260124008872", channel: str = "douyin") -> dict[str, str]:
    return {"channel": channel, "shop": "shop-1", "channel_order_no": no}


def obs(source: str, status: Any, at: str, order_ref: dict[str, str] | None = None, **extra: Any) -> dict[str, Any]:
    return {"source": source, "status": status, "observed_at": at, "order": order_ref or ref(), **extra}


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[Any]:
    """The real reference hub on a loopback port, on a SQLite file of the test's own."""
    from orderdesk.hub.server import BackgroundHub
    from orderdesk.hub.store import HubStore

    store = HubStore(f"sqlite:///{tmp_path / 'hub.sqlite3'}")
    store.ensure_demo_users()
    server = BackgroundHub(store)
    server.start()
    yield server
    server.stop()
    store.close()


def token_for(url: str, user: str) -> str:
    import httpx

    answer = httpx.post(f"{url}/v1/auth/token", json={"username": user, "password": user}, timeout=10)
    answer.raise_for_status()
    return answer.json()["access_token"]


@pytest.fixture
def fault_proxy(hub: Any) -> Iterator[Any]:
    from tests.faults import FaultProxy

    proxy = FaultProxy(hub.url).start()
    yield proxy
    proxy.stop()


@pytest.fixture
def memory_keyring() -> Iterator[Any]:
    """Stands in for the operating system's keyring service, which a test machine does not run."""
    import keyring
    from keyring.backend import KeyringBackend

    class MemoryKeyring(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def __init__(self) -> None:
            self.secrets: dict[tuple[str, str], str] = {}

        def set_password(self, service: str, username: str, password: str) -> None:
            self.secrets[(service, username)] = password

        def get_password(self, service: str, username: str) -> str | None:
            return self.secrets.get((service, username))

        def delete_password(self, service: str, username: str) -> None:
            self.secrets.pop((service, username), None)

    before = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(before)


@pytest.fixture(autouse=True)
def _own_config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the user's real configuration (hubs.json, printers.json) or documents."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("ORDERDESK_DOCUMENTS_DIR", str(tmp_path / "documents"))
    monkeypatch.delenv("ORDERDESK_TOKEN", raising=False)


@pytest.fixture
def fake_cups(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """`lp` and `lpstat` on PATH that record what they were given (tests/fake_cups.py)."""
    from tests.fake_cups import install

    cups = install(tmp_path / "fake-cups")
    monkeypatch.setenv("PATH", f"{cups.folder / 'bin'}{os.pathsep}{os.environ['PATH']}")
    return cups


@pytest.fixture
def printer_server() -> Iterator[Any]:
    """A raw-9100 printer on a loopback port that records each job's bytes."""
    from tests.recording_printer import RecordingPrinter

    server = RecordingPrinter()
    yield server
    server.close()


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    """The real hub (150 demo orders: one snapshot page, no worker processes) on loopback, a
    supervisor's token, and ``good``: a closed cache file synced from it, for tests to copy."""
    from orderdesk.hub.demo import seed
    from orderdesk.hub.server import BackgroundHub
    from orderdesk.hub.store import HubStore
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
