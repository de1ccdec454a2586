"""Issue #17 §5 through the real window: a supervisor's console on the real hub keeps 90 days; the
background sync prunes the closed orders older than that, and typing the unified id of one of them
into the Orders search brings it back from the hub and shows it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from orderdesk.app.services.settings import Settings
from orderdesk.hub.demo import seed
from orderdesk.hub.invoice_store import lock_month
from tests.ui.conftest import type_text, wait_for
from tests.ui.journeys import main_window, shot, sign_in_with_keys
from tests.ui.test_journeys import start_console


def test_old_closed_orders_leave_and_come_back_when_searched_for(loop, hub, cache, tmp_path: Path, qtbot) -> None:
    seed(hub.store, 200, seed_value=5)  # dated January 2026: older than 90 days
    with hub.store.write() as c:  # finance closed the books of those months (the sync brings the locks)
        for month in ("2026-01", "2026-02", "2026-03"):
            lock_month(c, month, "finance")
    task, quit_event = start_console(loop, hub, cache,
                                     settings=Settings(hub_url=hub.url, sync_interval_s=0.5, retention_days=90))  # fmt: skip
    sign_in_with_keys(loop, "supervisor", "supervisor")
    window = main_window(loop)
    report = wait_for(loop, lambda: window.sync.last_prune, timeout=60)
    assert report.orders_pruned > 0 and report.orders_older_kept_open > 0
    with cache.read() as c:
        kept = {r[0] for r in c.exec_driver_sql("SELECT domain_id FROM orders")}
    with sqlite3.connect(tmp_path / "hub.sqlite3") as at_hub:
        everything = {r[0] for r in at_hub.execute("SELECT domain_id FROM hub_orders")}
    gone = sorted(everything - kept)
    assert len(gone) == report.orders_pruned

    QTest.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)  # Settings: the window is there
    settings_page = window.pages["settings"]
    wait_for(loop, lambda: window.stack.currentWidget() is settings_page)
    assert settings_page.retention.value() == 90 and settings_page.retention.isVisible()

    QTest.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # Orders
    page = window.orders_page
    wait_for(loop, lambda: window.stack.currentWidget() is page)
    page.search.setFocus()
    type_text(page.search, gone[0].lower())  # as a person types it off a paper slip
    wait_for(loop, lambda: page.model.ids and page.browser.rows(page.model.ids[:1])[page.model.ids[0]].domain_id == gone[0],
             timeout=30)  # fmt: skip
    shot(window, "retention-brought-back")
    with cache.read() as c:
        assert c.exec_driver_sql("SELECT COUNT(*) FROM orders WHERE domain_id = ?", (gone[0],)).scalar() == 1
        said = c.exec_driver_sql("SELECT operator FROM audit_log WHERE action = 'order.brought_back' AND entity_key = ?",
                                 (gone[0],)).scalar()  # fmt: skip
    assert said == "supervisor"  # the trail says who brought it back, and from where
    quit_event.set()
    wait_for(loop, task.done, timeout=60)
