"""Small record factories shared by core tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from pare_desktop.core.records import Area, Phone, Structure, make_id


def record(source: str, sid: str, name: str, **kw: object) -> Structure:
    base: dict[str, object] = {
        "id": make_id(source, sid), "source": source, "source_id": sid, "name": name,
        "type": "association-specialisee", "departement": "976", "region": "06", "commune": "Mamoudzou",
        "commune_code": "97611", "timezone": "Indian/Mayotte", "updated": date(2026, 1, 5),
    }
    base.update(kw)
    return Structure(**base)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Batch:
    source: str
    records: tuple[Structure, ...] = field(default_factory=tuple)


NATIONAL_119 = Structure(
    id="reference:119", source="reference", source_id="119", name="119 – Allô Enfance en danger",
    type="ligne-ecoute-nationale", phones=(Phone("119", "119"),), area=Area(national=True),
    origin="reference",
)
