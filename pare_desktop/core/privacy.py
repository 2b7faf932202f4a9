"""Where the public sees a structure whose address is confidential: its commune's centre, never the point."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .records import Structure


def public_position(s: Structure) -> tuple[float | None, float | None]:
    """The position shown outside the professional mode for a record with a confidential address.

    The one rule for every public output (window, `pare show`, exports, map, public feed): the centre of
    the record's commune (INSEE code, else its postal code and name), always flagged approximate by the
    caller; no position at all when the commune is unknown. Never the record's own point.
    """
    from .territories import referential

    ref = referential()
    commune = ref.commune(s.commune_code) if s.commune_code else None
    if commune is None and s.postal_code:
        named = [c for c in ref.find_communes(s.postal_code, 50) if s.postal_code in c.postal_codes]
        folded = s.commune.strip().casefold()
        commune = next((c for c in named if c.name.casefold() == folded), None)
        if commune is None and len(named) == 1:
            commune = named[0]
    if commune is None:
        return None, None
    return commune.latitude, commune.longitude
