"""Fonts for PDF exports, always embedded: DejaVu Sans when installed (full Unicode), else Bitstream Vera,
which reportlab ships (Latin-1 and the French œ, €: French ok). Never a non-embedded Helvetica."""

from __future__ import annotations

import functools
from pathlib import Path

import reportlab
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
    vera = Path(reportlab.__file__).parent / "fonts"
    if (vera / "Vera.ttf").is_file() and (vera / "VeraBd.ttf").is_file():
        pdfmetrics.registerFont(TTFont("Vera", str(vera / "Vera.ttf")))
        pdfmetrics.registerFont(TTFont("VeraBd", str(vera / "VeraBd.ttf")))
        italic, bi = "Vera", "VeraBd"
        if (vera / "VeraIt.ttf").is_file():
            pdfmetrics.registerFont(TTFont("VeraIt", str(vera / "VeraIt.ttf")))
            italic = "VeraIt"
        if (vera / "VeraBI.ttf").is_file():
            pdfmetrics.registerFont(TTFont("VeraBI", str(vera / "VeraBI.ttf")))
            bi = "VeraBI"
        pdfmetrics.registerFontFamily("Vera", normal="Vera", bold="VeraBd", italic=italic, boldItalic=bi)
        return "Vera", "VeraBd", False
    return "Helvetica", "Helvetica-Bold", False  # pragma: no cover - reportlab always ships Vera
