"""Fonts for PDF exports: DejaVu Sans when installed (full Unicode), else Helvetica (WinAnsi: French ok)."""

from __future__ import annotations

import functools
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

#: Where DejaVu Sans may be found; the packaged app will ship its own copy (resources/fonts).
FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
)


@functools.cache
def pdf_fonts() -> tuple[str, str, bool]:
    """(regular, bold, full unicode): registered once per process."""
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            pdfmetrics.registerFont(TTFont("DejaVuSans", str(regular)))
            pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(bold)))
            oblique = folder / "DejaVuSans-Oblique.ttf"
            bold_oblique = folder / "DejaVuSans-BoldOblique.ttf"
            italic = "DejaVuSans"
            if oblique.is_file():
                pdfmetrics.registerFont(TTFont("DejaVuSans-Oblique", str(oblique)))
                italic = "DejaVuSans-Oblique"
            bi = "DejaVuSans-Bold"
            if bold_oblique.is_file():
                pdfmetrics.registerFont(TTFont("DejaVuSans-BoldOblique", str(bold_oblique)))
                bi = "DejaVuSans-BoldOblique"
            pdfmetrics.registerFontFamily(
                "DejaVuSans", normal="DejaVuSans", bold="DejaVuSans-Bold", italic=italic, boldItalic=bi
            )
            return "DejaVuSans", "DejaVuSans-Bold", True
    return "Helvetica", "Helvetica-Bold", False
