"""A supervisor's morning through the real window, with key and mouse events, against the real hub (the
demo's planted January and a month of ordinary orders) and two local group robots: the consistency
dashboard, a drill-down from a highlighted channel to a stuck order's full trace, BI versus finance for
January to the fen, the health score, the self-check, the daily report made and sent — once, though
sent twice — and a mapping tried. Offline, the tabs still read from the cache."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from orderdesk.alerts.local_robot import local_robot, local_wecom
from orderdesk.app.ui.supervision_widgets import OrderTrace
from orderdesk.hub import reconciliation_demo
from orderdesk.hub.demo import recent, seed
from tests.ui.conftest import type_text, wait_for
from tests.ui.journeys import click, main_window, shot, sign_in_with_keys
from tests.ui.test_journeys import start_console


def open_tab(page, tab) -> None:
    """A click on the tab's title, as a person picks it."""
    bar = page.tabs.tabBar()
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(page.tabs.indexOf(tab)).center())


@pytest.fixture
def robots(monkeypatch):
    wecom, dingtalk = local_wecom("wk"), local_robot("dt", "SECdt")
    wecom.start()
    dingtalk.start()
    monkeypatch.setenv("ORDERDESK_WECOM_WEBHOOK", f"{wecom.url}/cgi-bin/webhook/send?key=wk")
    monkeypatch.setenv("ORDERDESK_DINGTALK_WEBHOOK", f"{dingtalk.url}/robot/send?access_token=dt")
    monkeypatch.setenv("ORDERDESK_DINGTALK_SECRET", "SECdt")
    yield wecom, dingtalk
    wecom.stop()
    dingtalk.stop()


def test_a_supervisors_morning(loop, hub, cache, robots, qtbot) -> None:
    reconciliation_demo.seed(hub.store)
    seed(hub.store, 400, 5, **recent(400, days=20, now=datetime.now(UTC)))
    wecom, dingtalk = robots
    task, quit_event = start_console(loop, hub, cache)
    try:
        sign_in_with_keys(loop, "supervisor", "supervisor")
        window = main_window(loop)
        window.resize(1280, 720)
        wait_for(loop, lambda: window.sync.status.last_synced_at is not None, timeout=120)
        QTest.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)  # Ctrl+4: Supervision
        page = window.supervision_page
        wait_for(loop, lambda: window.stack.currentWidget() is page)
        board = page.consistency
        wait_for(loop, lambda: board.channels.rowCount() == 6, timeout=60)
        board.days.setFocus()
        QTest.keyClick(board.days, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        type_text(board.days, "30")
        QTest.keyClick(board.days, Qt.Key.Key_Return)
        wait_for(loop, lambda: "30" in board.days.text() and not board._running, timeout=60)
        assert int(board.channels.item(0, 2).text()) > 0  # the most disagreeing first
        assert "%" in board.summary.text()
        shot(window, "supervision-1-consistency")

        # the channel with the most disagreement, then its first order, then that order's trace
        QTest.mouseClick(board.channels.viewport(), Qt.MouseButton.LeftButton,
                         pos=board.channels.visualItemRect(board.channels.item(0, 0)).center())  # fmt: skip
        channel = board.channels.item(0, 0).text()  # its name, as the orders show it too
        wait_for(loop, lambda: board.orders.rowCount() > 0 and all(
            board.orders.item(r, 2).text() == channel for r in range(board.orders.rowCount())), timeout=30)  # fmt: skip
        board.orders.setFocus()
        board.orders.setCurrentCell(0, 0)
        QTest.keyClick(board.orders, Qt.Key.Key_Return)
        trace = wait_for(loop, lambda: next((w for w in QApplication.topLevelWidgets()
                                             if isinstance(w, OrderTrace) and w.isVisible()), None))  # fmt: skip
        assert trace.detail.count() >= 3  # overview, timeline, observations, audit…
        assert (
            "物流" in trace.why.text() or "签收" in trace.why.text() or "结算" in trace.why.text()
        )  # why it is listed
        shot(trace, "supervision-2-trace")
        QTest.keyClick(trace, Qt.Key.Key_Escape)
        wait_for(loop, lambda: not trace.isVisible())

        # BI versus finance: January 2026, Taobao, to the fen
        open_tab(page, page.reconciliation)
        money = page.reconciliation
        wait_for(loop, lambda: money.month.count() > 0, timeout=30)
        money.month.setCurrentText("2026-01")
        money.channel.setCurrentIndex(money.channel.findData("taobao"))
        wait_for(loop, lambda: "84,200.00" in money.summary.text() and "79,300.00" in money.summary.text(), timeout=30)
        assert money.orders.rowCount() == 10
        shot(window, "supervision-3-reconciliation")

        open_tab(page, page.health)
        wait_for(loop, lambda: page.health.dimensions.rowCount() == 17, timeout=30)
        assert page.health.score.text()
        shot(window, "supervision-4-health")
        # one shop's score, then every shop's again, from the keyboard
        shops = page.health.shop
        assert shops.count() > 1 and shops.currentData() is None
        shops.setFocus()
        QTest.keyClick(shops, Qt.Key.Key_Down)
        wait_for(loop, lambda: page.health.scored is not None and page.health.scored.shop == shops.currentData()
                 and not page.health._running, timeout=30)  # fmt: skip
        assert page.health.dimensions.rowCount() == 17
        QTest.keyClick(shops, Qt.Key.Key_Up)
        wait_for(loop, lambda: page.health.scored is not None and page.health.scored.shop == "*"
                 and not page.health._running, timeout=30)  # fmt: skip
        open_tab(page, page.selfcheck)
        wait_for(loop, lambda: page.selfcheck.items.rowCount() == 10, timeout=30)
        assert "/10" in page.selfcheck.verdict.text()

        # the daily report, made and sent; sent again, it does not go twice
        open_tab(page, page.reports)
        reports = page.reports
        wait_for(loop, lambda: "状态一致性日报" in reports.preview.toPlainText(), timeout=60)

        def daily_sent() -> tuple[int, int]:
            return (sum("状态一致性日报" in m["text"] for m in wecom.app.state.messages),
                    sum("状态一致性日报" in m["text"] for m in dingtalk.app.state.messages))  # fmt: skip

        click(reports.send)
        wait_for(loop, lambda: daily_sent() == (1, 1), timeout=60)
        wait_for(loop, lambda: "wecom" in reports.note.text() and "已推送" in reports.note.text())
        click(reports.send)
        wait_for(loop, lambda: "已推送过" in reports.note.text() or "already sent" in reports.note.text(), timeout=60)
        assert daily_sent() == (1, 1)
        health_sent = [m for m in wecom.app.state.messages if "订单健康分" in m["text"]]
        assert len(health_sent) == (
            1 if "低于" in page.health.alert.text() or "Below 70" in page.health.alert.text() else 0
        )
        shot(window, "supervision-5-reports")

        # a Cainiao status tried in the mapping tables
        open_tab(page, page.mappings)
        maps = page.mappings
        wait_for(loop, lambda: maps.sources.rowCount() > 5, timeout=30)
        row = next(
            r
            for r in range(maps.sources.rowCount())
            if maps.sources.item(r, 0).data(Qt.ItemDataRole.UserRole) == "kuaidi100"
        )
        maps.sources.selectRow(row)
        type_text(maps.raw, "3")
        QTest.keyClick(maps.raw, Qt.Key.Key_Return)
        assert "CARRIER_DELIVERED" in maps.tried.text()
        shot(window, "supervision-6-mappings")
    finally:
        quit_event.set()
        wait_for(loop, task.done, timeout=60)
    assert task.exception() is None
