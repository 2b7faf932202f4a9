"""The JSON the map page receives: markers, national structures, the type legend. Data only, never markup."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pare_desktop.core import vocabulary
from pare_desktop.core.phones import shown
from pare_desktop.core.records import Structure

from .styles import type_table

#: Order of the fields of one marker row (compact rows keep 100,000 markers small). Positions are whole
#: numbers of 1e-5 degree (about 1 m): integers encode in half the time of floats, and weigh less.
MARKER_FIELDS = ("id", "name", "type", "commune", "phone", "open", "lat_e5", "lon_e5", "exact")
POSITION_SCALE = 100_000
#: Order of the fields of one row of the side box (national structures, structures without a place).
SIDE_FIELDS = ("id", "name", "type", "phone", "national")

OpenState = Callable[[Structure], bool | None]


def _no_hours(_s: Structure) -> bool | None:
    return None


def default_open_state() -> OpenState:
    """ "Open now" in the structure's own time zone, when the hours module is available."""
    try:
        from pare_desktop.core import hours
    except ImportError:
        return _no_hours

    def state(s: Structure) -> bool | None:
        return hours.is_open(s.opening_hours, s.timezone) if s.opening_hours else None

    return state


@dataclass(frozen=True, slots=True)
class MapPayload:
    """What the page draws for one set of records."""

    markers: list[list[Any]]
    side: list[list[Any]]

    def to_json(self, *, clusters: dict[str, Any] | None = None) -> str:
        """Compact JSON (UTF-8 text), the one form the page accepts; `clusters`: a precomputed grid."""
        value: dict[str, Any] = {
            "fields": MARKER_FIELDS, "sideFields": SIDE_FIELDS, "markers": self.markers, "side": self.side
        }
        if clusters is not None:
            value["clusters"] = clusters
        return dumps(value)


def dumps(value: Any) -> str:
    """Compact JSON for the page."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _type_index() -> dict[str, int]:
    return {t.slug: i for i, t in enumerate(vocabulary.STRUCTURE_TYPES)}


def _phone(s: Structure) -> str:
    return shown(s.phones[0], s.departement) if s.phones else ""


def build_payload(records: Iterable[Structure], open_state: OpenState | None = None) -> MapPayload:
    """Markers for located structures; national and unlocated ones go to the side box.

    "Open now" is computed once per distinct (hours, time zone, national) triple: 100,000 records share
    a few thousand opening-hours strings.
    """
    state = open_state or _no_hours
    index = _type_index()
    markers: list[list[Any]] = []
    side: list[list[Any]] = []
    opened_of: dict[tuple[str, str], int | None] = {}
    add_marker, add_side, type_of = markers.append, side.append, index.get
    for s in records:
        t = type_of(s.type, -1)
        phone = _phone(s)
        lat, lon = s.latitude, s.longitude
        if s.area.national or lat is None or lon is None:
            add_side([s.id, s.name, t, phone, s.area.national])
            continue
        key = (s.opening_hours, s.timezone)
        if key in opened_of:
            opened = opened_of[key]
        else:
            value = state(s)
            opened = opened_of[key] = None if value is None else int(value)
        lat5, lon5 = round(lat * POSITION_SCALE), round(lon * POSITION_SCALE)
        add_marker([s.id, s.name, t, s.commune, phone, opened, lat5, lon5, int(s.position_exact)])
    return MapPayload(markers, side)


def legend() -> list[dict[str, str]]:
    """The type legend (slug, label, colour) sent once with the page configuration."""
    return type_table()


def ids_json(ids: Sequence[str]) -> str:
    """A list of ids as JSON."""
    return dumps(list(ids))
