"""A finance clerk's day through the real window, with key and mouse events, against the real hub
whose invoicer issues on the local 诺诺-protocol platform: a wrong taxpayer id fixed (checked as it is
typed), a merge of three orders confirmed, a failed invoice retried, an issued one opened as PDF and
red-lettered, a merge confirmed while the hub is away (it waits in the outbox and goes when the hub
is back), the month's list exported for Kingdee and read back, the month locked."""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog

from orderdesk.hub.demo import _uscc
from orderdesk.hub.invoicer import Invoicer
from orderdesk.hub.server import BackgroundHub
from orderdesk.invoicing.platform.local import DEMO_SELLER, LocalPlatform
from orderdesk.invoicing.platform.nuonuo import NuonuoPlatform
from orderdesk.sync.contract import ObservationRecord, OrderRecord
from tests.conftest import obs, order, ref
from tests.ui.conftest import type_text, wait_for
from tests.ui.journeys import click, main_window, shot, sign_in_with_keys
from tests.ui.test_journeys import start_console

GOOD_ID = _uscc(random.Random("深圳市南山智造有限公司"))
WRONG_ID = GOOD_ID[:17] + ("0" if GOOD_ID[17] != "0" else "1")
SIGNED = [("douyin", 105, "2026-11-24T14:01:00+08:00"), ("douyin", 3, "2026-11-24T18:00:00+08:00"),
          ("douyin", 5, "2026-11-25T10:00:00+08:00")]  # fmt: skip
BIG = [{"line_no": 1, "sku": "SKU-A", "title": "外套", "quantity": 1, "unit_price_fen": 20000},
       {"line_no": 2, "sku": "SKU-B", "title": "围巾", "quantity": 2, "unit_price_fen": 3000}]  # fmt: skip


def company(title: str, taxpayer_id: str) -> dict[str, Any]:
    return {"kind": "pc", "buyer_type": "company", "title": title, "taxpayer_id": taxpayer_id}


@pytest.fixture
def invoicing(hub):
    platform = LocalPlatform(delay=0.05)
    platform.start()
    platform.script("failed")  # the first invoice sent fails (the only one ready at first: see below)
    adapter = NuonuoPlatform(platform.url, app_key=platform.app_key, app_secret=platform.app_secret,
                             tax_num=DEMO_SELLER.taxpayer_id, timeout=5.0)  # fmt: skip
    invoicer = Invoicer(hub.store, adapter, today="2026-11-27")
    hub.app.state.invoicer = invoicer
    orders = [order("DD-F", invoice=company("成都天府软件有限公司", _uscc(random.Random("成都天府软件有限公司"))))]
    orders.append(order("DD-W", invoice=company("深圳市南山智造有限公司", WRONG_ID)))
    orders += [order(f"DD-M{i}", invoice=company("杭州云帆科技有限公司", _uscc(random.Random("杭州云帆科技有限公司"))),
                     lines=BIG, paid_amount_fen=26000) for i in range(3)]  # fmt: skip
    with hub.store.write() as c:
        hub.store.put_orders(c, [OrderRecord.model_validate(o) for o in orders])
        hub.store.put_observations(c, [ObservationRecord.model_validate(obs(s, st, at, ref(o["channel_order_no"])))
                                       for o in orders for s, st, at in SIGNED])  # fmt: skip
    invoicer.start(0.3)
    yield platform
    invoicer.stop()
    adapter.close()
    platform.stop()


def tab(window, name: str) -> int:
    return list(window.finance_page.tables).index(name) if name != "monthly" else 5


def counts(window) -> dict[str, int]:
    return window.finance_page.desk.counts()


def test_a_clerks_day(loop, hub, invoicing, cache, qtbot, tmp_path: Path, monkeypatch) -> None:
    opened: list[Path] = []
    monkeypatch.setattr(
        "orderdesk.app.ui.finance_page.QDesktopServices.openUrl", lambda url: opened.append(Path(url.toLocalFile()))
    )
    task, quit_event = start_console(loop, hub, cache)
    try:
        _the_day(loop, hub, cache, tmp_path, monkeypatch, opened)
    finally:
        quit_event.set()  # as closing the window: sync stops, the console ends, whatever happened above
        wait_for(loop, task.done, timeout=60)
    assert task.exception() is None


