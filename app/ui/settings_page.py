"""Settings: hub address, printer (with a test print), template, language, sync interval.
Stored typed, with defaults (app/services/settings.py); no secrets here."""

from __future__ import annotations

import asyncio
from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.settings import Settings
from app.ui.i18n import language, pick
from printing.errors import PrintingError
from printing.printers import get_printer, list_printers
from printing.profiles import template_names

SAMPLE = {
    "domain_id": "DB20261125TESTPRINT000",
    "channel_order_no": "TEST-0001",
    "waybill_no": "TEST1234567890",
    "carrier": "测试 TEST",
    "receiver": {
        "name": "测试打印 龘",
        "phone": "13800000000",
        "province": "浙江省",
        "city": "杭州市",
        "district": "西湖区",
        "address": "文三路 1 号 Test print",
    },
    "lines": [{"title": "测试商品 Test item", "quantity": 1}],
}


class SettingsPage(QWidget):
    saved = Signal(object)  # Settings

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings
        self.hub = QLineEdit(settings.hub_url)
        self.printer = QComboBox()
        for printer in list_printers():
            self.printer.addItem(f"{printer.name} — {printer.profile.title(language())}", printer.name)
        self.printer.setCurrentIndex(max(0, self.printer.findData(settings.printer)))
        self.template = QComboBox()
        self.template.addItem(self.tr("The printer profile's own"), "")
        for name in template_names():
            self.template.addItem(name, name)
        self.template.setCurrentIndex(max(0, self.template.findData(settings.template)))
        self.language = QComboBox()
        self.language.addItem("中文(简体)", "zh_CN")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        self.interval = QDoubleSpinBox()
        self.interval.setRange(1, 3600)
        self.interval.setSuffix(" s")
        self.interval.setValue(settings.sync_interval_s)
        self.test_button = QPushButton(self.tr("Test print"))
        self.test_button.clicked.connect(lambda: asyncio.ensure_future(self.test_print()))
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.clicked.connect(self.save)
        self.message = QLabel()
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Hub address"), self.hub)
        form.addRow(self.tr("Printer"), self.printer)
        form.addRow("", self.test_button)
        form.addRow(self.tr("Label template"), self.template)
        form.addRow(self.tr("Language (applies at the next start)"), self.language)
        form.addRow(self.tr("Sync every"), self.interval)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.save_button)
        layout.addWidget(self.message)
        layout.addStretch(1)

    def save(self) -> None:
        self.settings.hub_url = self.hub.text().strip() or self.settings.hub_url
        self.settings.printer = str(self.printer.currentData())
        self.settings.template = str(self.template.currentData())
        self.settings.language = str(self.language.currentData())
        self.settings.sync_interval_s = float(self.interval.value())
        self.settings.save()
        self.message.setText(self.tr("Saved."))
        self.saved.emit(self.settings)

    async def test_print(self) -> str:
        """A sample label (rare character included) straight to the printer: no order, no job."""
        from printing.render import render

        self.message.setText(self.tr("Printing a test label…"))
        try:
            printer = get_printer(str(self.printer.currentData()))
            label = render(printer.profile, SAMPLE, printed_at=datetime.now())
            where = await asyncio.to_thread(
                printer.transport.send,
                label.data,
                name=f"test-print{label.suffix}",
                raw=printer.profile.language != "pdf",
            )
        except PrintingError as exc:
            self.message.setText(pick(exc.zh, exc.en))
            return "failed"
        self.message.setText(self.tr("Test label sent to {where}.").format(where=where))
        return where
