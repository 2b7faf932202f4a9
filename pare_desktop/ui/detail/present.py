"""How records read in the UI: French dates, badges, territory names, area of intervention (no Qt widgets)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from PySide6.QtCore import QCoreApplication

from ...core import nearby, vocabulary
from ...core.records import ORIGIN_DEMO, ORIGIN_LOCAL, ORIGIN_REFERENCE, Structure
from ...core.territories import Referential

#: A record not updated for longer than this is flagged stale.
STALE_DAYS = 365

BADGE_NATIONAL = "national"
BADGE_DEMO = "demo"
BADGE_LOCAL = "local"
BADGE_WITHDRAWN = "withdrawn"
BADGE_STALE = "stale"
BADGE_PRO = "pro"
BADGE_CLOSED = "closed"

#: Badge colours (background, text): dark text on light fills, above 4.5:1 contrast in both palettes.
BADGE_COLOURS: dict[str, tuple[str, str]] = {
    BADGE_NATIONAL: ("#cfe3ff", "#0b2a55"),
    BADGE_DEMO: ("#ffe08a", "#3d2c00"),
    BADGE_LOCAL: ("#c9f0d3", "#0d3b1c"),
    BADGE_WITHDRAWN: ("#f6c6c6", "#5a0b0b"),
    BADGE_STALE: ("#e4dcf5", "#2f1b57"),
    BADGE_PRO: ("#ffd6b0", "#4a2300"),
    BADGE_CLOSED: ("#dddddd", "#222222"),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("present", text)


@dataclass(frozen=True, slots=True)
class Badge:
    kind: str
    text: str


def format_date(d: date | datetime | None) -> str:
    """French dd/MM/yyyy, or an em dash."""
    if d is None:
        return "—"
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def is_stale(s: Structure, today: date | None = None) -> bool:
    if s.updated is None or s.is_local:
        return False
    return ((today or date.today()) - s.updated).days > STALE_DAYS


def badges(s: Structure, today: date | None = None) -> list[Badge]:
    out: list[Badge] = []
    if s.is_national:
        out.append(Badge(BADGE_NATIONAL, _tr("national")))
    if s.is_demo:
        out.append(Badge(BADGE_DEMO, _tr("démo")))
    if s.is_local:
        out.append(Badge(BADGE_LOCAL, _tr("local")))
    if s.withdrawn:
        out.append(Badge(BADGE_WITHDRAWN, _tr("retirée")))
    if s.status != "active":
        out.append(Badge(BADGE_CLOSED, vocabulary.label("status", s.status).lower()))
    if s.visibility != "public":
        out.append(Badge(BADGE_PRO, _tr("pro")))
    if is_stale(s, today):
        out.append(Badge(BADGE_STALE, _tr("> 12 mois")))
    return out


def territory_name(ref: Referential, code: str) -> str:
    t = ref.territory(code)
    return t.name if t else code


def place(ref: Referential, s: Structure) -> str:
    """"Mamoudzou (Mayotte)", "France entière" for a national line with no commune."""
    where = territory_name(ref, s.departement) if s.departement else ""
    if s.commune and where and where != s.commune:
        return f"{s.commune} ({where})"
    if s.commune or where:
        return s.commune or where
    return _tr("France entière") if s.is_national else "—"


def area_text(ref: Referential, s: Structure) -> str:
    a = s.area
    if a.national:
        return _tr("France entière (métropole et outre-mer)")
    parts: list[str] = []
    for r in a.regions:
        region = ref.region(r)
        parts.append(_tr("région %1").replace("%1", region.name) if region else r)
    parts += [territory_name(ref, d) for d in a.departements]
    communes = [ref.commune(c) for c in a.communes]
    parts += [c.name if c else code for c, code in zip(communes, a.communes, strict=True)]
    return ", ".join(parts) if parts else _tr("Non précisée")


def labels(kind: str, slugs: tuple[str, ...]) -> str:
    return ", ".join(vocabulary.label(kind, x) for x in slugs) or "—"


def distance_text(km: float | None) -> str:
    return "" if km is None else nearby.distance_text(km)


def source_text(s: Structure) -> str:
    """Where a record comes from, in words: never the raw slug (« demo », « reference »)."""
    if s.origin == ORIGIN_DEMO:
        return _tr("Données de démonstration (fictives)")
    if s.origin == ORIGIN_REFERENCE:
        return _tr("Lignes nationales fournies avec PARÉ")
    if s.origin == ORIGIN_LOCAL:
        return _tr("Structure locale, saisie sur ce poste")
    return _tr("Annuaire importé ou synchronisé (« %1 »)").replace("%1", s.source)


def _days(first: str, last: str, count: int) -> str:
    if count == 1:
        return first
    if count == 2:
        return _tr("%1 et %2").replace("%1", first).replace("%2", last)
    return _tr("du %1 au %2").replace("%1", first).replace("%2", last)


def _unbroken(spans: str) -> str:
    """« 14 h – 17 h 30 » never wraps inside a time range (no-break spaces); lines break between ranges."""
    return ", ".join(span.replace(" ", "\u00a0") for span in spans.split(", "))


def week_lines(week: list[tuple[str, str]]) -> list[str]:
    """The week table with runs of equal days grouped: « du lundi au vendredi : 8 h – 20 h »,
    « tous les jours : 24 h/24 » rather than seven identical lines."""
    if len(week) == 7 and len({span for _day, span in week}) == 1:
        return [_tr("tous les jours : %1").replace("%1", _unbroken(week[0][1]))]
    lines: list[str] = []
    start = 0
    while start < len(week):
        end = start
        while end + 1 < len(week) and week[end + 1][1] == week[start][1]:
            end += 1
        days = _days(week[start][0], week[end][0], end - start + 1)
        lines.append(f"{days} : {_unbroken(week[start][1])}")
        start = end + 1
    return lines
