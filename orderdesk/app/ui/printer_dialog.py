"""Adding or editing one printer: its name, its profile (the kind of printer), and where labels go —
PDF files into a folder, a network printer's raw port, or a system print queue. Only the fields of
the chosen kind are shown. OK checks everything (printing/printer_spec.py) and keeps the dialog open
on a refusal, saying which field and value, with that field focused."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from orderdesk.app.ui import theme
from orderdesk.app.ui.i18n import language, pick
from orderdesk.printing.errors import PrinterSettingRefused
from orderdesk.printing.printer_spec import PrinterSpec, resolve_folder
from orderdesk.printing.printers import PrinterBook
from orderdesk.printing.profiles import load_profile, profile_names

FIELD_WIDTH = 360
NEW_PRINTER_PROFILE = "zpl-203-76x130"  # what "Add" starts from: a 203 dpi thermal printer, every character raster


class PrinterDialog(QDialog):
    """``spec`` None: a new printer. On OK the printer is written to ``book``; ``saved`` holds it."""

    def __init__(self, book: PrinterBook, spec: PrinterSpec | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.original = spec
        self.saved: PrinterSpec | None = None
        self.setWindowTitle(self.tr("Add a printer") if spec is None else self.tr("Edit printer {name}").format(
            name=spec.name))  # fmt: skip
        self.name = QLineEdit(spec.name if spec else "")
        self.name.setPlaceholderText(self.tr("e.g. packing-1"))
        self.profile = QComboBox()
        for name in profile_names():
            self.profile.addItem(load_profile(name).title(language()), name)
        self.kind = QComboBox()
        self.kind.addItem(self.tr("PDF files into a folder"), "file")
        self.kind.addItem(self.tr("Network printer (raw TCP port)"), "tcp")
        self.kind.addItem(self.tr("System print queue (CUPS)"), "queue")
        self.host = QLineEdit(spec.host if spec else "")
        self.host.setPlaceholderText(self.tr("e.g. 192.168.1.50"))
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(spec.port if spec else 9100)
        self.queue = QLineEdit(spec.queue if spec else "")
        self.queue.setPlaceholderText(self.tr("empty: the system's default queue"))
        self.folder = QLineEdit(spec.folder if spec else "")
        self.folder.setPlaceholderText(str(resolve_folder("")))
        self.browse = QPushButton(self.tr("Choose…"))
        self.browse.clicked.connect(self._choose_folder)
        self.folder_row = QHBoxLayout()
        self.folder_row.addWidget(self.folder, 1)
        self.folder_row.addWidget(self.browse)
        for field in (self.name, self.profile, self.kind, self.host, self.port, self.queue, self.folder):
            field.setMaximumWidth(FIELD_WIDTH)
        self.form = QFormLayout()
        self.form.addRow(self.tr("Name"), self.name)
        self.form.addRow(self.tr("Printer profile"), self.profile)
        self.form.addRow(self.tr("Labels go to"), self.kind)
        self.form.addRow(self.tr("Address"), self.host)
        self.form.addRow(self.tr("Port"), self.port)
        self.form.addRow(self.tr("Queue"), self.queue)
        self.form.addRow(self.tr("Folder"), self.folder_row)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(theme.error_style())
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.profile.currentIndexChanged.connect(self._profile_chosen)
        self.kind.currentIndexChanged.connect(self._show_kind)
        if spec is not None:
            self.profile.setCurrentIndex(max(0, self.profile.findData(spec.profile)))
            self.kind.setCurrentIndex(max(0, self.kind.findData(spec.kind)))
        else:
            self.profile.setCurrentIndex(max(0, self.profile.findData(NEW_PRINTER_PROFILE)))
            self._profile_chosen()
        self._show_kind()

    def _profile_chosen(self) -> None:
        """A new printer starts with the way its kind usually receives labels (ZPL: the raw port)."""
        if self.original is None:
            suggested = load_profile(str(self.profile.currentData())).suggested_transport
            self.kind.setCurrentIndex(max(0, self.kind.findData(suggested.get("kind", "file"))))
            self.port.setValue(int(suggested.get("port", 9100)))

    def _show_kind(self) -> None:
        kind = self.kind.currentData()
        self.form.setRowVisible(self.host, kind == "tcp")
        self.form.setRowVisible(self.port, kind == "tcp")
        self.form.setRowVisible(self.queue, kind == "queue")
        self.form.setRowVisible(self.folder_row, kind == "file")
        self.error.clear()

    def _choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, self.tr("Folder for label files"), str(resolve_folder(
            self.folder.text().strip())))  # fmt: skip
        if chosen:
            self.folder.setText(chosen)

    def spec(self) -> PrinterSpec:
        """What the fields say (not yet checked)."""
        timeout = self.original.timeout_s if self.original else 5.0
        return PrinterSpec(self.name.text(), str(self.profile.currentData()), str(self.kind.currentData()),
                           host=self.host.text(), port=self.port.value(), queue=self.queue.text(),
                           folder=self.folder.text(), timeout_s=timeout)  # fmt: skip

    def accept(self) -> None:
        try:
            if self.original is None:
                self.saved = self.book.add(self.spec())
            else:
                self.saved = self.book.edit(self.original.name, self.spec())
        except PrinterSettingRefused as exc:
            self.error.setText(pick(exc.said))
            widget = {"name": self.name, "host": self.host, "port": self.port, "queue": self.queue,
                      "folder": self.folder, "profile": self.profile, "kind": self.kind}.get(exc.field)  # fmt: skip
            if widget is not None:
                widget.setFocus()
            return
        super().accept()
