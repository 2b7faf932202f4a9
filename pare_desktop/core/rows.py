"""Raw SQLite rows of the structure tables read back as records: the one row decoding, without SQLAlchemy."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .records import Structure, area_from_json, date_from_json, phones_from_json

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

_JSON_COLUMNS = frozenset(("phones", "emails", "supports", "publics", "modalities", "area"))
_JSON_AT = tuple(i for i, name in enumerate(COLUMNS) if name in _JSON_COLUMNS)
_PHONES_AT, _AREA_AT, _UPDATED_AT = COLUMNS.index("phones"), COLUMNS.index("area"), COLUMNS.index("updated")
_TUPLE_AT = tuple(COLUMNS.index(name) for name in ("emails", "supports", "publics", "modalities"))
_BOOL_AT = tuple(COLUMNS.index(name) for name in ("position_exact", "withdrawn"))


def from_values(values: Sequence[Any]) -> Structure:
    """A structure from raw SQLite values in COLUMNS order (the inverse of store.to_values): bulk reads.

    The conversions of structure_from_dict (records.py), applied in place to the row's values."""
    row = list(values)
    # The JSON columns decoded in one call (an array of them): a third of the cost of one call each.
    decoded = json.loads("[" + ",".join([values[i] or "null" for i in _JSON_AT]) + "]")
    for i, value in zip(_JSON_AT, decoded, strict=True):
        row[i] = value
    row[_PHONES_AT] = phones_from_json(row[_PHONES_AT])
    row[_AREA_AT] = area_from_json(row[_AREA_AT])
    for i in _TUPLE_AT:
        row[i] = tuple(row[i] or ())
    for i in _BOOL_AT:
        row[i] = bool(row[i])
    row[_UPDATED_AT] = date_from_json(row[_UPDATED_AT])
    return Structure(**dict(zip(COLUMNS, row, strict=True)))
