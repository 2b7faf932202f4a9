"""Opening hours given one column per day (h_lundi … « 09:00 - 12:00 / 13:30 - 17:00 ») as OSM hours."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping

from pare_desktop.core.hours import validate_hours
from pare_desktop.core.importers.fields import header_key

DAYS = (("lundi", "Mo"), ("mardi", "Tu"), ("mercredi", "We"), ("jeudi", "Th"), ("vendredi", "Fr"),
        ("samedi", "Sa"), ("dimanche", "Su"))
_ORDER = [osm for _, osm in DAYS]
_DAY_HEADER = re.compile(r"^(?:h|hor|horaire|horaires|horaires d ouverture|ouverture)?\s*("
                         + "|".join(day for day, _ in DAYS) + r")$")
_CLOSED = {"", "ferme", "fermee", "fermé", "fermée", "-", "x", "non", "closed", "off", "0"}
_TIME = r"(\d{1,2})\s*(?:[h:.]\s*(\d{2})?)?"
_RANGE = re.compile(_TIME + r"\s*(?:-|–|—|à|a|au)\s*" + _TIME, re.IGNORECASE)
_LEFTOVER = re.compile(r"[\s/,;+&|]|et")


def day_columns(headers: Iterable[str]) -> dict[str, str]:
    """Header -> OSM day ("Mo"...) for the per-day hours columns (« h_lundi », « Horaires mardi »...)."""
    out: dict[str, str] = {}
    names = dict(DAYS)
    for header in headers:
        m = _DAY_HEADER.match(header_key(header))
        if m and names[m[1]] not in out.values():
            out[header] = names[m[1]]
    return out


def _time(hours: str, minutes: str | None) -> str | None:
    h, m = int(hours), int(minutes or 0)
    if h > 24 or m > 59 or (h == 24 and m):
        return None
    return f"{h:02d}:{m:02d}"


@functools.lru_cache(maxsize=4096)
def day_ranges(cell: str) -> str | None:
    """« 09:00 - 12:00 / 13:30 - 17:00 » -> "09:00-12:00,13:30-17:00"; "" when closed; None if unreadable."""
    text = cell.strip().lower()
    if text in _CLOSED:
        return ""
    ranges = []
    for m in _RANGE.finditer(text):
        start, end = _time(m[1], m[2]), _time(m[3], m[4])
        if start is None or end is None:
            return None
        ranges.append(f"{start}-{end}")
    if not ranges or _LEFTOVER.sub("", _RANGE.sub("", text)):
        return None
    return ",".join(ranges)


def hours_from_days(cells: Mapping[str, str]) -> tuple[str, str]:
    """(OSM opening hours, "") from per-day cells keyed by OSM day, consecutive equal days grouped
    (« Mo-Fr 09:00-12:00,13:30-17:00; Sa 09:00-12:00 »); ("", French text) when a day cannot be read."""
    if not any(v.strip() for v in cells.values()):
        return "", ""
    parsed = {day: day_ranges(cells.get(day, "")) for day in _ORDER}
    if any(v is None for v in parsed.values()):
        return "", _as_text(cells)
    rules: list[str] = []
    i = 0
    while i < len(_ORDER):
        value = parsed[_ORDER[i]]
        j = i
        while j + 1 < len(_ORDER) and parsed[_ORDER[j + 1]] == value:
            j += 1
        if value:
            days = _ORDER[i] if i == j else f"{_ORDER[i]}{',' if j == i + 1 else '-'}{_ORDER[j]}"
            rules.append(f"{days} {value}")
        i = j + 1
    osm = "; ".join(rules)
    if not osm:
        return "", "Fermé"
    if validate_hours(osm) is not None:
        return "", _as_text(cells)
    return osm, ""


def _as_text(cells: Mapping[str, str]) -> str:
    """« Lundi : 9h-12h ; Samedi : sur rendez-vous », what the file says, for the hours text."""
    names = {osm: day.capitalize() for day, osm in DAYS}
    return " ; ".join(f"{names[d]} : {cells[d].strip()}" for d in _ORDER if cells.get(d, "").strip())


def add_day_hours(row: dict[str, str], raw: Mapping[str, str], columns: Mapping[str, str]) -> None:
    """Fill the row's OSM hours (or, unreadable, its hours text) from the per-day columns, unless the
    row already has hours of its own."""
    if not columns or row.get("horaires_osm", "").strip():
        return
    osm, text = hours_from_days({day: raw.get(header, "") for header, day in columns.items()})
    if osm:
        row["horaires_osm"] = osm
    elif text and not row.get("horaires_texte", "").strip():
        row["horaires_texte"] = text
