"""Render resources/app/pare-desktop.svg to PNG icons (16 to 512 px) with Qt's QSvgRenderer, plus an .ico.

Usage: python scripts/make_icons.py OUTDIR
  -> OUTDIR/hicolor/<n>x<n>/apps/pare-desktop.png, OUTDIR/pare-desktop.ico
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
SVG = Path(__file__).resolve().parent.parent / "resources" / "app" / "pare-desktop.svg"


def render(out: Path, svg: Path = SVG) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"icône SVG illisible : {svg}")
    written: list[Path] = []
    for n in SIZES:
        image = QImage(n, n, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        path = out / "hicolor" / f"{n}x{n}" / "apps" / "pare-desktop.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(path), "PNG"):
            raise SystemExit(f"impossible d'écrire {path}")
        written.append(path)
        if n == 256:  # Windows: PyInstaller takes an .ico (Qt writes a single-size one)
            image.save(str(out / "pare-desktop.ico"), "ICO")
    return written


if __name__ == "__main__":
    for p in render(Path(sys.argv[1] if len(sys.argv) > 1 else "build/icons")):
        print(p)
