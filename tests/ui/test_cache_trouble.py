"""The console meets a damaged cache (pytest-qt, offscreen, the real hub): it opens a healthy cache
without asking, says what is wrong with a damaged one and repairs it the way the person chooses; a
damage the background check finds while the console runs stops the sync saying "synced"."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtWidgets import QApplication

from orderdesk.app.services.background_sync import BackgroundSync
from orderdesk.app.services.session import Session
from orderdesk.app.ui.cache_trouble import CacheTroubleDialog, open_cache_or_ask, watch_cache
from orderdesk.hub.demo import seed
from orderdesk.sync.cache import Cache
from orderdesk.sync.cache.full_check import full_check
from orderdesk.sync.cache.migrate import backup_file
from tests.conftest import token_for
from tests.damage import copy_of, one_value, overwrite_in, sync_into
from tests.ui.conftest import run, wait_for


@pytest.fixture
def synced(hub, tmp_path: Path) -> SimpleNamespace:
    """The hub of this test (150 demo orders) and a cache synced from it, as the other console tests do."""
    seed(hub.store, 150, seed_value=33)
    token = token_for(hub.url, "supervisor")
    good = tmp_path / "synced" / "good.sqlite3"
    good.parent.mkdir()
    sync_into(good, hub.url, token)
    return SimpleNamespace(url=hub.url, token=token, good=good, orders=150)


def the_dialog() -> CacheTroubleDialog:
    shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, CacheTroubleDialog) and w.isVisible()]
    assert len(shown) == 1, shown
    return shown[0]


def damage(path: Path) -> None:
    waybill = str(one_value(path, "SELECT waybill_no FROM orders ORDER BY id LIMIT 1 OFFSET 9")).encode()
    overwrite_in(path, "orders", waybill, waybill[:-1] + b"#")


def test_a_healthy_cache_opens_without_a_dialog(loop, synced, tmp_path) -> None:
    path = copy_of(synced.good, tmp_path)
    cache = run(loop, open_cache_or_ask(path, synced.url))
    assert isinstance(cache, Cache)
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, CacheTroubleDialog) and w.isVisible()]
    cache.close()


def test_a_damaged_cache_is_explained_and_the_backup_restored_on_request(loop, synced, tmp_path) -> None:
    path = copy_of(synced.good, tmp_path)
    backup_file(path, "before-0005")
    os.truncate(path, path.stat().st_size - 5000)  # what the cheap check at every start sees
    opening = asyncio.ensure_future(open_cache_or_ask(path, "http://127.0.0.1:9"))  # no hub needed to restore
    dialog = wait_for(loop, lambda: [w for w in QApplication.topLevelWidgets()
                                     if isinstance(w, CacheTroubleDialog) and w.isVisible()] and the_dialog())  # fmt: skip
    assert str(path) in dialog.what.text() and "被截断" in dialog.what.text()  # Chinese by default
    assert "恢复备份" in dialog.ways.text() and "不会删除" in dialog.ways.text()
    assert dialog.restore_button.isVisible() and dialog.rebuild_button.isVisible()
    dialog.restore_button.click()
    wait_for(loop, dialog.continue_button.isVisible)
    assert "已用" in dialog.ways.text() and "原文件保留在" in dialog.ways.text()
    dialog.continue_button.click()
    cache = wait_for(loop, lambda: opening.done() and opening.result())
    assert isinstance(cache, Cache)
    with cache.read() as c:
        assert c.exec_driver_sql("SELECT count(*) FROM orders").scalar_one() == synced.orders
    cache.close()
    kept = list(tmp_path.glob("cache.sqlite3.damaged-*"))
    assert any(p.name.count(".") == 2 for p in kept), kept  # the damaged file itself, kept aside


def test_rebuild_from_the_hub_through_the_dialog(loop, synced, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("ORDERDESK_TOKEN", synced.token)  # a remembered sign-in: no sign-in dialog
    path = copy_of(synced.good, tmp_path)
    damage(path)
    assert not full_check(path).ok  # found earlier (in the background, or by `orderdesk cache check`)
    opening = asyncio.ensure_future(open_cache_or_ask(path, synced.url))
    dialog = wait_for(loop, lambda: [w for w in QApplication.topLevelWidgets()
                                     if isinstance(w, CacheTroubleDialog) and w.isVisible()] and the_dialog())  # fmt: skip
    assert "完整检查" in dialog.what.text()  # said at once at the start, from the finding kept beside the file
    assert not dialog.restore_button.isVisible()  # no backup: rebuild is the way
    dialog.rebuild_button.click()
    wait_for(loop, dialog.continue_button.isVisible, timeout=120)
    assert "已从订单中心重建" in dialog.ways.text()
    dialog.continue_button.click()
    cache = wait_for(loop, lambda: opening.done() and opening.result())
    with cache.read() as c:
        assert c.exec_driver_sql("SELECT count(*) FROM orders").scalar_one() == synced.orders
    cache.close()


def test_quit_leaves_the_damaged_file_as_it_was(loop, synced, tmp_path) -> None:
    path = copy_of(synced.good, tmp_path)
    path.write_text("not a database")
    before = path.read_bytes()
    opening = asyncio.ensure_future(open_cache_or_ask(path, synced.url))
    dialog = wait_for(loop, lambda: [w for w in QApplication.topLevelWidgets()
                                     if isinstance(w, CacheTroubleDialog) and w.isVisible()] and the_dialog())  # fmt: skip
    dialog.quit_button.click()
    wait_for(loop, opening.done)
    assert opening.result() is None and path.read_bytes() == before


def test_damage_found_in_the_background_stops_the_sync_and_offers_to_quit(loop, synced, tmp_path) -> None:
    path = copy_of(synced.good, tmp_path)
    cache = Cache(path)
    assert cache.full_check_due() == "never"  # a copied file: checked once, in the background
    damage(path)  # while the console has it open (a disk going bad)
    quit_event = asyncio.Event()
    watching = asyncio.ensure_future(watch_cache(cache, None, quit_event))
    dialog = wait_for(loop, lambda: [w for w in QApplication.topLevelWidgets()
                                     if isinstance(w, CacheTroubleDialog) and w.isVisible()] and the_dialog())  # fmt: skip
    assert dialog.continue_button.isVisible() and not dialog.restore_button.isVisible()
    assert "下次启动时" in dialog.ways.text()
    session = Session(synced.url, "supervisor", "supervisor", synced.token, int(time.time()) + 3600, False)
    sync = BackgroundSync(session, cache, on_status=lambda _: None)
    run(loop, sync.once())
    assert sync.status.last_synced_at is None and sync.status.error is not None and "已损坏" in sync.status.error.zh
    dialog.quit_button.click()
    wait_for(loop, watching.done)
    assert quit_event.is_set()
    cache.close()
    refused = run(loop, asyncio.to_thread(_open_error, path))
    assert "完整检查" in refused  # the next start knows at once, without checking again


def _open_error(path: Path) -> str:
    try:
        Cache(path).close()
    except Exception as exc:
        return getattr(exc, "zh", str(exc))
    return ""


def test_a_sqlite_error_while_working_is_said_as_the_cache_trouble(loop, tmp_path) -> None:
    from orderdesk.app.ui import errors

    errors.use_cache_path(tmp_path / "cache.sqlite3")
    message = errors.message_for(sqlite3.DatabaseError("database disk image is malformed"))
    assert "已损坏" in message and "cache rebuild" in message and "Traceback" not in message
