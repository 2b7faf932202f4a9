"""store.to_values spells every row exactly as the JSON encoder did (unchanged rows stay « inchangées »
across versions), and from_values reads it back to the same record."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

from benchmarks.synth import synthetic_structures
from pare_desktop.core import store
from pare_desktop.core.demo import load_demo, load_reference
from pare_desktop.core.records import Area, Phone, Structure, structure_from_dict, structure_to_dict

TRICKY = ('guillemets " et \\ barre', "ligne\nretour\tonglet\x01", "é à ç œ – « »", "\u2028\u2029 \U0001f600",
          "", "</script>")


def reference_values(s: Structure) -> tuple[Any, ...]:
    """to_values as it was first written: structure_to_dict, then one JSON encoding per column."""
    row = structure_to_dict(s)
    out: list[Any] = []
    for name in store.COLUMNS:
        value = row[name]
        if name in store._JSON_COLUMNS:
            value = store._encode(value)
        elif name in store._BOOL_COLUMNS:
            value = int(value)
        out.append(value)
    return tuple(out)


def records() -> list[Structure]:
    base = synthetic_structures(300)
    tricky = [
        replace(
            base[0],
            id=f"t:{i}",
            name=text,
            phones=(Phone("+33123456789", text or "0", text, True), Phone(text or "0", text or "0", "")),
            emails=(text, "a@b.fr"),
            supports=(text,),
            publics=(),
            modalities=(text, text),
            area=Area(national=True, regions=(text,), departements=("974",), communes=()),
            updated=date(2026, 2, 29 - 1),
            withdrawn=True,
            position_exact=True,
        )
        for i, text in enumerate(TRICKY)
    ]
    odd = replace(base[1], id="t:odd", emails=("x", 3), area=Area(national=1))  # type: ignore[arg-type]
    return [*base, *load_demo(), *load_reference(), *tricky, odd]


def test_to_values_spells_rows_as_the_encoder_did() -> None:
    for s in records():
        assert store.to_values(s) == reference_values(s), s.id


def test_remembered_spellings_never_answer_for_look_alike_values() -> None:
    """Tuples and areas already spelt are remembered; values equal to them but not of strings (1 == True,
    an area of national=1) or unhashable are spelt as the encoder does, whatever came first."""
    base = synthetic_structures(1)[0]
    twins = [
        replace(base, id="a", supports=("1",), publics=("True",), area=Area(national=True)),
        replace(base, id="b", supports=(1,), publics=(True,), area=Area(national=1)),  # type: ignore[arg-type]
        replace(base, id="c", emails=(["liste"],), area=Area(national=True, regions=(1,))),  # type: ignore[arg-type]
    ]
    for order in (twins, twins[::-1], twins + twins):
        store._SPELT.clear()
        for s in order:
            assert store.to_values(s) == reference_values(s), s.id


def test_from_values_reads_them_back() -> None:
    for s in records()[:-1]:  # the odd one (non-text values) is not a record the app makes
        assert store.from_values(store.to_values(s)) == s, s.id


def by_dict(values: tuple[Any, ...]) -> Structure:
    """from_values as first written: a dict of the row, its JSON columns decoded, structure_from_dict."""
    row = dict(zip(store.COLUMNS, values, strict=True))
    for name in store._JSON_COLUMNS:
        row[name] = json.loads(row[name] or "null")
    for name in store._BOOL_COLUMNS:
        row[name] = bool(row[name])
    return structure_from_dict(row)


def test_from_values_gives_what_structure_from_dict_gave() -> None:
    rows = [store.to_values(s) for s in records()[:-1]]
    at = {name: i for i, name in enumerate(store.COLUMNS)}
    blank = list(rows[0])
    for name in ("phones", "emails", "supports", "publics", "modalities", "area", "updated"):
        blank[at[name]] = None  # NULL columns (rows written before a column existed)
    empty = list(rows[1])
    for name in ("phones", "emails", "area", "updated"):
        empty[at[name]] = ""
    nulls = list(rows[2])
    for name in ("phones", "supports", "area"):
        nulls[at[name]] = "null"
    nulls[at["area"]] = '{"national":1,"regions":null}'
    for values in [*rows, tuple(blank), tuple(empty), tuple(nulls), *rows]:  # twice: the cached texts too
        got, expected = store.from_values(values), by_dict(values)
        assert got == expected and repr(got) == repr(expected), values[0]


def test_records_built_slot_by_slot_are_those_of_the_dataclass() -> None:
    """structure_of_values and replaced (bulk reads and merges) give the records Structure() and
    dataclasses.replace give: equal, same hash, same text, frozen all the same."""
    import dataclasses

    import pytest

    from pare_desktop.core.records import replaced, structure_of_values

    for s in records():
        values = [getattr(s, f.name) for f in dataclasses.fields(Structure)]
        built = structure_of_values(*values)
        assert type(built) is Structure and built == s and hash(built) == hash(s) and repr(built) == repr(s)
        changes = {"type": "csapa", "supports": ("ecoute",), "area": Area(national=True), "withdrawn": True}
        assert replaced(s, **changes) == dataclasses.replace(s, **changes)
        with pytest.raises(dataclasses.FrozenInstanceError):
            built.name = "autre"  # type: ignore[misc]
