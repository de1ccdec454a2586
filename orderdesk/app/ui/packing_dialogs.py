"""The questions the packing station asks before it prints, in the packer's large type, answered with
the keyboard: why a label is printed again (preset reasons on number keys), whether to print for an
order already shipped, a supervisor's reason to print a refused order, and what to print instead of a
character that would come out as an unreadable marker."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from orderdesk.app.services.packing import REPRINT_REASONS
from orderdesk.app.ui import theme
from orderdesk.app.ui.i18n import pick
from orderdesk.printing.preflight import Substitution


async def ask(dialog: QDialog) -> bool:
    """Show ``dialog`` window-modal without nesting an event loop; True when it was accepted."""
    done: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    dialog.finished.connect(lambda code: done.done() or done.set_result(code))
    dialog.open()
    try:
        return await done == QDialog.DialogCode.Accepted
    finally:
        dialog.deleteLater()


class _StationDialog(QDialog):
    def __init__(self, parent: QWidget | None, title: str, text: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setFont(theme.font(theme.STATION_POINTS))
        self.setMinimumWidth(560)
        self.text = QLabel(text)
        self.text.setWordWrap(True)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addWidget(self.text)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def finish_layout(self, ok_text: str) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel (Esc)"))
        self.layout_.addWidget(self.buttons)


class _ReasonBox(QLineEdit):
    """The reason box: a digit 1–5 typed into it while it is empty picks that preset reason."""

    preset = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.textEdited.connect(self._typed)

    def _typed(self, text: str) -> None:
        if len(text) == 1 and "1" <= text <= str(len(REPRINT_REASONS)):  # a digit into the empty box
            self.clear()
            self.preset.emit(int(text))


class ReprintReasonDialog(_StationDialog):
    """Preset reasons on the keys 1–5, or a reason typed in the box."""

    def __init__(self, parent: QWidget | None, domain_id: str, printed_by: int) -> None:
        super().__init__(parent, self.tr("Reprint"),
                         self.tr("Order {order} was printed by job {job}. Why is it printed again?").format(
                             order=domain_id, job=printed_by))  # fmt: skip
        self.reason = _ReasonBox()
        self.reason.setPlaceholderText(self.tr("Another reason: type it here"))
        self.reason.preset.connect(lambda number: self.presets[number - 1].click())
        self.presets: list[QPushButton] = []
        for number, (zh, en) in enumerate(REPRINT_REASONS, 1):
            text = pick(zh, en)
            button = QPushButton(f"{number}  {text}")
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, chosen=text: self._choose(chosen))
            self.presets.append(button)
            self.layout_.addWidget(button)
        self.layout_.addWidget(self.reason)
        self.error = QLabel()
        self.error.setStyleSheet(theme.error_style())
        self.layout_.addWidget(self.error)
        self.finish_layout(self.tr("Reprint"))
        self.reason.setFocus()

    def _choose(self, text: str) -> None:
        self.reason.setText(text)
        self.accept()

    def accept(self) -> None:
        if not self.reason.text().strip():
            self.error.setText(self.tr("Pick a reason (1–5) or type one."))
            return
        super().accept()

    def chosen(self) -> str:
        return self.reason.text().strip()


class ConfirmDialog(_StationDialog):
    """A warning the packer answers with Enter (print) or Esc (do not)."""

    def __init__(self, parent: QWidget | None, text: str) -> None:
        super().__init__(parent, self.tr("Check before printing"), text)
        self.text.setStyleSheet(theme.text_style("warning"))
        self.finish_layout(self.tr("Print anyway (Enter)"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setDefault(True)


class OverrideDialog(_StationDialog):
    """A supervisor's reason to print the label of an order that must not ship; it is audited."""

    def __init__(self, parent: QWidget | None, text: str) -> None:
        super().__init__(parent, self.tr("Print a refused order"), text + "\n" + self.tr(
            "As a supervisor you may print it anyway: the reason is written to the audit trail."))  # fmt: skip
        self.text.setStyleSheet(theme.error_style())
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("Why it ships anyway"))
        self.layout_.addWidget(self.reason)
        self.error = QLabel()
        self.error.setStyleSheet(theme.error_style())
        self.layout_.addWidget(self.error)
        self.finish_layout(self.tr("Print with this reason"))
        self.reason.setFocus()

    def accept(self) -> None:
        if self.reason.text().strip():
            super().accept()
        else:
            self.error.setText(self.tr("Type the reason: it goes into the audit trail."))

    def chosen(self) -> str:
        return self.reason.text().strip()


class MarkersDialog(_StationDialog):
    """For each character that would print as a marker: type what to print instead, or print the
    markers knowingly (the courier will see e.g. [U+2003E])."""

    def __init__(self, parent: QWidget | None, markers: list[Substitution]) -> None:
        super().__init__(parent, self.tr("Characters that cannot print"), self.tr(
            "No font of this printer has these characters and they have no pinyin: they would print as "
            "markers a courier cannot read. Type what to print instead (e.g. a common character or the "
            "pinyin), or print the markers."))  # fmt: skip
        self.text.setStyleSheet(theme.error_style())
        form = QFormLayout()
        self.edits: dict[str, QLineEdit] = {}
        for s in markers:
            if s.char in self.edits:
                continue
            edit = QLineEdit()
            edit.setPlaceholderText(self.tr("instead of {marker}").format(marker=s.replacement))
            form.addRow(QLabel(f"{s.char}  {s.codepoint}"), edit)
            self.edits[s.char] = edit
        self.layout_.addLayout(form)
        self.print_markers = QPushButton(self.tr("Print the markers"))
        self.print_markers.setAutoDefault(False)
        self.print_markers.clicked.connect(self._accept_markers)
        self.layout_.addWidget(self.print_markers)
        self.markers_accepted = False
        self.finish_layout(self.tr("Print what I typed"))
        next(iter(self.edits.values())).setFocus()
        self.setWindowModality(Qt.WindowModality.WindowModal)

    def _accept_markers(self) -> None:
        self.markers_accepted = True
        super().accept()

    def accept(self) -> None:
        if all(edit.text().strip() for edit in self.edits.values()):
            super().accept()

    def typed(self) -> dict[str, str]:
        return {char: edit.text().strip() for char, edit in self.edits.items() if edit.text().strip()}
