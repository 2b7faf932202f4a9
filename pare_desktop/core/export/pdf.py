"""PDF export (reportlab platypus): title page, structures grouped by territory then type, page numbers."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from itertools import groupby
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    FrameBreak,
    NextPageTemplate,
    PageTemplate,
    Paragraph,
)

from pare_desktop.core import vocabulary
from pare_desktop.core.export import CONFIDENTIAL_NOTICE, ExportJob, report
from pare_desktop.core.export.fonts import pdf_fonts
from pare_desktop.core.export.pdf_entry import Entry
from pare_desktop.core.export.typography import NBSP, french, long_date
from pare_desktop.core.hours import format_time
from pare_desktop.core.hours_fr import hours_line
from pare_desktop.core.phones import shown
from pare_desktop.core.progress import Progress
from pare_desktop.core.records import Structure
from pare_desktop.core.territories import referential
from pare_desktop.core.text import fold

NATIONAL_GROUP = "Structures nationales"
APPENDIX_GROUP = "Lignes nationales (joignables de partout)"
MAX_HEADER = 90 * mm  # the title block at the top of page 1 (its own height); the structures follow
UNLOCATED_GROUP = "Territoire non renseigné"


class _Numbered(Canvas):  # type: ignore[misc]
    """A canvas that draws "Page N / M" once the number of pages is known (two-pass over saved pages)."""

    font = "Helvetica"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # reportlab's default (Helvetica, never embedded) would be named in every page's preamble
        # (BaseDocTemplate passes initialFontName=None, which means Helvetica)
        kwargs["initialFontName"] = kwargs.get("initialFontName") or self.font
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont(self.font, 8)
            self.drawRightString(A4[0] - 15 * mm, 10 * mm, f"Page {self._pageNumber} / {total}")
            super().showPage()
        super().save()


class _Styles:
    def __init__(self, regular: str, bold: str) -> None:
        base = ParagraphStyle("base", fontName=regular, fontSize=8, leading=10)
        self.title = ParagraphStyle("title", base, fontName=bold, fontSize=20, leading=24, spaceAfter=4 * mm)
        self.info = ParagraphStyle("info", base, fontSize=10, leading=13)
        self.notice = ParagraphStyle(
            "notice", base, fontName=bold, fontSize=13, leading=18, spaceAfter=8 * mm
        )
        self.h1 = ParagraphStyle(
            "h1",
            base,
            fontName=bold,
            fontSize=12,
            leading=15,
            spaceBefore=4 * mm,
            spaceAfter=2 * mm,
            keepWithNext=1,
        )
        self.h2 = ParagraphStyle(
            "h2",
            base,
            fontName=bold,
            fontSize=9.5,
            leading=12,
            spaceBefore=2 * mm,
            spaceAfter=1 * mm,
            keepWithNext=1,
        )
        self.entry = ParagraphStyle("entry", base, spaceAfter=2.5 * mm)


def text(value: str, narrow: str) -> str:
    """Data as Paragraph text: markup escaped first, then French spaces and line breaks added."""
    return french(escape(value), narrow).replace("\n", "<br/>")


def _territory_key(s: Structure) -> tuple[int, str]:
    if s.is_national:
        return (0, "")
    if not s.departement:
        return (3, "")
    return (2 if len(s.departement) > 2 else 1, s.departement)


def _territory_title(key: tuple[int, str]) -> str:
    if key[0] == 0:
        return NATIONAL_GROUP
    if key[0] == 3:
        return UNLOCATED_GROUP
    t = referential().territory(key[1])
    return f"{t.name} ({key[1]})" if t else key[1]


def _entry(s: Structure, fonts: tuple[str, str, str], narrow: str) -> Entry:
    """One structure as plain text lines (drawn literally: no markup is ever interpreted)."""
    regular, bold, italic = fonts
    size = 8.0

    def line(value: str, font: str = regular) -> tuple[str, str, float]:
        return french(value, narrow), font, size

    lines = [line(s.name, bold)]
    where = " ".join(x for x in (s.address, s.address2, s.postal_code, s.commune) if x)
    if where:
        lines.append(line(where))
    for p in s.phones:
        label = f"{p.label} : " if p.label else "Tél. : "
        lines.append(line(label + shown(p, s.departement) + (" (confidentiel)" if p.confidential else "")))
    if s.emails:
        lines.append(line("Courriel : " + ", ".join(s.emails)))
    if s.website:
        lines.append(line(s.website))
    if hours := hours_line(s.opening_hours, s.hours_text):
        lines.append(line("Horaires : " + keep_times_whole(hours)))
    if s.supports:
        lines.append(line(", ".join(vocabulary.label("support", x) for x in s.supports), italic))
    if s.description:
        lines.append(line(s.description))
    if s.updated:
        lines.append(line(f"Mise à jour : {s.updated.strftime('%d/%m/%Y')}"))
    return Entry(lines, space_after=2.5 * mm)


_TIME_SPACE = re.compile(r"(?<=\d) (?=h\b)|(?<=\bh) (?=\d)")


def keep_times_whole(hours: str) -> str:
    """« 9 h–12 h 30 » never broken across lines: the spaces inside a time become non-breaking."""
    return _TIME_SPACE.sub("\u00a0", hours)


def _title_page(job: ExportJob, st: _Styles, narrow: str) -> list[Flowable]:
    """The title block, in the header frame of page 1; the structures follow on the same page."""
    o = job.options
    out: list[Flowable] = []
    if job.confidential:
        out.append(Paragraph(text(CONFIDENTIAL_NOTICE, narrow), st.notice))
    out.append(Paragraph(text(o.title, narrow), st.title))
    info = [
        f"Exporté le {long_date(o.exported_at.date())} à {format_time(o.exported_at)}",
        f"Version des données : {o.dataset_version or 'inconnue'}",
        f"Structures : {len(job.records)}",
        "Filtres : " + (" ; ".join(o.filters) if o.filters else "aucun"),
    ]
    out += [Paragraph(text(line, narrow), st.info) for line in info]
    out += [NextPageTemplate("columns"), FrameBreak()]
    return out


def _body(
    job: ExportJob, st: _Styles, fonts: tuple[str, str, str], narrow: str, progress: Progress
) -> Iterator[Flowable]:
    def type_key(s: Structure) -> str:
        return fold(vocabulary.label("type", s.type))

    if job.options.keep_order:
        yield from _ordered(job, st, fonts, narrow, progress)
        return
    records: Sequence[Structure] = sorted(
        job.records, key=lambda s: (_territory_key(s), type_key(s), fold(s.name))
    )
    done = 0
    for tkey, group in groupby(records, key=_territory_key):
        yield Paragraph(text(_territory_title(tkey), narrow), st.h1)
        for _, by_type in groupby(group, key=type_key):
            items = list(by_type)
            yield Paragraph(text(vocabulary.label("type", items[0].type), narrow), st.h2)
            for s in items:
                yield _entry(s, fonts, narrow)
                done += 1
                report(progress, done, len(records))


def _ordered(
    job: ExportJob, st: _Styles, fonts: tuple[str, str, str], narrow: str, progress: Progress
) -> Iterator[Flowable]:
    """A list in the user's order, numbered; the national lines asked for come last, under a heading."""
    appendix = set(job.options.appendix)
    main = [s for s in job.records if s.id not in appendix]
    extra = [s for s in job.records if s.id in appendix]
    done = 0
    for group, title in ((main, ""), (extra, APPENDIX_GROUP)):
        if title and group:
            yield Paragraph(text(title, narrow), st.h1)
        for number, s in enumerate(group, 1):
            entry = _entry(s, fonts, narrow)
            if not title:
                first, font, size = entry.lines[0]
                entry.lines[0] = (f"{number}. {first}", font, size)
            yield entry
            done += 1
            report(progress, done, len(job.records))


