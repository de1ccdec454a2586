"""Journeys through the whole console, as its people make them, with key and mouse events on the real
widgets against the real hub: sign in, sign out and in again as another role; a packer's shift with a
slow printer, a printer that dies, a cancelled order and a hub that goes away and comes back; settings
changed and applied; all of it on a 1280×720 screen, in Chinese and in English."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from orderdesk.app.services.settings import Settings
from orderdesk.app.ui import i18n
from orderdesk.app.ui.app import ask_to_sign_in, run_shifts
from orderdesk.app.ui.packing_dialogs import ReprintReasonDialog
from orderdesk.hub.demo import CANCEL_FIELDS, CANCELS, recent, seed
from orderdesk.hub.server import BackgroundHub
from orderdesk.printing.printers import Printer
from orderdesk.printing.profiles import load_profile
from orderdesk.printing.transports import RawTcpTransport
from orderdesk.sync.contract import ObservationRecord
from tests.ui.conftest import shown_dialog, wait_for
from tests.ui.journeys import (
    click,
    fully_inside,
    login_dialog,
    main_window,
    press,
    scan,
    shot,
    sign_in_with_keys,
    slow_printer,
)


@pytest.fixture
def seeded(hub):
    seed(hub.store, 300, seed_value=11, **recent(300))
    return hub


@pytest.fixture(name="slow_printer")
def slow_printer_fixture():
    printer = slow_printer()
    yield printer
    printer.stop()


def start_console(loop, hub, cache, *, printer: Printer | None = None, settings: Settings | None = None):
    """The console's run of shifts, as `orderdesk` starts it; returns (task, quit event)."""
    quit_event = asyncio.Event()

    async def login(note: str | None) -> Any:
        return await ask_to_sign_in(hub.url, quit_event, note=note)

    chosen = settings or Settings(hub_url=hub.url, sync_interval_s=0.5)
    task = asyncio.ensure_future(run_shifts(cache, chosen, quit_event, login, printer=printer))
    return task, quit_event


FULL_WIDTH = {code: code + 0xFEE0 for code in range(0x21, 0x7F)}


def fulfilment_of(cache, domain_id: str) -> str:
    with cache.read() as c:
        return (
            "已取消"
            if c.exec_driver_sql("SELECT cancelled FROM orders WHERE domain_id = ?", (domain_id,)).scalar()
            else ""
        )


def workspaces(window) -> list[str]:
    return [window.switcher.item(i).text() for i in range(window.switcher.count())]


def test_sign_in_out_and_in_as_each_role_as_often_as_people_like(loop, seeded, cache, memory_keyring, qtbot) -> None:
    task, _ = start_console(loop, seeded, cache)
    window = None
    expected = {"packer": ["打包", "订单", "库存", "设置"], "clerk": ["财务", "订单", "设置"],
                "supervisor": ["打包", "订单", "财务", "主管", "库存", "设置"]}  # fmt: skip
    for round_ in range(2):
        for user in ("packer", "clerk", "supervisor"):
            sign_in_with_keys(loop, user, user)
            window = main_window(loop, not_this=window)
            assert workspaces(window) == expected[user]
            if round_ == 0:
                shot(window, f"journey-1-{user}")
            assert not task.done()  # signing out never ended the console
            click(window.logout_button)
    dialog = sign_in_with_keys(loop, "packer", "wrong")
    wait_for(loop, lambda: "用户名和密码" in dialog.error.text())
    QTest.keyClick(dialog.password, Qt.Key.Key_Escape)  # Cancel at the sign-in: the console ends, cleanly
    wait_for(loop, task.done)
    assert task.exception() is None


