"""The data·inclusion producer template (dataset.xlsx): a « structures » and a « services » sheet whose first
row names the schema's fields and whose second row describes them; read as data·inclusion items."""

from __future__ import annotations

import re
from collections.abc import Generator, Sequence
from typing import Any

from pare_desktop.core.importers.values import BadValue, cell_from_python, parse_date

#: the schema's list fields, written « a, b » or « a; b » in a sheet (v1 names and the v0 ones)
LIST_FIELDS = frozenset({"reseaux_porteurs", "thematiques", "publics", "modes_accueil", "zone_eligibilite",
                         "modes_mobilisation", "mobilisable_par", "profils", "types", "frais",
                         "labels_nationaux", "labels_autres", "modes_orientation_beneficiaire",
                         "modes_orientation_accompagnateur"})
#: a header row naming these is a data·inclusion sheet, not a coordinator's spreadsheet
_MARKERS = ({"id", "nom", "date_maj"}, {"id", "structure_id", "nom"})


def field_name(header: object) -> str:
    """« id* », « Date_maj », « code insee » -> "id", "date_maj", "code_insee"."""
    text = cell_from_python(header).strip().lower().rstrip("*").strip()
    return re.sub(r"[\s-]+", "_", text)


def is_di_header(headers: Sequence[object]) -> bool:
    names = {field_name(h) for h in headers}
    return any(marker <= names for marker in _MARKERS) and bool(
        names & {"source", "date_maj", "code_insee", "thematiques", "structure_id", "siret", "typologie"})


def _is_description_row(fields: Sequence[str], row: Sequence[object]) -> bool:
    """The template's second row: text about each column (« Identifiant de la structure… »), no data."""
    values = dict(zip(fields, row, strict=False))
    date_maj = values.get("date_maj")
    if date_maj is not None and cell_from_python(date_maj).strip():
        try:
            parse_date(cell_from_python(date_maj))
            return False
        except BadValue:
            return True
    ident = cell_from_python(values.get("id")).strip()
    return " " in ident or len(ident) > 60


def sheet_items(
    headers: Sequence[object], rows: Sequence[tuple[int, Sequence[object]]],
) -> list[tuple[int, dict[str, Any]]]:
    """(row number, item) of one sheet; the description row, if any, and blank rows left out."""
    fields = [field_name(h) for h in headers]
    out: list[tuple[int, dict[str, Any]]] = []
    for index, (number, row) in enumerate(rows):
        if index == 0 and _is_description_row(fields, row):
            continue
        item: dict[str, Any] = {}
        for name, value in zip(fields, row, strict=False):
            text = cell_from_python(value).strip()
            if not name or not text:
                continue
            if name in LIST_FIELDS:
                item[name] = [v.strip() for v in re.split(r"[,;|\n]", text) if v.strip()]
            elif name in ("latitude", "longitude") and isinstance(value, int | float):
                item[name] = float(value)
            else:
                item[name] = text
        if item:
            out.append((number, item))
    return out


class SheetItems:
    """The items of the template's sheets, with the interface the data·inclusion reader walks (JsonItems)."""

    numbered = True

    def __init__(self, sheets: Sequence[tuple[str, list[tuple[int, dict[str, Any]]]]]) -> None:
        self._items: list[tuple[int, dict[str, Any]]] = []
        self._where: dict[int, str] = {}
        for sheet_index, (sheet, items) in enumerate(sheets):
            for number, item in items:
                key = sheet_index * 10_000_000 + number
                self._items.append((key, item))
                self._where[key] = f"feuille « {sheet} », ligne {number}"

    def location(self, key: int) -> str:
        return self._where[key]

    def first_object(self) -> dict[str, Any] | None:
        return self._items[0][1] if self._items else None

    def items(self, wanted: Any = None) -> Generator[tuple[int, Any], None, None]:
        for key, item in self._items:
            if wanted is None or key in wanted:
                yield key, item
