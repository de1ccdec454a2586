"""The main window against the real hub: sync status, the packing flow end to end (a label file and
a print result on the hub), and the translation files."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from orderdesk.app.services.session import Session
from orderdesk.app.services.settings import Settings
from orderdesk.app.ui.i18n import TRANSLATIONS
from orderdesk.app.ui.main_window import MainWindow
from orderdesk.app.ui.packing_dialogs import ConfirmDialog, MarkersDialog, ReprintReasonDialog
from orderdesk.hub.demo import seed
from orderdesk.printing.printers import Printer
from orderdesk.printing.profiles import load_profile
from orderdesk.printing.transports import FileTransport
from tests.conftest import token_for
from tests.ui.conftest import run, shown_dialog, type_text, wait_for


def session_for(hub, user: str) -> Session:
    return Session(hub.url, user, user, token_for(hub.url, user), 2_000_000_000, False)


@pytest.fixture
def seeded(hub):
    seed(hub.store, 300, seed_value=11)
    return hub


def test_sync_status_goes_online_fills_the_browser_then_says_offline(loop, seeded, cache, qtbot) -> None:
    window = MainWindow(session_for(seeded, "supervisor"), cache, Settings(sync_interval_s=0.2))
    qtbot.addWidget(window)
    wait_for(loop, lambda: window.sync.status.last_synced_at is not None)
    assert "在线" in window.sync_label.text() or "同步中" in window.sync_label.text()
    wait_for(loop, lambda: len(window.orders_page.model.ids) == 300)
    assert window.orders_page.count.text() == "300 个订单"
    seeded.stop()
    window.sync.sync_now()
    wait_for(loop, lambda: window.sync.status.error is not None, timeout=60)
    wait_for(loop, lambda: "离线" in window.sync_label.text())
    assert "无法连接中心" in window.error_label.text()
    run(loop, window.shutdown())


def test_packing_flow_prints_a_label_file_and_reports_it_to_the_hub(loop, seeded, cache, qtbot, tmp_path):
    folder = tmp_path / "labels"
    printer = Printer("test-pdf", load_profile("pdf-76x130"), FileTransport(folder), True)
    window = MainWindow(session_for(seeded, "packer"), cache, Settings(sync_interval_s=0.2), printer=printer)
    qtbot.addWidget(window)
    wait_for(loop, lambda: window.sync.status.last_synced_at is not None)
    with cache.read() as c:
        domain_id, waybill = c.exec_driver_sql(
            "SELECT domain_id, waybill_no FROM orders WHERE receiver_name GLOB '*[龘堃喆昇赟犇淼焱𠀾𪚥]*' "
            "AND NOT cancelled AND refund != 'refunded' LIMIT 1"
        ).one()
    page = window.packing_page
    qtbot.keyClicks(page.scan_box, waybill)  # a keyboard-wedge scanner types the code, then Enter
    qtbot.keyClick(page.scan_box, Qt.Key.Key_Return)
    wait_for(loop, page.idle)
    assert page.current is not None and page.current.domain_id == domain_id
    texts = [page.checks.item(i).text() for i in range(page.checks.count())]
    assert texts and (any("拼音" in t or "标记" in t for t in texts) or texts == ["所有字符均按原样打印。"])
    assert not page.preview.pixmap().isNull()
    qtbot.keyClick(page.scan_box, Qt.Key.Key_Return)  # Enter on an empty box prints
    answer_markers(loop, page)
    wait_for(loop, page.idle)
    assert "已打印" in page.message.text()
    files = list(folder.glob(f"{domain_id}-*.pdf"))
    assert len(files) == 1 and files[0].read_bytes().startswith(b"%PDF")

    def reported() -> bool:
        with seeded.store.read() as c:
            return bool(c.exec_driver_sql(
                "SELECT 1 FROM hub_actions WHERE kind = 'print_result' AND order_domain_id = ?", (domain_id,)
            ).first())  # fmt: skip

    wait_for(loop, reported)
    page.print_current()  # a reprint: no reason given, then cancelled
    answer_markers(loop, page)
    dialog = wait_for(loop, lambda: shown_dialog(page, ReprintReasonDialog))
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.error.text()  # Enter without a reason asks for one
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Escape)
    wait_for(loop, page.idle)
    assert "需要填写原因" in page.message.text()
    page.print_current()
    answer_markers(loop, page)
    dialog = wait_for(loop, lambda: shown_dialog(page, ReprintReasonDialog))
    type_text(dialog.reason, "面单撕坏")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    wait_for(loop, lambda: page.idle() and len(list(folder.glob(f"{domain_id}-*.pdf"))) == 2)
    with cache.read() as c:
        reasons = [r[0] for r in c.exec_driver_sql("SELECT reason FROM print_jobs ORDER BY id")]
    assert reasons == [None, "面单撕坏"]
    run(loop, window.shutdown())


def answer_markers(loop, page) -> None:
    """What the station asks before printing: an order already shipped (Enter: print anyway), and a
    name no font has (the test prints the markers knowingly)."""
    if page.current is not None and page.current.verdict.level == "confirm":
        dialog = wait_for(loop, lambda: shown_dialog(page, ConfirmDialog))
        QTest.keyClick(dialog, Qt.Key.Key_Return)
        wait_for(loop, lambda: shown_dialog(page, ConfirmDialog) is None)
    if page.current is not None and page.current.label.preflight.markers:
        dialog = wait_for(loop, lambda: shown_dialog(page, MarkersDialog))
        dialog.print_markers.click()


def test_a_failed_printer_says_what_happened_and_f5_retries(loop, seeded, cache, qtbot, tmp_path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder should be")
    printer = Printer("broken", load_profile("zpl-203-76x130"), FileTransport(blocked), True)
    window = MainWindow(session_for(seeded, "packer"), cache, Settings(), printer=printer)
    qtbot.addWidget(window)
    wait_for(loop, lambda: window.sync.status.last_synced_at is not None)
    page = window.packing_page
    with cache.read() as c:
        domain_id = c.exec_driver_sql(
            "SELECT domain_id FROM orders WHERE fulfilment = 'PAID' AND NOT cancelled AND refund = 'none' "
            "AND receiver_name NOT GLOB '*[龘堃喆昇赟犇淼焱𠀾𪚥]*' LIMIT 1"
        ).scalar_one()
    run(loop, page.look_up(domain_id))
    page.print_current()
    wait_for(loop, page.idle)
    assert "失败" in page.message.text() and "无法把面单写入" in page.message.text()
    assert page.retry_button.isEnabled()
    blocked.unlink()
    window.show()  # F5 is the scan box's shortcut: it works where a packer presses it, in the active window
    window.activateWindow()
    wait_for(loop, lambda: QApplication.activeWindow() is window)
    page.focus_scan()
    qtbot.keyClick(page.scan_box, Qt.Key.Key_F5)
    wait_for(loop, lambda: page.idle() and page.jobs.newest_failed() is None)
    assert "已打印" in page.message.text() and len(list(blocked.glob("*.zpl"))) == 1
    run(loop, window.shutdown())


def test_every_visible_string_has_a_chinese_translation_and_the_qm_is_current(tmp_path: Path) -> None:
    hidden = [  # lupdate cannot see a tr() inside an f-string: it would never be translated
        f"{path}:{number}"
        for path in Path("orderdesk/app/ui").glob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"""\bf["'][^"']*\{[^}]*\b(tr|translate)\(""", line)
    ]
    assert hidden == []
    tools = Path(sys.executable).parent  # PySide6-Essentials installs them beside the venv's python
    lupdate, lrelease = str(tools / "pyside6-lupdate"), str(tools / "pyside6-lrelease")
    ts = tmp_path / "check.ts"
    shutil.copy(TRANSLATIONS / "orderdesk_zh_CN.ts", ts)
    sources = sorted(str(p) for p in Path("orderdesk/app/ui").glob("*.py"))
    subprocess.run([lupdate, *sources, "-ts", str(ts), "-no-obsolete"], check=True, capture_output=True)
    untranslated = [
        m.findtext("source")
        for m in ET.parse(ts).getroot().iter("message")
        if m.find("translation").get("type") == "unfinished" or not m.findtext("translation")
    ]
    assert untranslated == [], "add these to resources/translations/orderdesk_zh_CN.ts, then run lrelease"
    qm = tmp_path / "check.qm"
    subprocess.run(
        [lrelease, str(TRANSLATIONS / "orderdesk_zh_CN.ts"), "-qm", str(qm)], check=True, capture_output=True
    )
    assert qm.read_bytes() == (TRANSLATIONS / "orderdesk_zh_CN.qm").read_bytes()


def test_settings_are_typed_with_defaults_and_hold_no_secret(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    assert Settings.load(path) == Settings()
    path.write_text(json.dumps({"printer": "zpl-203-76x130", "sync_interval_s": "fast", "language": "klingon"}))
    loaded = Settings.load(path)
    assert (loaded.printer, loaded.sync_interval_s, loaded.language) == ("zpl-203-76x130", 5.0, "zh_CN")
    loaded.save(path)
    assert "token" not in path.read_text()


def test_errors_become_words_a_packer_can_act_on(loop) -> None:
    from orderdesk.app.ui.errors import log_file, message_for
    from orderdesk.printing.errors import PrinterUnreachable
    from orderdesk.sync.client import HubError

    assert message_for(PrinterUnreachable(en="printer x refused", zh="打印机 x 拒绝连接")) == "打印机 x 拒绝连接"
    assert "用户名和密码" in message_for(HubError(en="401", zh="401", status=401))
    assert "无法连接订单中心" in message_for(HubError(en="ConnectError", zh="ConnectError", status=0))
    unexpected = message_for(ZeroDivisionError("division by zero"))
    assert str(log_file()) in unexpected and "Traceback" not in unexpected
