"""slots.positional_maker: the same objects as the dataclass's own __init__, by the 100,000."""

from __future__ import annotations

import pickle
from dataclasses import FrozenInstanceError, astuple, dataclass, fields

import pytest

from pare_desktop.core.records import Area, Phone, Structure, new_structure, structure_of_values
from pare_desktop.core.slots import positional_maker
from pare_desktop.core.territories import Commune, _commune_of_values, referential


def _values(record: object) -> list[object]:
    return [getattr(record, f.name) for f in fields(record)]  # type: ignore[arg-type]


def test_a_structure_made_so_is_the_dataclass_own() -> None:
    full = new_structure(id="s:1", source="s", source_id="1", name="Maison", type="sante-ado-psy",
                         latitude=48.85, longitude=2.35, phones=(Phone("+33199001234", "01 99 00 12 34"),),
                         area=Area(departements=("75",)), age_min=12)
    made = structure_of_values(*_values(full))
    assert type(made) is Structure and made == full and repr(made) == repr(full)
    assert hash(made) == hash(full) and pickle.loads(pickle.dumps(made)) == full
    assert made == Structure(*_values(full))
    with pytest.raises(FrozenInstanceError):
        made.name = "autre"  # type: ignore[misc]


def test_a_commune_made_so_is_the_dataclass_own() -> None:
    paris = referential().current_commune("75111")
    assert paris is not None and type(paris) is Commune
    assert paris == Commune(*_values(paris)) == _commune_of_values(*_values(paris))
    assert astuple(paris) == astuple(Commune(*_values(paris)))


def test_classes_it_cannot_make_so_are_left_to_their_init() -> None:
    @dataclass(frozen=True)
    class NoSlots:
        a: int

    @dataclass(frozen=True, slots=True)
    class Checked:
        a: int

        def __post_init__(self) -> None:
            if self.a < 0:
                raise ValueError(self.a)

    assert positional_maker(NoSlots) is NoSlots
    assert positional_maker(Checked) is Checked
