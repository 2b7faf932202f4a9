"""The bundled demonstration records and the real national lines (119, 116 000, 3018...)."""

from __future__ import annotations

import functools
import json

from pare_desktop.core.records import Structure, structure_from_dict
from pare_desktop.paths import resource_path

#: Fiction blocks of the French numbering plan (ARCEP): the only numbers demo records may carry.
FICTION_BLOCKS = ("+3319900", "+3326191", "+3335301", "+3346571", "+3353649")


@functools.cache
def _load(name: str) -> tuple[Structure, ...]:
    data = json.loads(resource_path("demo", name).read_text(encoding="utf-8"))
    return tuple(structure_from_dict(d) for d in data)


def load_demo() -> list[Structure]:
    """The fictional demonstration records: "(démo)" names, example.org, fiction phone numbers."""
    return list(_load("demo.json"))


def load_reference() -> list[Structure]:
    """The real national lines the app always ships, with their real public numbers."""
    return list(_load("reference.json"))


def is_fiction_number(number: str) -> bool:
    """True for an E.164 number inside one of the blocks reserved for fiction."""
    return number.startswith(FICTION_BLOCKS)
