"""The packing station's small parts: the scan box a keyboard-wedge scanner types into, label field
names in words, and a label image as a pixmap."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import QLineEdit

if TYPE_CHECKING:
    from PIL import Image


def field_label(field: str) -> str:
    translate = QCoreApplication.translate
    labels = {
        "receiver_name": translate("Field", "Receiver"),
        "receiver_phone": translate("Field", "Receiver's phone"),
        "receiver_address": translate("Field", "Address"),
        "sender_name": translate("Field", "Sender"),
        "sender_phone": translate("Field", "Sender's phone"),
        "sender_address": translate("Field", "Sender's address"),
        "items": translate("Field", "Items"),
        "carrier": translate("Field", "Carrier"),
        "waybill_no": translate("Field", "Waybill no."),
        "domain_id": translate("Field", "Unified id"),
        "channel_order_no": translate("Field", "Channel order no."),
        "buyer_note": translate("Field", "Buyer's note"),
        "print_time": translate("Field", "Print time"),
    }
    return labels.get(field, field)


def to_pixmap(image: Image.Image, height: int) -> QPixmap:
    grey = image.convert("L")
    qimage = QImage(grey.tobytes(), grey.width, grey.height, grey.width, QImage.Format.Format_Grayscale8).copy()
    return QPixmap.fromImage(qimage).scaledToHeight(height, Qt.TransformationMode.SmoothTransformation)


class ScanBox(QLineEdit):
    """Where a keyboard-wedge scanner types. F5, Esc and Delete (on an empty box) work from here, so
    the packer's hands never leave the keys while it has the focus."""

    retry = Signal()
    escape = Signal()
    dismiss = Signal()

    def __init__(self) -> None:
        super().__init__()
        own = Qt.ShortcutContext.WidgetShortcut  # only while the box has the focus
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.retry.emit, context=own)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.escape.emit, context=own)
        QShortcut(QKeySequence(Qt.Key.Key_Delete), self, self._delete, context=own)

    def _delete(self) -> None:
        if self.text():
            self.del_()  # the key's own job while there is text
        else:
            self.dismiss.emit()
