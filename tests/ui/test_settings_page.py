"""The settings page under pytest-qt (offscreen), driven by real key and mouse events: a network
printer added and made default prints a test label onto a recording socket server, a bad address is
refused or fails in words that say to change the setting, a CUPS queue gets the label's media, and the
page fits a 1280×720 screen in Chinese."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QMessageBox

from orderdesk.app.services.settings import Settings, SettingsSaved
from orderdesk.app.ui.printer_dialog import PrinterDialog
from orderdesk.app.ui.settings_page import FIELD_WIDTH, PAGE_WIDTH, SettingsPage
from orderdesk.printing.printers import PrinterBook
from tests.ui.conftest import wait_for

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def page(loop, qtbot, tmp_path: Path) -> SettingsPage:
    made = SettingsPage(Settings(), book=PrinterBook(tmp_path / "printers.json"), settings_path=tmp_path / "s.json")
    qtbot.addWidget(made)
    made.resize(1130, 640)
    made.show()
    return made


def choose(qtbot, combo: QComboBox, data: str) -> None:
    """Pick an entry the way a keyboard user does: Home, then Down until it is there."""
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(combo.count()):
        if combo.currentData() == data:
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentData() == data


def type_into(qtbot, field, text: str) -> None:
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    qtbot.keyClicks(field, text)


def add_printer(qtbot, page: SettingsPage, *, name: str, profile: str, kind: str, **fields: str) -> PrinterDialog:
    qtbot.mouseClick(page.add_button, LEFT)
    dialog = page.dialog
    assert dialog is not None and dialog.isVisible()
    type_into(qtbot, dialog.name, name)
    choose(qtbot, dialog.profile, profile)
    choose(qtbot, dialog.kind, kind)
    for field, text in fields.items():
        type_into(qtbot, getattr(dialog, field), text)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), LEFT)
    return dialog


def select(qtbot, page: SettingsPage, name: str) -> None:
    for row in range(page.printer_list.count()):
        item = page.printer_list.item(row)
        if item.data(Qt.ItemDataRole.UserRole) == name:
            rect = page.printer_list.visualItemRect(item)
            qtbot.mouseClick(page.printer_list.viewport(), LEFT, pos=rect.center())
            assert page.selected_name() == name
            return
    raise AssertionError(f"{name} not in the list")


def test_a_network_printer_added_and_made_default_prints_the_test_label(loop, qtbot, page, printer_server) -> None:
    announced: list[SettingsSaved] = []
    page.saved.connect(announced.append)
    dialog = add_printer(qtbot, page, name="packing-1", profile="zpl-203-76x130", kind="tcp", host="127.0.0.1",
                         port=str(printer_server.port))  # fmt: skip
    assert not dialog.isVisible() and page.selected_name() == "packing-1"
    qtbot.mouseClick(page.default_button, LEFT)
    assert announced[-1].printer.name == "packing-1" and "printers" in announced[-1].changed
    assert page.printer_list.currentItem().text().startswith("★ packing-1")
    qtbot.mouseClick(page.test_button, LEFT)
    wait_for(loop, lambda: page.testing is not None and page.testing.done())
    assert len(printer_server.received) == 1 and printer_server.received[0].startswith(b"^XA")
    assert page.printer_message.text() == f"测试面单:已发送到打印机 127.0.0.1:{printer_server.port}"


def test_a_bad_address_is_refused_in_words_and_one_naming_no_machine_is_not_worth_retrying(loop, qtbot, page) -> None:
    dialog = add_printer(qtbot, page, name="far", profile="zpl-203-76x130", kind="tcp", host="10.0.0.300")
    assert dialog.isVisible() and dialog.focusWidget() is dialog.host  # still open, on the field to fix
    assert dialog.error.text().startswith("host '10.0.0.300':不是有效的 IPv4 地址")
    type_into(qtbot, dialog.host, "printer-nowhere.invalid")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), LEFT)
    assert not dialog.isVisible()
    select(qtbot, page, "far")
    qtbot.mouseClick(page.test_button, LEFT)
    wait_for(loop, lambda: page.testing is not None and page.testing.done())
    said = page.printer_message.text()
    assert said.startswith("测试打印失败,请先修改这台打印机的设置:") and "找不到名为 printer-nowhere.invalid" in said


def test_a_cups_queue_gets_the_labels_media_and_the_packer_reads_the_queue(loop, qtbot, page, fake_cups) -> None:
    add_printer(qtbot, page, name="office", profile="pdf-76x130", kind="queue", queue="Zebra_ZD421")
    select(qtbot, page, "office")
    qtbot.mouseClick(page.test_button, LEFT)
    wait_for(loop, lambda: page.testing is not None and page.testing.done())
    (call,) = fake_cups.calls()
    assert call["argv"][:2] == ["-d", "Zebra_ZD421"] and "media=Custom.76x130mm" in call["argv"]
    assert page.printer_message.text() == "测试面单:已送到打印队列 Zebra_ZD421"


def test_the_test_print_renders_off_the_ui_thread_and_the_window_keeps_ticking(loop, qtbot, page, monkeypatch) -> None:
    from orderdesk.printing import render as printing_render

    rendered_on: list[int] = []
    real = printing_render.render

    def spy(*args, **kwargs):
        rendered_on.append(threading.get_ident())
        return real(*args, **kwargs)

    monkeypatch.setattr(printing_render, "render", spy)
    ticks: list[int] = []
    ticker = QTimer(interval=10)
    ticker.timeout.connect(lambda: ticks.append(1))
    ticker.start()
    select(qtbot, page, "pdf-folder")
    qtbot.mouseClick(page.test_button, LEFT)
    assert not page.test_button.isEnabled()  # one test print at a time
    wait_for(loop, lambda: page.testing is not None and page.testing.done())
    ticker.stop()
    assert rendered_on and rendered_on[0] != threading.main_thread().ident
    assert ticks and page.test_button.isEnabled()
    assert page.printer_message.text().startswith("测试面单:已保存为 ")


def test_saving_says_what_applies_when_and_refuses_a_bad_hub_address(loop, qtbot, page, tmp_path: Path) -> None:
    announced: list[SettingsSaved] = []
    page.saved.connect(announced.append)
    type_into(qtbot, page.interval, "60")
    qtbot.mouseClick(page.save_button, LEFT)
    assert announced[-1].changed == {"sync_interval_s"} and announced[-1].settings.sync_interval_s == 60
    assert page.message.text() == "已保存。"
    type_into(qtbot, page.hub, "hub.example.com")
    qtbot.mouseClick(page.save_button, LEFT)
    assert page.message.text().startswith("hub_url 'hub.example.com':订单中心地址应写作") and len(announced) == 1
    type_into(qtbot, page.hub, "http://hub.example.com:8765")
    qtbot.mouseClick(page.save_button, LEFT)
    assert announced[-1].needs_sign_in and "下次登录" in page.message.text()
    assert Settings.load(tmp_path / "s.json").hub_url == "http://hub.example.com:8765"


def test_a_template_of_another_size_is_refused_and_making_a_wide_printer_default_resets_it(loop, qtbot, page) -> None:
    choose(qtbot, page.template, "waybill-100x150")
    qtbot.mouseClick(page.save_button, LEFT)  # the default printer prints 76×130
    assert "waybill-100x150" in page.message.text() and "76×130" in page.message.text()
    choose(qtbot, page.template, "waybill-76x130")
    qtbot.mouseClick(page.save_button, LEFT)
    assert page.settings.template == "waybill-76x130"
    add_printer(qtbot, page, name="wide", profile="pdf-100x150", kind="file")
    qtbot.mouseClick(page.default_button, LEFT)
    assert page.settings.template == "" and page.template.currentData() == ""
    assert "配置自带" in page.printer_message.text()


def test_removing_asks_first_and_the_built_in_printer_stays(loop, qtbot, page, monkeypatch) -> None:
    add_printer(qtbot, page, name="spare", profile="pdf-76x130", kind="file")
    qtbot.mouseClick(page.default_button, LEFT)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(page.remove_button, LEFT)
    assert [page.printer_list.item(r).data(Qt.ItemDataRole.UserRole) for r in range(page.printer_list.count())] == [
        "pdf-folder"
    ]
    assert "默认打印机为 pdf-folder" in page.printer_message.text()
    select(qtbot, page, "pdf-folder")
    qtbot.mouseClick(page.remove_button, LEFT)
    assert "内置打印机不能删除" in page.printer_message.text()


def test_the_page_fits_a_1280_by_720_screen_with_fields_of_sensible_width_and_chinese_buttons(loop, qtbot, page):
    hint = page.minimumSizeHint()
    assert hint.width() <= 1280 - 160 and hint.height() <= 720 - 80  # beside the workspace list, above the status bar
    page.resize(1920, 1080)
    qtbot.wait(50)
    assert page.hub.width() <= FIELD_WIDTH and page.printer_list.width() <= PAGE_WIDTH
    dialog = page.add_printer()
    buttons = dialog.buttons
    assert buttons.button(QDialogButtonBox.StandardButton.Ok).text() == "确定"
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "取消"
    visible = [w.text() for w in (page.add_button, page.edit_button, page.remove_button, page.default_button,
                                  page.test_button, page.save_button)]  # fmt: skip
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in text) for text in visible), visible
    qtbot.mouseClick(buttons.button(QDialogButtonBox.StandardButton.Cancel), LEFT)
    assert not dialog.isVisible()


def test_a_refused_setting_reaching_the_error_handler_is_said_in_chinese(loop) -> None:
    from orderdesk.app.services.settings import check_interval
    from orderdesk.app.ui.errors import message_for

    with pytest.raises(Exception) as refused:
        check_interval(0)
    assert message_for(refused.value) == "sync_interval_s 0:同步间隔应为 1–3600 秒"


def test_a_supervisor_sets_the_daily_reports_time(loop, qtbot, tmp_path: Path) -> None:
    from PySide6.QtCore import QTime

    page = SettingsPage(Settings(), book=PrinterBook(tmp_path / "printers.json"), settings_path=tmp_path / "s.json",
                        reports=True)  # fmt: skip
    qtbot.addWidget(page)
    assert page.report_time.time() == QTime(9, 0) and page.report_time.isVisibleTo(page)
    page.report_time.setTime(QTime(8, 30))
    page.save()
    assert Settings.load(tmp_path / "s.json").report_time == "08:30"
    packer = SettingsPage(Settings(), book=PrinterBook(tmp_path / "p.json"), settings_path=tmp_path / "p.json")
    qtbot.addWidget(packer)
    assert not packer.report_time.isVisibleTo(packer)  # only where there are reports to make


def test_a_damaged_report_time_falls_back_to_nine(tmp_path: Path) -> None:
    (tmp_path / "s.json").write_text('{"report_time": "25:99"}')
    assert Settings.load(tmp_path / "s.json").report_time == "09:00"
