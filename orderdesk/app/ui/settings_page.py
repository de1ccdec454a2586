"""Settings: the printers of this workstation (add, edit, remove, make default, test print), the label
template, the sync interval, the hub address and the language. The printer list changes printers.json
at once; Save stores the rest (app/services/settings.py). What applies at once is handed on through
``saved`` (the main window passes it to ``apply_saved``); a field that applies later says so beside it.
The test print renders and sends in a worker thread: the window never freezes."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, QTime, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from orderdesk.app.services.settings import (
    INTERVAL_RANGE,
    RETENTION_MAX_DAYS,
    SettingRefused,
    Settings,
    SettingsSaved,
    print_test_label,
    report_minutes,
    resolve_printer,
)
from orderdesk.app.ui import theme
from orderdesk.app.ui.i18n import language, pick
from orderdesk.app.ui.printer_dialog import PrinterDialog
from orderdesk.printing.delivery import Delivery
from orderdesk.printing.errors import PrintingError
from orderdesk.printing.printer_spec import PrinterSpec
from orderdesk.printing.printers import PrinterBook
from orderdesk.printing.profiles import load_profile, load_template, template_for, template_names

PAGE_WIDTH = 760  # the form keeps this width however wide the window is
FIELD_WIDTH = 360


def hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet(theme.note_style())
    label.setWordWrap(True)
    return label


class SettingsPage(QWidget):
    saved = Signal(object)  # SettingsSaved: the settings, the printer to print on, what changed

    def __init__(
        self,
        settings: Settings,
        *,
        book: PrinterBook | None = None,
        settings_path: Path | None = None,
        manage_printers: bool = True,
        reports: bool = False,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.book = book or PrinterBook()
        self.settings_path = settings_path
        self.testing: asyncio.Task[Delivery | None] | None = None
        self.dialog: PrinterDialog | None = None  # the add / edit dialog while it is open
        self.printer_list = QListWidget()
        self.printer_list.setMinimumHeight(150)
        self.printer_list.itemDoubleClicked.connect(lambda _item: self.edit_printer())
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet(theme.error_style())
        self.add_button = QPushButton(self.tr("Add…"))
        self.edit_button = QPushButton(self.tr("Edit…"))
        self.remove_button = QPushButton(self.tr("Remove"))
        self.default_button = QPushButton(self.tr("Make default"))
        self.test_button = QPushButton(self.tr("Test print"))
        self.add_button.clicked.connect(self.add_printer)
        self.edit_button.clicked.connect(self.edit_printer)
        self.remove_button.clicked.connect(self.remove_printer)
        self.default_button.clicked.connect(self.make_default)
        self.test_button.clicked.connect(self.start_test_print)
        self.printer_message = QLabel()
        self.printer_message.setWordWrap(True)
        self.printer_message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.remove_button, self.default_button, self.test_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        printers = QGroupBox(self.tr("Printers"))
        column = QVBoxLayout(printers)
        column.addWidget(hint(self.tr("The default printer (★) prints the labels; changes apply at once.")))
        column.addWidget(self.printer_list)
        column.addWidget(self.problems)
        column.addLayout(buttons)
        column.addWidget(self.printer_message)

        self.template = QComboBox()
        self.interval = QDoubleSpinBox()
        self.interval.setRange(*INTERVAL_RANGE)
        self.interval.setDecimals(0)
        self.interval.setSuffix(self.tr(" s"))
        self.interval.setValue(max(INTERVAL_RANGE[0], settings.sync_interval_s))
        self.hub = QLineEdit(settings.hub_url)
        self.language = QComboBox()
        self.language.addItem("中文(简体)", "zh_CN")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        self.report_time = QTimeEdit()
        self.report_time.setObjectName("report_time")
        self.report_time.setDisplayFormat("HH:mm")
        minutes = report_minutes(settings.report_time) or 9 * 60
        self.report_time.setTime(QTime(minutes // 60, minutes % 60))
        self.retention = QSpinBox()
        self.retention.setObjectName("retention_days")
        self.retention.setRange(0, RETENTION_MAX_DAYS)
        self.retention.setSuffix(self.tr(" days"))
        self.retention.setSpecialValueText(self.tr("keep everything"))
        self.retention.setValue(settings.retention_days)
        for field in (self.template, self.interval, self.hub, self.language, self.report_time, self.retention):
            field.setMaximumWidth(FIELD_WIDTH)
        general = QGroupBox(self.tr("Labels, sync and sign-in"))
        form = QFormLayout(general)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("Label template"), self.template)
        form.addRow(self.tr("Sync every"), self.interval)
        form.addRow(self.tr("Hub address"), self._with_hint(self.hub, self.tr("Applies at the next sign-in.")))
        form.addRow(self.tr("Language"), self._with_hint(self.language, self.tr("Applies at the next start.")))
        form.addRow(self.tr("Keep closed orders"), self._with_hint(self.retention, self.tr(
            "Older closed orders leave this computer once a day and come back from the hub when opened; "
            "open orders always stay.")))  # fmt: skip
        if reports:
            form.addRow(self.tr("Daily report at"), self._with_hint(self.report_time, self.tr(
                "Beijing time; made and sent to the group robots once a day.")))  # fmt: skip
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.clicked.connect(self.save)
        self.message = QLabel()
        self.message.setWordWrap(True)
        save_row = QHBoxLayout()
        save_row.addWidget(self.save_button)
        save_row.addWidget(self.message, 1)

        content = QWidget()
        content.setMaximumWidth(PAGE_WIDTH)
        page = QVBoxLayout(content)
        page.addWidget(printers)
        page.addWidget(general)
        page.addLayout(save_row)
        page.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.addWidget(content, 1)  # grows up to PAGE_WIDTH, the rest stays empty on the right
        row.addStretch(0)
        scroll.setWidget(holder)
        QVBoxLayout(self).addWidget(scroll)
        self.refresh_printers()
        if not manage_printers:  # a finance clerk prints nothing: the packing station's printers are not theirs
            for button in (self.add_button, self.edit_button, self.remove_button, self.default_button):
                button.hide()
            self.printer_message.setText(self.tr("Printers are set up by packers and supervisors."))

    def _with_hint(self, field: QWidget, text: str) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(field)
        column.addWidget(hint(text))
        return box

    # -- the printer list ---------------------------------------------------------------------------
    def kind_words(self, spec: PrinterSpec) -> str:
        return {"file": self.tr("files in a folder"), "tcp": self.tr("network printer"),
                "queue": self.tr("system queue")}[spec.kind]  # fmt: skip

    def refresh_printers(self, select: str | None = None) -> None:
        listing = self.book.load()
        chosen = select or self.selected_name() or listing.default
        self.printer_list.clear()
        for spec in listing.specs:
            where = spec.where() if spec.kind != "queue" or spec.queue else self.tr("the system's default queue")
            mark = "★ " if spec.name == listing.default else "   "
            title = load_profile(spec.profile).title(language())
            item = QListWidgetItem(f"{mark}{spec.name} — {self.kind_words(spec)}: {where}\n      {title}")
            item.setData(Qt.ItemDataRole.UserRole, spec.name)
            self.printer_list.addItem(item)
            if spec.name == chosen:
                self.printer_list.setCurrentItem(item)
        self.problems.setText("\n".join(pick(p.said) for p in listing.problems))
        self.problems.setVisible(bool(listing.problems))
        self._fill_templates()

    def selected_name(self) -> str | None:
        item = self.printer_list.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def _selected_spec(self) -> PrinterSpec | None:
        name = self.selected_name()
        return next((s for s in self.book.load().specs if s.name == name), None)

    def _fill_templates(self) -> None:
        """Every template with its size, the profile's own first (Save refuses one of another size than
        the printer's)."""
        keep = self.template.currentData() if self.template.count() else self.settings.template
        self.template.clear()
        self.template.addItem(self.tr("The printer profile's own"), "")
        for name in template_names():
            template = load_template(name)
            size = f"{template['width_mm']:g}×{template['height_mm']:g} mm"
            self.template.addItem(f"{template['title']['en' if language() == 'en' else 'zh']} ({size})", name)
        self.template.setCurrentIndex(max(0, self.template.findData(keep)))

    def add_printer(self) -> PrinterDialog:
        return self._open_dialog(None)

    def edit_printer(self) -> PrinterDialog | None:
        spec = self._selected_spec()
        return None if spec is None else self._open_dialog(spec)

    def _open_dialog(self, spec: PrinterSpec | None) -> PrinterDialog:
        """The dialog opens window-modal without a nested event loop (sync and prints go on)."""
        dialog = PrinterDialog(self.book, spec, self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.accepted.connect(lambda: self._dialog_saved(dialog, added=spec is None))
        dialog.finished.connect(lambda _code: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _dialog_saved(self, dialog: PrinterDialog, *, added: bool) -> None:
        if dialog.saved is None:
            return
        name = dialog.saved.name
        said = self.tr("Printer {name} added.") if added else self.tr("Printer {name} saved.")
        self._changed_printers(name, said.format(name=name))

    def remove_printer(self) -> None:
        name = self.selected_name()
        if name is None:
            return
        asked = QMessageBox.question(self, self.tr("Remove printer"), self.tr("Remove printer {name}?").format(
            name=name))  # fmt: skip
        if asked != QMessageBox.StandardButton.Yes:
            return
        try:
            default = self.book.remove(name)
        except PrintingError as exc:
            self._say(self.printer_message, pick(exc.said), ok=False)
            return
        self._changed_printers(default, self.tr("Printer {name} removed; the default printer is {default}.").format(
            name=name, default=default))  # fmt: skip

    def make_default(self) -> None:
        name = self.selected_name()
        if name is None:
            return
        try:
            self.book.set_default(name)
        except PrintingError as exc:
            self._say(self.printer_message, pick(exc.said), ok=False)
            return
        self.settings.printer = ""  # this console follows the default
        self._store()
        self._changed_printers(name, self.tr("{name} is the default printer now.").format(name=name))

    def _changed_printers(self, select: str, said: str) -> None:
        changed = {"printers"}
        if self.settings.template:  # a template of another size than the printer's would refuse every label
            try:
                template_for(resolve_printer(self.settings, self.book).profile, self.settings.template)
            except PrintingError:
                said += " " + self.tr(
                    "Its labels have another size than template {template}: the label template "
                    "is the printer profile's own now."
                ).format(template=self.settings.template)
                self.settings.template = ""
                self._store()
                changed.add("template")
        self.refresh_printers(select)
        if "template" in changed:
            self.template.setCurrentIndex(0)
        self._say(self.printer_message, said, ok=True)
        self._announce(frozenset(changed))

    # -- the test print -----------------------------------------------------------------------------
    def start_test_print(self) -> None:
        if self.testing is None or self.testing.done():
            self.test_button.setEnabled(False)  # at once: one test print at a time
            self.testing = asyncio.ensure_future(self.test_print())

    async def test_print(self) -> Delivery | None:
        """A sample label to the selected printer, rendered and sent in a worker thread."""
        name = self.selected_name()
        template = str(self.template.currentData() or "") or None
        self.test_button.setEnabled(False)
        self._say(self.printer_message, self.tr("Printing a test label on {name}…").format(name=name), ok=True)
        try:
            printer = self.book.get(name)
            delivery = await print_test_label(printer, template)
        except PrintingError as exc:
            said = pick(exc.said)
            if exc.retryable:
                text = self.tr("Test print failed; try again once the printer is ready: {error}").format(error=said)
            else:
                text = self.tr("Test print failed; change this printer's settings first: {error}").format(error=said)
            self._say(self.printer_message, text, ok=False)
            return None
        finally:
            self.test_button.setEnabled(True)
        self._say(self.printer_message, self.tr("Test label: {where}").format(where=pick(delivery.said)),
                  ok=True)  # fmt: skip
        return delivery

    # -- saving -------------------------------------------------------------------------------------
    def save(self) -> None:
        before = replace(self.settings)
        wanted = replace(
            self.settings,
            hub_url=self.hub.text(),
            template=str(self.template.currentData() or ""),
            language=str(self.language.currentData()),
            sync_interval_s=float(self.interval.value()),
            report_time=self.report_time.time().toString("HH:mm"),
            retention_days=int(self.retention.value()),
        )
        try:
            wanted = wanted.checked()
            if wanted.template:
                template_for(resolve_printer(wanted, self.book).profile, wanted.template)
        except (SettingRefused, PrintingError) as exc:
            self._say(self.message, pick(exc.said), ok=False)
            return
        for name in ("hub_url", "template", "language", "sync_interval_s", "report_time", "retention_days"):
            setattr(self.settings, name, getattr(wanted, name))
        self.hub.setText(self.settings.hub_url)
        self._store()
        changed = self.settings.changes(before)
        later = []
        if "hub_url" in changed:
            later.append(self.tr("the hub address applies at the next sign-in"))
        if "language" in changed:
            later.append(self.tr("the language applies at the next start"))
        said = self.tr("Saved.") if not later else self.tr("Saved; {later}.").format(later=pick("；", "; ").join(later))
        self._say(self.message, said, ok=True)
        self._announce(changed)

    def _store(self) -> None:
        self.settings.save(self.settings_path)

    def _announce(self, changed: frozenset[str]) -> None:
        try:
            printer = resolve_printer(self.settings, self.book)
        except PrintingError as exc:  # the built-in printer always exists: only a broken profile gets here
            self._say(self.printer_message, pick(exc.said), ok=False)
            return
        self.saved.emit(SettingsSaved(replace(self.settings), printer, changed))

    def _say(self, label: QLabel, text: str, *, ok: bool) -> None:
        label.setText(text)
        label.setStyleSheet(theme.text_style("ok" if ok else "error"))
