"""The PDF reads well: content on page 1, a list in its own order, national lines last, French hours,
and no entry loses its text when it is split across columns or pages."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from pare_desktop.core.demo import load_demo, load_reference
from pare_desktop.core.export import ExportOptions, export
from pare_desktop.core.export.typography import NBSP, NNBSP


def _pages(path: Path) -> list[str]:
    return [" ".join(p.extract_text().replace(NBSP, " ").replace(NNBSP, " ").split())
            for p in PdfReader(str(path)).pages]


def test_list_order_national_lines_and_hours(tmp_path: Path) -> None:
    demo = [s for s in load_demo() if s.visibility == "public" and s.departement == "973"][:5]
    demo[0] = replace(demo[0], opening_hours="24/7", hours_text="Sur rendez-vous le mercredi après-midi.")
    mine = list(reversed(demo))  # the user's order, not alphabetical
    national = load_reference()[:2]
    out = tmp_path / "liste.pdf"
    export(mine + national, "pdf", out, ExportOptions(
        title="Partenaires Guyane", keep_order=True, appendix=tuple(s.id for s in national)))
    pages = _pages(out)
    text = " ".join(pages)
    positions = [text.index(f"{n}. {' '.join(s.name.split())}") for n, s in enumerate(mine, 1)]
    assert positions == sorted(positions)
    assert mine[0].name.split()[0] in pages[0]  # page 1 already lists structures
    appendix = text.index("Lignes nationales")
    assert all(text.index(" ".join(s.name.split())) > appendix for s in national)
    assert "Horaires : 24 h/24, 7 j/7 — Sur rendez-vous le mercredi après-midi." in text
    assert "Mo-" not in text and "Tu-" not in text and "24/7" not in text


@pytest.mark.parametrize("keep_order", [False, True])
def test_every_entry_survives_column_and_page_breaks(tmp_path: Path, keep_order: bool) -> None:
    records = [s for s in load_demo() if s.visibility == "public"][:60]
    out = tmp_path / "tout.pdf"
    export(records, "pdf", out, ExportOptions(title="Tout", keep_order=keep_order))
    text = " ".join(_pages(out))
    missing = [s.name for s in records if " ".join(s.name.split()) not in text]
    assert not missing
    assert text.count("Mise à jour :") == sum(1 for s in records if s.updated)


def test_cli_list_pdf_keeps_the_users_order(tmp_path: Path) -> None:
    from pare_desktop import paths
    from pare_desktop.cli import run
    from pare_desktop.core.directory import Directory
    from pare_desktop.core.records import SearchQuery

    with Directory.open(paths.database_path(tmp_path)) as d:
        ids = list(d.search(SearchQuery(territories=("973",), include_national=False)).ids[:4])
        lid = d.user.create_list("Guyane")
        d.user.add_to_list(lid, list(reversed(ids)))
        names = [s.name for s in d.get_many(list(reversed(ids)))]
    out = tmp_path / "guyane.pdf"
    args = ["--data-dir", str(tmp_path), "export", "--format", "pdf", "--list", "guyane", "-o", str(out)]
    assert run(args) == 0
    text = " ".join(_pages(out))
    positions = [text.index(f"{n}. {' '.join(name.split())}") for n, name in enumerate(names, 1)]
    assert positions == sorted(positions)


def test_times_never_break_inside_and_the_export_time_is_french() -> None:
    from datetime import datetime

    from pare_desktop.core.export.pdf import keep_times_whole
    from pare_desktop.core.hours import format_time

    assert keep_times_whole("lun.–jeu. 9 h–12 h 30 et 14 h–17 h") == (
        "lun.–jeu. 9\u00a0h–12\u00a0h\u00a030 et 14\u00a0h–17\u00a0h")
    assert format_time(datetime(2026, 12, 1, 15, 46)) == "15 h 46"
