"""`pare screenshot`, small screen: the social worker's journey at 1024×600 (list, detail, near, help)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from ..core.records import SearchQuery

if TYPE_CHECKING:
    from ..app import Gui

SMALL = (1024, 600)


def render_small_screen(gui: Gui, outdir: Path, settle: Callable[[], None]) -> list[Path]:
    """Journey views at 1024×600 written to `outdir`; `settle()` waits for the worker and repaints."""
    w = gui.window
    written: list[Path] = []

    def shot(name: str, widget: QWidget | None = None) -> None:
        settle()
        path = outdir / f"{name}.png"
        (widget or w).grab().save(str(path))
        written.append(path)

    w.tabs.setCurrentIndex(0)
    w.resize(*SMALL)
    settle()
    # 1. Mayotte, « écoute », open now: open ones first, unknown hours after, the first one's detail.
    w.search_field.setText("écoute")
    w.set_query(SearchQuery(text="écoute", territories=("976",), open_now=True))
    settle()
    w.results.table.setFocus()
    w.results.table.selectRow(0)
    shot("10-1024-mayotte-ecoute-ouvert")
    # 2. A detail with phones, e-mail, site and hours: nothing cut on the right.
    w.set_query(SearchQuery(text="maison des adolescents"))
    settle()
    row = next((r for r in range(w.model.rowCount())
                if (s := w.model.structure_at(r)) is not None and s.phones and s.emails and s.opening_hours
                and not s.is_national), 0)
    w.results.table.selectRow(row)
    shot("11-1024-fiche")
    # 3. Near Kourou, 20 km: the national lines, the nearest structures, wider radii.
    box = w.filters.near
    commune = next(iter(gui.window.referential.find_communes("Kourou", 1)), None)
    if commune is not None:
        w.search_field.setText("")
        w.set_query(SearchQuery())
        settle()
        box.edit.setText("Kourou")
        box._fill()
        box._choose(next(iter(box._choices)))
        settle()
        w.results.table.selectRow(0)
        shot("12-1024-pres-de-kourou")
        box.set_value(None)
    w.set_query(SearchQuery())
    settle()
    # 4. The guide (F1), over the window.
    guide = w.show_help()
    guide.resize(720, 540)
    shot("13-1024-aide", guide)
    guide.close()
    return written


__all__ = ["SMALL", "render_small_screen"]
