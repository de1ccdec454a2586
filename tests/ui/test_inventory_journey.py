"""A supervisor handles a tripped oversell breaker through the real window, with key and mouse events,
against the real hub and its inventory keeper: the flash-sale SKU trips while the console is open
(拼多多 oversold on its own counter), the list shows it, the detail says why with the pools as water
levels; an empty note is refused; the resume is typed and clicked, reaches the hub (audited there),
and the feed brings the SKU back as selling. A packer sees the same view read-only."""

from __future__ import annotations

import uuid

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from bench.inventory_storm import token
from orderdesk.hub.inventory_keeper import InventoryKeeper
from orderdesk.inventory.schema import breaker_audit
from tests.ui.conftest import type_text, wait_for
from tests.ui.journeys import click, main_window, shot, sign_in_with_keys
from tests.ui.test_journeys import start_console

SKU = "FUDAI-2026"


@pytest.fixture
def stocked(hub):
    keeper = InventoryKeeper(hub.store)
    hub.app.state.inventory = keeper
    keeper.start(0.2)
    supervisor = httpx.Client(base_url=hub.url, timeout=30,
                              headers={"Authorization": f"Bearer {token(hub.url, 'supervisor')}"})  # fmt: skip
    supervisor.post("/v1/inventory/skus", json={"sku": SKU, "title": "新年福袋"}).raise_for_status()
    supervisor.post("/v1/inventory/skus", json={"sku": "TEA-LJ-250", "title": "西湖龙井 250g"}).raise_for_status()
    for sku, units in ((SKU, 10), ("TEA-LJ-250", 40)):
        supervisor.post("/v1/inventory/movements", headers={"Idempotency-Key": f"receipt-{uuid.uuid4().hex}"},
                        json={"sku": sku, "from_pool": "outside", "to_pool": "sellable", "quantity": units,
                              "reason": "receipt"}).raise_for_status()  # fmt: skip
    channel = httpx.Client(
        base_url=hub.url, timeout=30, headers={"Authorization": f"Bearer {token(hub.url, 'channel')}"}
    )
    yield channel
    channel.close()
    supervisor.close()
    keeper.stop()


def sell(channel: httpx.Client, units: int) -> dict:
    answer = channel.post("/v1/inventory/sales", headers={"Idempotency-Key": f"sale-{uuid.uuid4().hex}"},
                          json={"sku": SKU, "quantity": units, "channel": "pdd", "order_ref": f"PDD{uuid.uuid4().hex[:12]}"})  # fmt: skip
    answer.raise_for_status()
    return answer.json()


def test_a_supervisor_resumes_a_tripped_flash_sale(loop, hub, stocked, cache, qtbot) -> None:
    task, quit_event = start_console(loop, hub, cache)
    try:
        sign_in_with_keys(loop, "supervisor", "supervisor")
        window = main_window(loop)
        window.resize(1280, 720)
        QTest.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)  # Ctrl+5: Inventory
        page = window.inventory_page
        wait_for(loop, lambda: window.stack.currentWidget() is page)
        wait_for(loop, lambda: page.list.rowCount() == 2, timeout=60)
        assert "0 个熔断" in page.count.text() or "0 tripped" in page.count.text()

        for units in (8, 15, 18):  # 拼多多 sells 41 on its own counter: 31 oversold, more than 30 in 5 minutes
            sell(stocked, units)
        wait_for(loop, lambda: "1 个熔断" in page.count.text() or "1 tripped" in page.count.text(), timeout=60)
        assert page.list.item(0, 0).text() == SKU  # a tripped SKU comes first
        QTest.mouseClick(page.list.viewport(), Qt.MouseButton.LeftButton,
                         pos=page.list.visualItemRect(page.list.item(0, 0)).center())  # fmt: skip
        wait_for(loop, lambda: page.resume_row.isVisible())
        assert "超卖" in page.breaker.text() or "oversold" in page.breaker.text()
        assert "31" in page.breaker.text()
        wait_for(loop, lambda: page.movements.rowCount() >= 2, timeout=30)  # from the hub: receipt, the sales
        shot(window, "inventory-1-tripped")

        click(page.resume_button)  # no note: refused here, nothing sent
        assert page.resume_note.hasFocus() and page.note.text()
        with hub.store.read() as c:
            assert c.execute(breaker_audit.select().where(breaker_audit.c.event == "resumed")).first() is None
        type_text(page.resume_note, "拼多多已下架,库存已盘点")
        QTest.keyClick(page.resume_note, Qt.Key.Key_Return)
        wait_for(loop, lambda: "0 个熔断" in page.count.text() or "0 tripped" in page.count.text(), timeout=60)
        assert not page.resume_row.isVisible()
        with hub.store.read() as c:
            audit = c.execute(breaker_audit.select().where(breaker_audit.c.event == "resumed")).one()
        assert audit.actor == "supervisor" and "盘点" in audit.detail_json
        wait_for(loop, lambda: "恢复" in page.history.text() or "resumed" in page.history.text(), timeout=30)
        shot(window, "inventory-2-resumed")

        click(window.logout_button)
        sign_in_with_keys(loop, "packer", "packer")
        packer = main_window(loop, not_this=window)
        QTest.keyClick(packer, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)  # Ctrl+5: Inventory, for every role
        view = packer.inventory_page
        wait_for(loop, lambda: packer.stack.currentWidget() is view and view.list.rowCount() == 2, timeout=60)
        sell(stocked, 40)  # trips again: the packer sees it, and cannot resume it
        wait_for(loop, lambda: "1 个熔断" in view.count.text() or "1 tripped" in view.count.text(), timeout=60)
        view.select(SKU)
        assert not view.resume_row.isVisible() and ("只读" in view.note.text() or "Read-only" in view.note.text())
    finally:
        quit_event.set()
        wait_for(loop, task.done, timeout=60)
    assert task.exception() is None