def _height(flowables: Sequence[Flowable], width: float) -> float:
    """How tall these flowables stand in a frame of this width (paragraph spacing included)."""
    total = 0.0
    for f in flowables:
        if not isinstance(f, Paragraph):  # NextPageTemplate, FrameBreak: no height
            continue
        _w, h = f.wrap(width, 10_000)
        total += h + f.getSpaceBefore() + f.getSpaceAfter()
    return total


def write(job: ExportJob, path: Path, progress: Progress) -> None:
    regular, bold, unicode_ok = pdf_fonts()
    italic = {"DejaVuSans": "DejaVuSans-Oblique", "Vera": "VeraIt"}.get(regular, "Helvetica-Oblique")
    if italic not in pdfmetrics.getRegisteredFontNames():
        italic = regular
    narrow = "\u202f" if unicode_ok else NBSP  # WinAnsi (Helvetica) has no narrow no-break space
    st = _Styles(regular, bold)
    margin = 15 * mm
    width, height = A4
    gap = 6 * mm
    col_w = (width - 2 * margin - gap) / 2
    doc = BaseDocTemplate(
        str(path),
        pagesize=A4,
        title=job.options.title,
        author="PARÉ Desktop",
        initialFontName=regular,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin + 4 * mm,
    )
    frame_h = height - 2 * margin - 4 * mm
    title = _title_page(job, st, narrow)
    header = min(MAX_HEADER, _height(title, width - 2 * margin) + 8 * mm)
    doc.addPageTemplates(
        [
            PageTemplate(
                "title",
                [
                    Frame(margin, height - margin - header, width - 2 * margin, header, id="header"),
                    Frame(margin, margin + 4 * mm, col_w, frame_h - header, id="first-left"),
                    Frame(margin + col_w + gap, margin + 4 * mm, col_w, frame_h - header,
                          id="first-right"),
                ],
            ),
            PageTemplate(
                "columns",
                [
                    Frame(margin, margin + 4 * mm, col_w, frame_h, id="left"),
                    Frame(margin + col_w + gap, margin + 4 * mm, col_w, frame_h, id="right"),
                ],
            ),
        ]
    )
    story = title + list(_body(job, st, (regular, bold, italic), narrow, progress))
    if not job.records:
        story.append(Paragraph(text("Aucune structure.", narrow), st.info))

    class Numbered(_Numbered):
        font = regular

    doc.build(story, canvasmaker=Numbered)
