"""The application icon for installers, rendered from ``orderdesk/resources/icons/orderdesk.svg`` with
Qt's QSvgRenderer (the renderer the console draws it with):

    python packaging/make_icons.py OUT

writes OUT/hicolor/NxN/apps/orderdesk.png (16 … 256 px, the freedesktop icon theme's layout),
OUT/hicolor/scalable/apps/orderdesk.svg, and OUT/orderdesk.ico (every size, for Windows)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

SIZES = (16, 24, 32, 48, 64, 128, 256)
SVG = Path(__file__).resolve().parents[1] / "orderdesk" / "resources" / "icons" / "orderdesk.svg"


def render(out: Path) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"{SVG}: not an SVG Qt can draw")
    made: list[Path] = []
    for side in SIZES:
        image = QImage(side, side, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter, QRectF(0, 0, side, side))
        painter.end()
        path = out / "hicolor" / f"{side}x{side}" / "apps" / "orderdesk.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(path), "PNG"):
            raise SystemExit(f"could not write {path}")
        made.append(path)
    scalable = out / "hicolor" / "scalable" / "apps" / "orderdesk.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SVG, scalable)
    with Image.open(made[-1]) as largest:  # Pillow scales the 256 px render for each entry of the .ico
        largest.save(out / "orderdesk.ico", sizes=[(s, s) for s in SIZES])
    del app
    return [*made, scalable, out / "orderdesk.ico"]


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    for path in render(Path(sys.argv[1])):
        print(path)