def test_a_packers_shift_with_a_slow_printer_a_dead_printer_a_cancelled_order_and_a_hub_outage(
    loop, seeded, cache, slow_printer, qtbot
) -> None:
    printer = Printer(
        "slow", load_profile("zpl-203-76x130"), RawTcpTransport("127.0.0.1", slow_printer.port, 5.0), True
    )
    task, quit_event = start_console(loop, seeded, cache, printer=printer)
    sign_in_with_keys(loop, "packer", "packer")
    window = main_window(loop)
    window.resize(1280, 720)
    wait_for(loop, lambda: window.sync.status.last_synced_at is not None)
    page = window.packing_page
    assert QApplication.focusWidget() in (page.scan_box, None) and page.scan_box.hasFocus()  # scans are not lost
    with cache.read() as c:
        paid = [r[0] for r in c.exec_driver_sql(
            "SELECT waybill_no FROM orders WHERE fulfilment = 'PAID' AND NOT cancelled AND refund = 'none' "
            "AND receiver_name NOT GLOB '*[龘堃喆昇赟犇淼焱𠀾𪚥]*' ORDER BY id LIMIT 5")]  # fmt: skip
        cancelled, channel, shop, number = c.exec_driver_sql(
            "SELECT domain_id, channel, shop, channel_order_no FROM orders WHERE waybill_no = ?", (paid.pop(),)
        ).one()
    cancel = {"source": channel, "status": CANCELS[channel], "fields": CANCEL_FIELDS.get(channel, {}),
              "observed_at": "2026-11-27 10:00:00", "order": {"channel": channel, "shop": shop,
                                                               "channel_order_no": number}}  # fmt: skip
    with seeded.store.write() as c:  # the buyer cancels while the packer works: it arrives by sync
        seeded.store.put_observations(c, [ObservationRecord.model_validate(cancel)])
    window.sync.sync_now()

    # A and B: B is scanned while A's label is still coming out of the slow printer.
    scan(page, paid[0])
    wait_for(loop, page.idle)
    a = page.current.domain_id
    assert page.items.text().startswith("装箱:")  # what goes in the box
    QTest.keyClick(page.scan_box, Qt.Key.Key_Return)  # print A
    wait_for(loop, lambda: any(page.jobs.line(i).state == "printing" for i in page.jobs.all_items()))
    scan(page, paid[1].lower())  # a scanner sending lower case finds it too
    wait_for(loop, lambda: page.current is not None and page.current.domain_id != a)
    b = page.current.domain_id
    shot(window, "journey-2-printing-a-while-b-is-scanned")
    wait_for(loop, page.idle, timeout=60)
    done = {
        page.jobs.line(i).order: page.jobs.line(i) for i in page.jobs.all_items() if page.jobs.line(i).state == "done"
    }
    assert a in done and b not in done  # A's result on A's own line
    assert page.current.domain_id == b and page.current.printed_by is None  # B not marked printed
    QTest.keyClick(page.scan_box, Qt.Key.Key_Return)  # B's first print asks no reprint reason
    wait_for(loop, lambda: page.idle() and any(page.jobs.line(i).order == b and page.jobs.line(i).state == "done"
                                               for i in page.jobs.all_items()), timeout=60)  # fmt: skip
    with cache.read() as c:
        jobs = c.exec_driver_sql(
            "SELECT o.domain_id, j.reprint_of FROM print_jobs j JOIN orders o ON o.id = j.order_id ORDER BY j.id"
        ).all()  # fmt: skip
    assert [tuple(j) for j in jobs] == [(a, None), (b, None)]
    assert len(slow_printer.received) == 2
    QTest.keyClick(page.scan_box, Qt.Key.Key_Return)  # B once more: a reprint asks why; "2" picks a preset
    reason = wait_for(loop, lambda: shown_dialog(page, ReprintReasonDialog))
    shot(window, "journey-2-reprint-reason")
    QTest.keyClick(reason.reason, Qt.Key.Key_2)
    wait_for(loop, lambda: page.idle() and len(slow_printer.received) == 3, timeout=60)
    with cache.read() as c:
        assert c.exec_driver_sql("SELECT reason FROM print_jobs ORDER BY id DESC LIMIT 1").scalar() == "面单损坏"

    # A cancelled order: its state is shown, and Enter does not print it.
    wait_for(loop, lambda: window.sync.status.orders_applied > 0 or "已取消" in fulfilment_of(cache, cancelled))
    scan(page, cancelled)
    wait_for(loop, page.idle)
    assert "已取消" in page.state.text()
    QTest.keyClick(page.scan_box, Qt.Key.Key_Return)
    wait_for(loop, lambda: "只有主管" in page.message.text())
    shot(window, "journey-2-cancelled-order-refused")

    # The printer dies: the job fails and stays in view; it comes back: F5 prints the same label.
    slow_printer.stop()
    scan(page, paid[2].translate(FULL_WIDTH))  # a scanner behind a Chinese input method in full-width mode
    wait_for(loop, page.idle)
    QTest.keyClick(page.scan_box, Qt.Key.Key_Return)
    wait_for(loop, lambda: page.idle() and page.jobs.newest_failed() is not None, timeout=60)
    assert "失败" in page.message.text() and page.retry_button.isEnabled()
    scan(page, paid[0])  # the next parcel: the failed job stays in view
    wait_for(loop, page.idle)
    assert page.jobs.newest_failed() is not None
    shot(window, "journey-2-failed-job-stays")
    slow_printer.start()
    press(loop, page.scan_box, Qt.Key.Key_F5)
    wait_for(loop, lambda: page.idle() and page.jobs.newest_failed() is None, timeout=60)
    assert len(slow_printer.received) == 4

    # The hub goes away: the console says offline, prints on, counts the results waiting; it comes back.
    port = int(seeded.url.rsplit(":", 1)[1])
    seeded.stop()
    window.sync.sync_now()
    wait_for(loop, lambda: "离线" in window.sync_label.text(), timeout=60)
    scan(page, paid[3])
    wait_for(loop, page.idle)
    QTest.keyClick(page.scan_box, Qt.Key.Key_Return)
    wait_for(loop, lambda: page.idle() and window.sync.status.pending_actions >= 1, timeout=60)  # counted offline
    shot(window, "journey-2-hub-offline")
    back = BackgroundHub(seeded.store, port=port, app=seeded.app)
    back.start()
    try:
        window.sync.sync_now()
        wait_for(loop, lambda: window.sync.status.online and window.sync.status.pending_actions == 0, timeout=60)
    finally:
        quit_event.set()  # as Ctrl-C or closing the window: sync stops, the console ends
        wait_for(loop, task.done, timeout=60)
        back.stop()
    assert task.exception() is None


