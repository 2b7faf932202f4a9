"""« Près de » with nothing local within the radius: the nearest matching structures beyond it and wider radii
to try — one rule, said one way, for the window's notice and `pare search` (text and JSON)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from .records import SORT_DISTANCE, SearchQuery, SearchResult, Structure

NEAREST_COUNT = 3
#: Radii (km) tried in turn for the nearest structures: widening step by step is cheaper than sorting every
#: structure of France by distance (~100 ms at 100k).
SEARCH_RADII = (50.0, 100.0, 200.0, 500.0, 1500.0)
#: The wider radii offered to the user, in km (only those above the current radius).
WIDER_RADII = (50, 100, 200)

Nearest = tuple[tuple[Structure, float], ...]


class DirectoryLike(Protocol):
    """What the rule needs from core.directory.Directory."""

    def search(self, query: SearchQuery) -> SearchResult: ...

    def get_many(self, ids: Sequence[str]) -> list[Structure]: ...


def distance_text(km: float) -> str:
    """« 8,2 km », « 34 km », « 6 662 km » (decimal comma, narrow no-break space between thousands)."""
    if km < 10:
        return f"{km:.1f} km".replace(".", ",")
    return f"{km:,.0f} km".replace(",", "\u202f")


def radius_text(km: float) -> str:
    """« 20 », « 2,5 »: a radius as the user gave it."""
    return f"{km:g}".replace(".", ",")


@dataclass(frozen=True, slots=True)
class NearHint:
    """What « près de » found locally; when nothing (`applies`), the nearest beyond and the radii to try."""

    radius_km: float
    local_total: int  # matches within the radius that are not national lines
    nearest: Nearest = ()  # only when local_total is 0: the nearest matching structures, with their km
    wider_km: tuple[int, ...] = ()  # only when local_total is 0

    @property
    def applies(self) -> bool:
        """Nothing local within the radius: the hint is to be shown."""
        return self.local_total == 0

    def sentence(self, place: str) -> str:
        """The hint's opening sentence, before the list of the nearest."""
        text = (f"Aucune structure locale à moins de {radius_text(self.radius_km)} km de {place} : "
                "les lignes nationales restent joignables.")
        if self.nearest:
            return text + " Les plus proches :"
        return text + " Aucune autre structure ne correspond, même plus loin."

    def to_json(self, place: str) -> dict[str, Any]:
        return {
            "place": place,
            "radius_km": self.radius_km,
            "local_total": self.local_total,
            "message": self.sentence(place) if self.applies else None,
            "nearest": [
                {"id": s.id, "name": s.name, "commune": s.commune, "departement": s.departement,
                 "distance_km": round(km, 2)}
                for s, km in self.nearest
            ],
            "wider_radii_km": list(self.wider_km),
        }


def near_hint(directory: DirectoryLike, query: SearchQuery) -> NearHint | None:
    """The hint for a « près de » query with a radius (None for any other query)."""
    if query.near is None or query.radius_km is None:
        return None
    radius = query.radius_km
    local = replace(query, include_national=False, offset=0)
    total = directory.search(replace(local, limit=0)).total
    if total:
        return NearHint(radius, total)
    far = None
    for wider in [r for r in SEARCH_RADII if r > radius] + [None]:
        far = directory.search(replace(local, radius_km=wider, sort=SORT_DISTANCE, limit=NEAREST_COUNT))
        if far.ids:
            break
    assert far is not None
    found = {s.id: s for s in directory.get_many(far.ids)}
    pairs = zip(far.ids, far.distances_km, strict=False)
    nearest = tuple((found[i], d) for i, d in pairs if i in found and d is not None)
    return NearHint(radius, 0, nearest, tuple(r for r in WIDER_RADII if r > radius))
