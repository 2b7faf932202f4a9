"""What an import returns: the records read from a file and the rows rejected, with French reasons."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field

from pare_desktop.core.records import Structure


@dataclass(frozen=True, slots=True)
class Reject:
    """One problem found in one row, feature or record of an imported file."""

    location: str  # "ligne 12", "élément 4 (feature)", "structure n° 3"
    field: str  # the column or field at fault ("nom", "téléphone"...)
    reason: str  # French: "le nom est obligatoire"
    raw: Mapping[str, str] = dc_field(default_factory=dict)  # the row as read, for the rejects file


@dataclass(frozen=True, slots=True)
class TypeValue:
    """One distinct type/category value of a file (a uMap layer name) and the structure type it got."""

    value: str  # as first written in the file ("" for records with no type)
    type: str  # the structure type slug (vocabulary.UNCLASSIFIED_TYPE when nothing matched)
    count: int  # records read with this value
    chosen: bool = False  # the type came from the caller's `types` mapping, not from matching


@dataclass(frozen=True, slots=True)
class ImportBatch:
    """The outcome of reading one file; nothing is applied yet (the directory applies it in one go)."""

    source: str
    records: tuple[Structure, ...]
    rejects: tuple[Reject, ...]
    fmt: str
    total_rows: int
    #: True for a data·inclusion file holding services only: each record then carries the services'
    #: supports, publics, modalities and area for the structure with the same id, to be merged by the
    #: caller onto the structure already in the directory (see datainclusion.merge_services).
    services_only: bool = False
    #: French sentences about what was read but not as written (values classified « Non classé »,
    #: values left out, features skipped); the import goes on, the user is told.
    warnings: tuple[str, ...] = ()
    #: CSV and XLSX: each header and the field it was read as (column_map.IGNORE when not read)
    columns: tuple[tuple[str, str], ...] = ()
    #: each distinct type value of the file and the structure type it was matched to, most frequent first
    type_values: tuple[TypeValue, ...] = ()
    #: the key under which a user's mappings for files like this one are remembered (column_map.shape_of)
    shape: str = ""

    @property
    def rejected_rows(self) -> int:
        return len({r.location for r in self.rejects})

    @property
    def valid(self) -> int:
        """How many records the file gave (a streamed batch counts them without holding them)."""
        return len(self.records)


class Notes:
    """What rows were read with, though not as written: filled by build_structure, told as warnings."""

    def __init__(self) -> None:
        self.unclassified: Counter[str] = Counter()  # type values matching no type (or "" for none)
        self.unknown_supports: Counter[str] = Counter()
        self.skipped: Counter[str] = Counter()  # reason -> count (features that are not points...)
        self.extra: list[str] = []
        self.type_seen: dict[str, tuple[str, str, bool]] = {}  # folded value -> (as written, slug, chosen)
        self.type_counts: Counter[str] = Counter()

    def typed(self, key: str, value: str, slug: str, chosen: bool) -> None:
        """One record read with type value `value` (folded: `key`) as `slug`."""
        self.type_seen.setdefault(key, (value, slug, chosen))
        self.type_counts[key] += 1

    def values(self) -> tuple[TypeValue, ...]:
        found = [TypeValue(value, slug, self.type_counts[key], chosen)
                 for key, (value, slug, chosen) in self.type_seen.items()]
        return tuple(sorted(found, key=lambda tv: (-tv.count, tv.value.casefold())))

    def warnings(self) -> tuple[str, ...]:
        out: list[str] = []
        named = {k: n for k, n in self.unclassified.items() if k}
        if named:
            total = sum(named.values())
            out.append(f"{total} fiche(s) classée(s) « Non classé », type non reconnu : {_listing(named)}. "
                       "Ces valeurs peuvent être ajoutées aux synonymes (voir docs/import.md).")
        if self.unclassified.get(""):
            out.append(f"{self.unclassified['']} fiche(s) sans type classée(s) « Non classé ».")
        if self.unknown_supports:
            out.append(f"Accompagnements non reconnus, laissés de côté : {_listing(self.unknown_supports)}.")
        out.extend(f"{n} élément(s) ignoré(s) : {reason}." for reason, n in self.skipped.items())
        out.extend(self.extra)
        return tuple(out)


def _listing(counts: Mapping[str, int], limit: int = 10) -> str:
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    text = ", ".join(f"« {value} » ({n})" for value, n in ranked[:limit])
    return text + (f" et {len(ranked) - limit} autre(s)" if len(ranked) > limit else "")


class BatchBuilder:
    """Collects records and rejects while a file is read; refuses duplicate ids within the file."""

    def __init__(self, source: str, fmt: str) -> None:
        self.source = source
        self.fmt = fmt
        self.total_rows = 0
        self._records: dict[str, Structure] = {}
        self._where: dict[str, str] = {}
        self._rejects: list[Reject] = []
        self.notes = Notes()
        self.columns: tuple[tuple[str, str], ...] = ()
        self.shape = ""

    def reject(self, problems: list[Reject]) -> None:
        self._rejects.extend(problems)

    def take(self, result: Structure | list[Reject], location: str, raw: Mapping[str, str]) -> None:
        """What build_structure gave: a record to add, or the row's rejects."""
        if isinstance(result, list):
            self.reject(result)
        else:
            self.add(result, location, raw)

    def add(self, record: Structure, location: str, raw: Mapping[str, str]) -> None:
        if record.id in self._where:
            first = self._where[record.id]
            if record.source_id in raw.values():  # the user's own identifier
                problem = ("identifiant", f"identifiant en double : « {record.source_id} » (déjà utilisé "
                                          f"{first})")
            else:  # no identifier column: the same name and postal code make the same record
                problem = ("nom", f"fiche en double : même nom et même code postal (voir {first}) ; ajoutez "
                                  "une colonne « identifiant » pour les distinguer")
            self._rejects.append(Reject(location, problem[0], problem[1], raw))
            return
        self._keep(record)
        self._where[record.id] = location

    def _keep(self, record: Structure) -> None:
        """A record accepted (its id is new): held until `build` (a streamed reading hands it on)."""
        self._records[record.id] = record

    def build(self, *, services_only: bool = False) -> ImportBatch:
        return ImportBatch(
            source=self.source,
            records=tuple(self._records.values()),
            rejects=tuple(self._rejects),
            fmt=self.fmt,
            total_rows=self.total_rows,
            services_only=services_only,
            warnings=self.notes.warnings(),
            columns=self.columns,
            # data·inclusion types come from thématiques and typologies, not from a free value
            type_values=self.notes.values() if self.fmt != "datainclusion" else (),
            shape=self.shape,
        )
