"""Raw SQLite rows of the structure tables read back as records: the one row decoding, without SQLAlchemy."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .records import Structure, structure_from_dict

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
_BOOL_COLUMNS = frozenset(("position_exact", "withdrawn"))
_JSON_AT = tuple(i for i, name in enumerate(COLUMNS) if name in _JSON_COLUMNS)


def from_values(values: Sequence[Any]) -> Structure:
    """A structure from raw SQLite values in COLUMNS order (the inverse of store.to_values): bulk reads."""
    row = dict(zip(COLUMNS, values, strict=True))
    # The JSON columns decoded in one call (an array of them): a third of the cost of one call each.
    decoded = json.loads("[" + ",".join(values[i] or "null" for i in _JSON_AT) + "]")
    for i, value in zip(_JSON_AT, decoded, strict=True):
        row[COLUMNS[i]] = value
    for name in _BOOL_COLUMNS:
        row[name] = bool(row[name])
    return structure_from_dict(row)
