"""Help → About: the version, where the log is, and the licences of OrderDesk, of what it bundles
(fonts, icons) and of every library it runs on, as each installed package declares it."""

from __future__ import annotations

import platform
import re
from html import escape
from importlib import metadata

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QCoreApplication, Qt, qVersion
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from orderdesk import __version__
from orderdesk.app.ui import theme

BUNDLED = (  # (what, licence, file in resources/)
    ("Droid Sans Fallback", "Apache-2.0", "fonts/DroidSansFallbackFull.LICENSE.txt"),
    ("DejaVu Sans", "Bitstream Vera / Arev", "fonts/DejaVuSans.LICENSE.txt"),
    ("Lucide icons", "ISC", "icons/LUCIDE-LICENSE.txt"),
)


def library_licences() -> list[tuple[str, str, str]]:
    """(name, version, licence) of each library OrderDesk requires, from its installed metadata."""
    try:
        required = metadata.requires("orderdesk") or []
    except metadata.PackageNotFoundError:  # a bundle without the dist-info: say what is known
        return []
    found: list[tuple[str, str, str]] = []
    for line in required:
        if "extra ==" in line:
            continue
        name = re.split(r"[\s<>=!~;\[(]", line, maxsplit=1)[0]
        try:
            meta = metadata.metadata(name)
        except metadata.PackageNotFoundError:
            continue
        licence = meta.get("License-Expression") or _short(meta.get("License")) or _classifier(meta)
        found.append((meta.get("Name") or name, meta.get("Version") or "?", licence or "?"))
    return sorted(found, key=lambda row: row[0].casefold())


def _short(text: str | None) -> str:
    if not text or "\n" in text.strip() or len(text) > 60:
        return ""
    return text.strip()


def _classifier(meta: metadata.PackageMetadata) -> str:
    for classifier in meta.get_all("Classifier") or []:
        if classifier.startswith("License :: OSI Approved :: "):
            return classifier.removeprefix("License :: OSI Approved :: ")
    return ""


def about_html() -> str:
    summary = QCoreApplication.translate(
        "About", "Desktop operations console for multi-channel e-commerce order operations."
    )
    own_licence = QCoreApplication.translate("About", "Licence: Apache-2.0.")
    bundled_title = QCoreApplication.translate("About", "Bundled")
    libraries_title = QCoreApplication.translate("About", "Libraries")
    rows = "".join(
        f"<tr><td>{escape(name)}</td><td>{escape(version)}</td><td>{escape(licence)}</td></tr>"
        for name, version, licence in library_licences()
    )
    bundled = "".join(f"<li>{escape(what)}: {escape(licence)} ({escape(file)})</li>" for what, licence, file in BUNDLED)
    runtime = f"Python {platform.python_version()} · Qt {qVersion()} · PySide6 {pyside_version}"
    return (
        f"<h3>OrderDesk {escape(__version__)}</h3><p>{escape(summary)}</p>"
        f"<p>{escape(own_licence)} {escape(runtime)}</p>"
        f"<p><b>{escape(bundled_title)}</b></p><ul>{bundled}</ul>"
        f"<p><b>{escape(libraries_title)}</b></p>"
        f"<table cellspacing='0' cellpadding='2'>{rows}</table>"
    )


class AboutDialog(QDialog):
    """The version and the licences, in a scrolling page that fits a 1280×720 screen."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(QCoreApplication.translate("About", "About OrderDesk"))
        picture = QLabel()
        picture.setPixmap(theme.application_icon().pixmap(64, 64))
        self.text = QTextBrowser()
        self.text.setOpenExternalLinks(False)
        self.text.setHtml(about_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(picture, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.text, 1)
        column = QVBoxLayout(self)
        column.addLayout(row, 1)
        column.addWidget(buttons)
        self.resize(640, 480)


def show_about(parent: QWidget) -> AboutDialog:
    dialog = AboutDialog(parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
