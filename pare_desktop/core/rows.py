"""Raw SQLite rows of the structure tables read back as records: the one row decoding, without SQLAlchemy."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence
from dataclasses import MISSING, fields
from datetime import date
from typing import Any

from .records import (
    FIELD_DEFAULTS,
    Area,
    Phone,
    Structure,
    area_from_json,
    phones_from_json,
    structure_of_values,
)

#: The columns of the `structure` and `local_structure` tables that make a record, in table order
#: (store.COLUMNS, derived from the SQLAlchemy table, is the same tuple: tests/core/test_store_values.py).
COLUMNS: tuple[str, ...] = (
    "id", "source", "source_id", "name", "type", "description", "address", "address2", "postal_code",
    "commune", "commune_code", "departement", "region", "latitude", "longitude", "position_exact",
    "timezone", "phones", "emails", "website", "opening_hours", "hours_text", "supports", "publics",
    "age_min", "age_max", "modalities", "area", "visibility", "address_visibility", "updated", "status",
    "origin", "withdrawn",
)
SELECT_COLUMNS = ", ".join(COLUMNS)

_PHONES_AT, _AREA_AT, _UPDATED_AT = COLUMNS.index("phones"), COLUMNS.index("area"), COLUMNS.index("updated")


def from_values(values: Sequence[Any]) -> Structure:
    """A structure from raw SQLite values in COLUMNS order (the inverse of store.to_values): bulk reads.

    What structure_from_dict (records.py) gives for the row with its JSON columns decoded
    (tests/core/test_store_values.py), built positionally; the JSON texts and dates that repeat from row to
    row (empty areas and lists, the same few supports, a day) are decoded once."""
    if len(values) != len(COLUMNS):
        raise ValueError(f"{len(values)} values for {len(COLUMNS)} columns")
    args = list(values) if _SAME_ORDER else [values[i] for i in _FIELD_AT]
    phones = values[_PHONES_AT]
    args[_PHONES_FIELD] = _phones(phones) if phones else ()
    area = values[_AREA_AT]
    args[_AREA_FIELD] = _area(area) if area else Area()
    for field_at, at in _TUPLE_FIELDS_AT:
        text = values[at]
        args[field_at] = _tuple(text) if text else ()
    for field_at, at in _BOOL_FIELDS_AT:
        args[field_at] = bool(values[at])
    updated = values[_UPDATED_AT]
    args[_UPDATED_FIELD] = _date(updated) if isinstance(updated, str) and updated else None
    return structure_of_values(*args)


_FIELD_NAMES = tuple(f.name for f in fields(Structure))
_FIELD_AT = tuple(COLUMNS.index(name) for name in _FIELD_NAMES)  # each field's column
_SAME_ORDER = tuple(range(len(COLUMNS))) == _FIELD_AT
_PHONES_FIELD, _AREA_FIELD, _UPDATED_FIELD = (_FIELD_NAMES.index(n) for n in ("phones", "area", "updated"))
_TUPLE_FIELDS_AT = tuple((_FIELD_NAMES.index(n), COLUMNS.index(n))
                         for n in ("emails", "supports", "publics", "modalities"))
_BOOL_FIELDS_AT = tuple((_FIELD_NAMES.index(n), COLUMNS.index(n)) for n in ("position_exact", "withdrawn"))


@functools.lru_cache(maxsize=4096)  # a record's phones: frozen, shared safely by equal rows
def _phones(text: str) -> tuple[Phone, ...]:
    return phones_from_json(json.loads(text))


@functools.lru_cache(maxsize=4096)
def _area(text: str) -> Area:
    return area_from_json(json.loads(text))


@functools.lru_cache(maxsize=4096)
def _tuple(text: str) -> tuple[Any, ...]:
    return tuple(json.loads(text) or ())


@functools.lru_cache(maxsize=4096)
def _date(text: str) -> date:
    return date.fromisoformat(text)


def _decoder(name: str) -> Callable[[Any], Any] | None:
    """How from_values decodes the raw value of column `name` (None: taken as it is)."""
    if name == "phones":
        return lambda text: _phones(text) if text else ()
    if name == "area":
        return lambda text: _area(text) if text else Area()
    if name in ("emails", "supports", "publics", "modalities"):
        return lambda text: _tuple(text) if text else ()
    if name in ("position_exact", "withdrawn"):
        return bool
    if name == "updated":
        return lambda text: _date(text) if isinstance(text, str) and text else None
    return None


@functools.lru_cache(maxsize=16)
def columns_reader(
    names: tuple[str, ...], decoded: frozenset[str] = frozenset()
) -> Callable[[Sequence[Any]], Structure]:
    """What reads raw values of these columns, in this order, as a view of a record: each decoded as
    from_values decodes it (those named in `decoded`: given as the record holds them), every other field
    at its default ("" for the fields a record must have). Enough for what only reads those fields (a
    completion of some columns: writes._completions)."""
    unknown = [n for n in names if n not in COLUMNS]
    if unknown:
        raise ValueError(f"not a column: {unknown}")
    at = tuple(_FIELD_NAMES.index(n) for n in names)
    decoders = tuple(None if n in decoded else _decoder(n) for n in names)
    template = ["" if default is MISSING else default for default in FIELD_DEFAULTS]

    def read(values: Sequence[Any]) -> Structure:
        args = template.copy()
        for i, decode, value in zip(at, decoders, values, strict=True):
            args[i] = value if decode is None else decode(value)
        return structure_of_values(*args)

    return read
