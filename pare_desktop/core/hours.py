"""Opening hours (OSM syntax) evaluated in a structure's own time zone, described in French."""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import opening_hours

#: opening-hours-py has holiday data for FR only; overseas places use FR with their local time zone.
_COUNTRY = "FR"
_DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_OPEN = "open"
_UNKNOWN = "unknown"


@functools.lru_cache(maxsize=4096)
def compile_hours(oh: str) -> opening_hours.OpeningHours | None:
    """The parsed expression (cached), or None when it is empty or invalid."""
    oh = oh.strip()
    if not oh:
        return None
    try:
        return opening_hours.OpeningHours(oh, country=_COUNTRY)
    except Exception:  # ParserError, or a panic from the Rust side on odd input
        return None


@functools.lru_cache(maxsize=256)
def _zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz or "Europe/Paris")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Europe/Paris")


def local_time(tz: str, when: datetime | None = None) -> datetime:
    """`when` (aware; naive means UTC; None means now) as a naive wall-clock time in zone `tz`."""
    if when is None:
        when = datetime.now(UTC)
    elif when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(_zone(tz)).replace(tzinfo=None)


def state_at(compiled: opening_hours.OpeningHours, local: datetime) -> bool | None:
    """True open, False closed, None unknown, at naive local time `local`."""
    try:
        if compiled.is_unknown(local):
            return None
        return bool(compiled.is_open(local))
    except Exception:
        return None


def is_open(opening_hours_: str, tz: str, when: datetime | None = None) -> bool | None:
    """Whether the place is open at `when` (now by default) in its zone; None when unknown or invalid."""
    compiled = compile_hours(opening_hours_)
    if compiled is None:
        return None
    return state_at(compiled, local_time(tz, when))


def validate_hours(oh: str) -> str | None:
    """None when `oh` is a valid expression, else a French message for the user."""
    if not oh.strip():
        return None
    if compile_hours(oh) is not None:
        return None
    return (
        "Horaires non reconnus : utilisez la syntaxe OpenStreetMap, "
        "par exemple « Mo-Fr 09:00-12:00,13:30-17:00; PH off »."
    )


def format_time(t: datetime) -> str:
    """French typography: "9 h", "17 h", "8 h 30"."""
    return f"{t.hour} h" if t.minute == 0 else f"{t.hour} h {t.minute:02d}"


def _day_phrase(target: datetime, local: datetime) -> str:
    delta = (target.date() - local.date()).days
    if delta == 0:
        return ""
    if delta == 1:
        return "demain "
    if delta < 7:
        return _DAYS[target.weekday()] + " "
    return f"le {target.day}/{target.month:02d} "


def describe_now(oh: str, tz: str, when: datetime | None = None) -> str:
    """A short French phrase: "Ouvert maintenant · ferme à 17 h", "Fermé · ouvre lundi à 9 h"..."""
    compiled = compile_hours(oh)
    if compiled is None:
        return "Horaires non renseignés" if not oh.strip() else "Horaires non reconnus"
    local = local_time(tz, when)
    state = state_at(compiled, local)
    try:
        change = compiled.next_change(local)
    except Exception:
        change = None
    if change is not None:
        change = change.replace(tzinfo=None)
    if state is None:
        return "Horaires à confirmer"
    if state:
        if change is None:
            return "Ouvert 24 h/24"
        return f"Ouvert maintenant · ferme {_day_phrase(change, local)}à {format_time(change)}"
    if change is None:
        return "Fermé"
    return f"Fermé · ouvre {_day_phrase(change, local)}à {format_time(change)}"


def _week_start(today: date) -> datetime:
    monday = today - timedelta(days=today.weekday())
    return datetime(monday.year, monday.month, monday.day)


def week_table(oh: str, today: date | None = None) -> list[tuple[str, str]]:
    """(day, hours) for the current week, Monday first: ("lundi", "9 h – 12 h, 13 h 30 – 17 h")."""
    compiled = compile_hours(oh)
    if compiled is None:
        return []
    start = _week_start(today or datetime.now(UTC).date())
    rows: list[tuple[str, str]] = []
    for offset, day in enumerate(_DAYS):
        begin = start + timedelta(days=offset)
        end = begin + timedelta(days=1)
        spans: list[str] = []
        try:
            for lo, hi, state, _comment in compiled.intervals(begin, end):
                name = str(state).lower()
                if name not in (_OPEN, _UNKNOWN):
                    continue
                hi_txt = "24 h" if hi is None or hi >= end else format_time(hi)
                lo_txt = format_time(max(lo, begin))
                suffix = " (à confirmer)" if name == _UNKNOWN else ""
                spans.append(f"{lo_txt} – {hi_txt}{suffix}")
        except Exception:
            spans = []
        text = ", ".join(spans) or "fermé"
        rows.append((day, "24 h/24" if text == "0 h – 24 h" else text))
    return rows