def _the_day(loop, hub, cache, tmp_path: Path, monkeypatch, opened: list[Path]) -> None:
    sign_in_with_keys(loop, "clerk", "clerk")
    window = main_window(loop)
    window.resize(1280, 720)
    page = window.finance_page
    assert window.stack.currentWidget() is page  # a clerk starts in Finance
    wait_for(
        loop, lambda: counts(window) == {"needs_data": 1, "merge": 1, "issuing": 1, "issued": 0, "red": 0}, timeout=60
    )
    wait_for(loop, lambda: page.tabs.tabText(0).endswith("(1)"))
    shot(window, "finance-1-needs-data")

    # 资料缺失: the taxpayer id is wrong; a wrong fix is caught as it is typed, the right one saved with Ctrl+S.
    page.tabs.setCurrentIndex(0)
    QTest.mouseClick(
        page.needs_data.viewport(),
        Qt.MouseButton.LeftButton,
        pos=page.needs_data.visualRect(page.needs_data.model_.index(0, 0)).center(),
    )
    box = page.buyer_form.edits["taxpayer_id"]
    assert box.text() == WRONG_ID and "91" in box.text()
    click(box)
    box.selectAll()
    type_text(box, GOOD_ID[:17] + "Z")
    assert page.buyer_form.id_check.text() and "✓" not in page.buyer_form.id_check.text()
    box.selectAll()
    type_text(box, GOOD_ID)
    assert "✓" in page.buyer_form.id_check.text() or "有效" in page.buyer_form.id_check.text()
    QTest.keyClick(box, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    wait_for(loop, lambda: counts(window)["needs_data"] == 0, timeout=60)

    # 待确认合并: the plan shows the three orders; Enter confirms.
    QTest.keyClick(box, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert page.tabs.currentIndex() == 1 and page.merge.hasFocus() and page.merge.current() is not None
    plan_text = page.merge_plan.toPlainText()
    assert len(re.findall(r"^DB[0-9]{8}", plan_text, re.MULTILINE)) == 3 and "¥780.00" in plan_text
    shot(window, "finance-2-merge-plan")
    QTest.keyClick(page.merge, Qt.Key.Key_Return)
    wait_for(loop, lambda: counts(window)["merge"] == 0, timeout=60)

    # 开票中/失败: the reason in words; Retry.
    page.tabs.setCurrentIndex(2)
    wait_for(
        loop,
        lambda: page.issuing.model_.rowCount() == 1 and "开票失败" in page.issuing.model_.item(0, 5).text(),
        timeout=60,
    )
    shot(window, "finance-3-failed")
    page.issuing.selectRow(0)
    click(page.retry_button)
    wait_for(loop, lambda: counts(window)["issued"] == 3 and counts(window)["issuing"] == 0, timeout=60)
    page.reload()  # the hub's figures: signed → issued
    wait_for(loop, lambda: "签收→开票" in page.figures.text(), timeout=30)

    # 已开票: open the merged invoice's PDF; red-letter one of its orders.
    page.tabs.setCurrentIndex(3)
    merged_row = next(r for r in range(page.issued.model_.rowCount()) if len(page.issued.body(r)["orders"]) == 3)
    page.issued.setFocus()
    page.issued.selectRow(merged_row)
    wait_for(loop, lambda: page.issued.current()["has_pdf"] or (window.sync.sync_now() and False), timeout=60)
    QTest.keyClick(page.issued, Qt.Key.Key_Return)
    wait_for(loop, lambda: opened, timeout=30)
    assert opened[0].read_bytes().startswith(b"%PDF")
    shot(window, "finance-4-issued")
    page.red_order.setCurrentIndex(1)
    click(page.red_button)
    wait_for(loop, lambda: counts(window)["red"] == 1, timeout=60)
    blue = page.issued.body(
        next(r for r in range(page.issued.model_.rowCount()) if len(page.issued.body(r)["orders"]) == 3)
    )
    wait_for(loop, lambda: page.desk.invoice(blue["order_no"])["state"] == "partly_red", timeout=60)
    page.tabs.setCurrentIndex(4)
    shot(window, "finance-5-red")

    # The hub goes away: a month lock waits in the outbox, counted in the status bar; it goes when the hub is back.
    port = int(hub.url.rsplit(":", 1)[1])
    hub.stop()
    window.sync.sync_now()
    wait_for(loop, lambda: "离线" in window.sync_label.text(), timeout=60)
    page.tabs.setCurrentIndex(5)
    page.lock_button.click()  # locking this month: waits offline
    wait_for(loop, lambda: window.sync.status.pending_actions >= 1, timeout=30)
    wait_for(loop, lambda: window.pending_label.text().startswith(f"{window.sync.status.pending_actions} 个操作待发送"))
    back = BackgroundHub(hub.store, port=port, app=hub.app)
    back.start()
    try:
        window.sync.sync_now()
        wait_for(loop, lambda: window.sync.status.online and window.sync.status.pending_actions == 0, timeout=60)
        wait_for(loop, lambda: page.desk.locks(), timeout=60)

        # 月度清单: the month's list as XLSX for Kingdee, read back.
        target = tmp_path / "list.xlsx"
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "*.xlsx"))
        page.reload()
        click(next(b for b in page.findChildren(type(page.lock_button)) if "XLSX" in b.text()))
        book = openpyxl.load_workbook(target, read_only=True)
        rows = [r for sheet in book.worksheets for r in sheet.iter_rows(min_row=3, values_only=True) if any(r)]
        assert len(rows) >= 4  # three blue invoices (one with six lines) and a red one
        shot(window, "finance-6-monthly")
    finally:
        back.stop()