def test_settings_changed_in_the_console_apply_at_once(loop, seeded, cache, slow_printer, qtbot) -> None:
    task, quit_event = start_console(loop, seeded, cache, settings=Settings(hub_url=seeded.url, sync_interval_s=5))
    sign_in_with_keys(loop, "supervisor", "supervisor")
    window = main_window(loop)
    QTest.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)  # Ctrl+6: Settings
    page = window.pages["settings"]
    wait_for(loop, lambda: window.stack.currentWidget() is page)
    page.interval.selectAll()
    QTest.keyClicks(page.interval, "60")
    click(page.save_button)
    wait_for(loop, lambda: window.sync.interval_s == 60)  # not at the next start: now
    shot(window, "journey-3-settings")
    QTest.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)  # Ctrl+1: back to packing
    packing = window.packing_page
    wait_for(loop, packing.scan_box.hasFocus)
    quit_event.set()
    wait_for(loop, task.done, timeout=60)


def test_everything_a_person_must_reach_fits_a_1280_by_720_screen(loop, seeded, cache, qtbot) -> None:
    task, quit_event = start_console(loop, seeded, cache)
    sign_in_with_keys(loop, "supervisor", "supervisor")
    window = main_window(loop)
    window.resize(1280, 720)
    wait_for(loop, lambda: window.width() == 1280 and window.height() <= 720)
    assert fully_inside(window.logout_button, window) and fully_inside(window.sync_label, window)
    page = window.packing_page
    for button in (page.print_button, page.retry_button, page.clear_button, page.scan_box):
        assert fully_inside(button, window), button
    window.show_workspace("orders")
    orders = window.orders_page
    QTest.qWait(100)
    for widget in (orders.search, orders.count, orders.until, orders.dated):
        assert fully_inside(widget, window), widget
    shot(window, "journey-4-orders-1280x720")
    quit_event.set()
    wait_for(loop, task.done, timeout=60)


def test_the_console_in_english_says_everything_in_english(loop, seeded, cache, qtbot) -> None:
    i18n.install("en")
    try:
        task, quit_event = start_console(loop, seeded, cache)
        sign_in_with_keys(loop, "supervisor", "supervisor")
        window = main_window(loop)
        wait_for(loop, lambda: window.sync.status.last_synced_at is not None)
        window.show_workspace("orders")
        wait_for(loop, lambda: len(window.orders_page.model.ids) > 0)
        window.orders_page.table.selectRow(0)
        wait_for(loop, lambda: window.orders_page.detail.document is not None)
        shot(window, "journey-5-english")
        cjk = re.compile(r"[\u4e00-\u9fff]")
        menus = [action.text() for action in window.menuBar().actions()]
        assert menus == ["&File", "&View", "&Help"]
        for text in (window.sync_label.text(), window.last_label.text(), window.pending_label.text(),
                     window.user_label.text(), window.logout_button.text(), window.orders_page.count.text(),
                     *menus, *workspaces(window)):  # fmt: skip
            assert not cjk.search(text), text
        assert window.user_label.text() == "supervisor" and window.logout_button.text() == "Sign out"
        receiver = window.orders_page.detail.document["receiver"]
        overview = window.orders_page.detail.overview.toPlainText()
        for data in (receiver["name"], receiver["province"] + receiver["city"] + receiver["district"],
                     receiver["address"], *(line["title"] for line in window.orders_page.detail.document["lines"])):  # fmt: skip
            overview = overview.replace(data, "")  # the customer's own words stay as written
        assert not cjk.search(overview), overview
        quit_event.set()
        wait_for(loop, task.done, timeout=60)
    finally:
        i18n.install("zh_CN")


def test_the_demo_signs_out_to_its_users_and_every_role_can_be_tried(loop, qtbot, tmp_path, monkeypatch) -> None:
    from orderdesk.app.ui.app import demo_shifts
    from orderdesk.app.ui.demo import DemoHome

    monkeypatch.setenv("TMPDIR", str(tmp_path))
    quit_event = asyncio.Event()
    with DemoHome() as home:
        task = asyncio.ensure_future(demo_shifts(home, 120, quit_event))
        window = main_window(loop)
        assert window.session.role == "supervisor"
        click(window.logout_button)
        dialog = login_dialog(loop)
        assert set(dialog.demo_buttons) == {"packer", "clerk", "supervisor"} and not dialog.remember.isVisible()
        shot(dialog, "journey-6-demo-sign-in")
        click(dialog.demo_buttons["packer"])  # fills in the demo user and password
        QTest.keyClick(dialog.password, Qt.Key.Key_Return)
        packer = main_window(loop, not_this=window)
        assert workspaces(packer) == ["打包", "订单", "库存", "设置"]
        packer.close()  # the window's close ends the demo
        wait_for(loop, task.done, timeout=60)
        assert task.exception() is None
        folder = home.folder
    assert not folder.exists()  # its hub, cache and labels went with it
