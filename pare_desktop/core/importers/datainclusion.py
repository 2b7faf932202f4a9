"""data·inclusion files (v1, v0 names tolerated): structures and services as JSON list or JSON lines."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, AnyStr

from pare_desktop.core.errors import ImportFormatError
from pare_desktop.core.hours import validate_hours
from pare_desktop.core.importers import di_tables as t
from pare_desktop.core.importers.batch import BatchBuilder, ImportBatch, Notes, Reject
from pare_desktop.core.importers.di_plain import PlainStructure, plain_decoder
from pare_desktop.core.importers.di_sheets import SheetItems
from pare_desktop.core.importers.di_validate import schema_problems
from pare_desktop.core.importers.features import as_text
from pare_desktop.core.importers.jsonio import JsonItems, api_items
from pare_desktop.core.importers.mapping import Context, build_structure
from pare_desktop.core.importers.places import parse_area
from pare_desktop.core.records import Area, Structure, make_id, new_structure, replaced
from pare_desktop.core.text import shorten

STRUCTURE_KEYS = frozenset({"nom", "date_maj", "code_insee", "adresse", "siret", "reseaux_porteurs",
                            "typologie", "horaires_accueil", "presentation_resume", "horaires_ouverture",
                            "lien_source"})
SERVICE_KEYS = frozenset({"structure_id", "thematiques", "modes_accueil", "zone_eligibilite"})


def looks_like(data: Any) -> bool:
    """A list (or JSON lines) of objects carrying data·inclusion keys, or the API's response page
    ({"items": [...], "total", "page", "size"})."""
    data = api_items(data)
    items = data if isinstance(data, list) else [data]
    first = next((i for i in items if isinstance(i, dict)), None)
    return first is not None and "id" in first and bool((STRUCTURE_KEYS | SERVICE_KEYS) & first.keys())


def _list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple | set):
        return [str(v) for v in value if v is not None]
    return [s.strip() for s in str(value).replace(";", ",").split(",") if s.strip()]


def _mapped(values: Iterable[str], table: Mapping[str, tuple[str, ...]]) -> list[str]:
    out: list[str] = []
    for value in values:
        out.extend(s for s in table.get(value, ()) if s not in out)
    return out


def _zone_tokens(item: Mapping[str, Any]) -> list[str]:
    """zone_eligibilite (v1) or zone_diffusion_type/code (v0) as "zone d'intervention" tokens."""
    tokens: list[str] = []
    for code in _list(item.get("zone_eligibilite")):
        if code.lower() in ("france", "99100"):
            tokens.append("France")
        elif len(code) in (2, 3, 5):  # département or commune; EPCI (9 digits) is not kept
            tokens.append(code)
    kind = str(item.get("zone_diffusion_type") or "").lower()
    code = str(item.get("zone_diffusion_code") or "")
    if kind == "pays":
        tokens.append("France")
    elif kind == "region" and code:
        tokens.append(f"R{code}")
    elif kind in ("departement", "commune") and code:
        tokens.append(code)
    return tokens


def v1_view(item: Mapping[str, Any]) -> dict[str, Any]:
    """An item with its v0 names read as v1 ones: presentation_resume/detail -> description,
    horaires_ouverture -> horaires_accueil, profils -> publics, types -> type (v1 values win); a
    date-time date_maj as its date."""
    out = dict(item)
    date_maj = item.get("date_maj")
    if isinstance(date_maj, str) and len(date_maj) > 10 and date_maj[10:11] in ("T", " "):
        out["date_maj"] = date_maj[:10]  # the API's v0 date-times: the schema wants a date
    if not out.get("description"):
        parts = [str(item.get(k) or "").strip() for k in ("presentation_resume", "presentation_detail")]
        text = "\n\n".join(dict.fromkeys(p for p in parts if p))
        if text:
            out["description"] = text
    if not out.get("horaires_accueil") and item.get("horaires_ouverture"):
        out["horaires_accueil"] = item["horaires_ouverture"]
    if not out.get("publics") and item.get("profils"):
        out["publics"] = item["profils"]
    if not out.get("type") and item.get("types"):
        out["type"] = item["types"]
    return out


_HINTS = [(f" {h} ", t.NAME_HINTS[h]) for h in sorted(t.NAME_HINTS, key=len, reverse=True)]
#: each hint's place in _HINTS, by its first word: a hint found in a name has its first word among the
#: name's words, so only those hints are tried (in _HINTS order, the longest first)
_HINTS_BY_WORD: dict[str, list[int]] = {}
for _i, (_hint, _) in enumerate(_HINTS):
    _HINTS_BY_WORD.setdefault(_hint.split()[0], []).append(_i)
_HINT_STARTS = frozenset(_HINTS_BY_WORD)
#: lower-case accents and separators to plain letters and spaces (fold() reads a name at ~30 µs, too slow
#: for 100,000 names)
_PLAIN = str.maketrans("àâäéèêëîïôöùûüç'’-_.,;:/()", "aaaeeeeiioouuuc" + " " * 11)
#: the same as (character, replacement) pairs: str.translate goes through a dict character by character in
#: a name that is not ASCII (~7 µs); replacing only the characters present does the same in ~1.5 µs
_PLAIN_PAIRS = tuple((chr(k), chr(v)) for k, v in _PLAIN.items())


#: the pairs an ASCII text may hold
_ASCII_PAIRS = tuple((char, replacement) for char, replacement in _PLAIN_PAIRS if char.isascii())


def _plain(text: str) -> str:
    """`text.translate(_PLAIN)`, faster: each replacement is a letter or a space, never a key again."""
    for char, replacement in _ASCII_PAIRS if text.isascii() else _PLAIN_PAIRS:
        if char in text:
            text = text.replace(char, replacement)
    return text


def _latin1_plain() -> bytes:
    """A bytes.translate table: each Latin-1 character as str.lower, then _plain, make it (one character
    each), the white space str.split cuts at (\\x1c-\\x1f, \\x85, \\xa0 too) as a space, the only kind
    bytes.split knows besides ASCII's."""
    table = bytearray(256)
    for code in range(256):
        char = _plain(chr(code).lower())
        table[code] = ord(" " if char.isspace() else char)
    return bytes(table)


_LATIN1_PLAIN = _latin1_plain()
#: _HINTS, _HINTS_BY_WORD and _HINT_STARTS in Latin-1 bytes
_HINTS_LATIN1 = [(hint.encode("latin-1"), slug) for hint, slug in _HINTS]
_HINTS_BY_BYTES = {word.encode("latin-1"): places for word, places in _HINTS_BY_WORD.items()}
_HINT_STARTS_LATIN1 = frozenset(_HINTS_BY_BYTES)


def type_from_name(name: str) -> str | None:
    """The type a structure's own name says (« CSAPA du Nord », « Maison des adolescents »), or None:
    the longest hint found in the name as whole words, accents and case ignored."""
    try:  # most names: Latin-1, lower case and plain letters byte by byte (half the cost)
        words = name.encode("latin-1").translate(_LATIN1_PLAIN).split()
    except UnicodeEncodeError:  # œ, ’...
        text = _plain(name.lower()).split()
        return _hinted(f" {' '.join(text)} ", _HINT_STARTS.intersection(text), _HINTS)
    starts = _HINT_STARTS_LATIN1.intersection(words)  # the name's words a hint starts with
    return _hinted(b" " + b" ".join(words) + b" ", starts, _HINTS_LATIN1) if starts else None


def _hinted(key: AnyStr, starts: frozenset[AnyStr], hints: Sequence[tuple[AnyStr, str]]) -> str | None:
    """The slug of the longest hint found in a name's plain words (" "-joined, between spaces: `key`),
    of those starting with one of `starts`."""
    tried = _TRIED.get(starts)
    if tried is None:
        if len(_TRIED) >= _KEPT:
            _TRIED.clear()
        by_word: Mapping[Any, list[int]] = _HINTS_BY_BYTES if key.__class__ is bytes else _HINTS_BY_WORD
        tried = _TRIED[starts] = tuple(sorted(i for w in starts for i in by_word[w]))
    for i in tried:  # the longest hint first
        hint, slug = hints[i]
        if hint in key:
            return slug
    return None


#: the places in _HINTS of the hints to try, the longest first, for each set of first words found
_TRIED: dict[frozenset[Any], tuple[int, ...]] = {}


def _structure_type(item: Mapping[str, Any], services: Sequence[_ServiceOffer]) -> str:
    """What the record says, in this order: an explicit type, its typology, its network, its services'
    thématiques, its own name; « Non classé » when nothing tells."""
    get = item.get
    explicit = get("type_structure") or get("pare_type")
    if explicit:
        return str(explicit)
    given = get("typologie")
    if given is not None and given != []:  # (_list of neither: nothing)
        for value in _list(given):
            if value.upper() in t.TYPOLOGIES:
                return t.TYPOLOGIES[value.upper()]
    given = get("reseaux_porteurs")
    if given is not None and given != []:
        for value in _list(given):
            if value in t.RESEAUX:
                return t.RESEAUX[value]
    for s in services:
        if s.structure_type:
            return s.structure_type
    return type_from_name(str(get("nom") or "")) or t.DEFAULT_TYPE


@dataclass(frozen=True, slots=True)
class _ServiceOffer:
    """What one service brings to its structure, read once (the service itself is not kept)."""

    name: str
    supports: tuple[str, ...]
    publics: tuple[str, ...]
    modalities: tuple[str, ...]  # from modes_accueil
    remote: bool  # "a-distance" among modes_accueil: "telephone" if the service or structure has one
    phone: bool
    access: tuple[str, ...]  # "gratuit", "acces-direct" or "sur-orientation"
    zone: tuple[str, ...]
    structure_type: str | None  # the type its first known thématique implies


def _supports(s: Mapping[str, Any]) -> tuple[tuple[str, ...], str | None]:
    """Supports, and the structure type the first known thématique implies."""
    thematiques = _list(s.get("thematiques"))
    return (tuple(_mapped(thematiques, t.THEMATIQUES)
                  + _mapped(_list(s.get("type")) + _list(s.get("types")), t.TYPES_SERVICE)),
            next((t.THEMATIQUE_TYPES[v] for v in thematiques if v in t.THEMATIQUE_TYPES), None))


def _publics(s: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(_mapped(_list(s.get("publics")) + _list(s.get("profils")), t.PUBLICS))


def _modalities(s: Mapping[str, Any]) -> tuple[tuple[str, ...], bool, tuple[str, ...]]:
    """Modalities, whether it is remote, access."""
    modes = _list(s.get("modes_accueil"))
    access: list[str] = []
    if "gratuit" in _list(s.get("frais")):
        access.append("gratuit")
    by = set(_list(s.get("mobilisable_par")))
    if "usagers" in by:
        access.append("acces-direct")
    elif by == {"professionnels"}:
        access.append("sur-orientation")
    return tuple(_mapped(modes, t.MODES_ACCUEIL)), "a-distance" in modes, tuple(access)


def _zone(s: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(_zone_tokens(s))


#: the fields a service's offer is read from, besides nom and telephone
_FIELDS = ("thematiques", "type", "types", "publics", "profils", "modes_accueil", "frais", "mobilisable_par",
           "zone_eligibilite", "zone_diffusion_type", "zone_diffusion_code")
#: the parts of a service's offer, each read from these of _FIELDS alone
_PARTS: tuple[tuple[slice, Callable[[Mapping[str, Any]], Any]], ...] = (
    (slice(0, 3), _supports), (slice(3, 5), _publics), (slice(5, 8), _modalities), (slice(8, 11), _zone),
)
#: at most this many raw values are remembered with what they give (an offer, a part of one)
_KEPT = 10_000


def _service_offer(s: Mapping[str, Any], parts: Sequence[Any] | None = None) -> _ServiceOffer:
    """What service `s` offers; `parts`: those already read from it (in _PARTS' order)."""
    (supports, structure_type), publics, (modalities, remote, access), zone = (
        parts if parts is not None else [read(s) for _, read in _PARTS])
    return _ServiceOffer(
        name=str(s.get("nom", "")), supports=supports, publics=publics, modalities=modalities, remote=remote,
        phone=bool(s.get("telephone")), access=access, zone=zone, structure_type=structure_type,
    )


def _texts_key(values: Iterable[Any]) -> tuple[Any, ...] | None:
    """Raw values as a key: each null, a text or a list of texts (else None, not to be used: 1, 1.0 and
    True are equal keys but read differently)."""
    key: list[Any] = []
    for value in values:
        if value is None or value.__class__ is str:
            key.append(value)
        elif value.__class__ is list:
            try:
                "".join(value)  # raises unless every element is a text
            except TypeError:
                return None
            key.append(tuple(value))
        else:
            return None
    return tuple(key)


class _OfferReader:
    """Services' offers: the same raw values read once, each part of an offer read once per distinct raw
    values of its own (a big file repeats them), equal offers held once."""

    def __init__(self) -> None:
        self._by_raw: dict[tuple[Any, ...], _ServiceOffer] = {}
        self._parts: tuple[dict[tuple[Any, ...], Any], ...] = tuple({} for _ in _PARTS)
        self._offers: dict[_ServiceOffer, _ServiceOffer] = {}

    def offer(self, s: Mapping[str, Any]) -> _ServiceOffer:
        name = s.get("nom", "")
        raw = _texts_key(map(s.get, _FIELDS))
        if raw is None or name.__class__ is not str:
            parts = [read(s) for _, read in _PARTS]  # odd values: read as they are
            return self._held(s, parts)
        full = (name, bool(s.get("telephone")), raw)
        offer = self._by_raw.get(full)
        if offer is None:
            parts = []
            for (fields, read), known in zip(_PARTS, self._parts, strict=True):
                key = raw[fields]
                part = known.get(key)
                if part is None:
                    part = read(s)
                    _remember(known, key, part)
                parts.append(part)
            offer = self._held(s, parts)
            _remember(self._by_raw, full, offer)
        return offer

    def _held(self, s: Mapping[str, Any], parts: list[Any]) -> _ServiceOffer:
        """The offer of these parts, the one already held if an equal one is."""
        offer = _service_offer(s, parts)
        return self._offers.setdefault(offer, offer)


def _remember(known: dict[tuple[Any, ...], Any], key: tuple[Any, ...], value: Any) -> None:
    if len(known) >= _KEPT:
        known.clear()  # a file whose services all differ: memory stays bounded
    known[key] = value


def _offer(services: Sequence[_ServiceOffer], has_phone: bool) -> dict[str, list[str]]:
    """What the services of a structure add to it: supports, publics, modalities, zone tokens."""
    supports: list[str] = []
    publics: list[str] = []
    modalities: list[str] = []
    zone: list[str] = []
    for s in services:
        supports += s.supports
        publics += s.publics
        modalities += s.modalities
        if s.remote and (has_phone or s.phone):
            modalities.append("telephone")
        modalities += s.access
        zone += s.zone
    return {k: list(dict.fromkeys(v)) for k, v in
            {"accompagnements": supports, "publics": publics, "modalites": modalities, "zone": zone}.items()}


def _row(item: Mapping[str, Any], services: Sequence[_ServiceOffer]) -> dict[str, str]:
    """A structure as a canonical row (the spreadsheet's keys), its services' offer merged in."""
    item = v1_view(item)
    offer = _offer(services, bool(item.get("telephone")))
    zone = offer["zone"] or _zone_tokens(item)
    hours = as_text(item.get("horaires_accueil"))
    hours_text = ""
    if hours and validate_hours(hours) is not None:  # v0 files often hold free text there
        hours, hours_text = "", hours
    return {
        "identifiant": as_text(item.get("id")), "nom": as_text(item.get("nom")),
        "type": _structure_type(item, services), "description": as_text(item.get("description")),
        "adresse": as_text(item.get("adresse")),
        "complement_adresse": as_text(item.get("complement_adresse")),
        "code_postal": as_text(item.get("code_postal")), "commune": as_text(item.get("commune")),
        "code_insee": as_text(item.get("code_insee")), "latitude": as_text(item.get("latitude")),
        "longitude": as_text(item.get("longitude")), "telephones": as_text(item.get("telephone")),
        "courriels": as_text(item.get("courriel")), "site_web": as_text(item.get("site_web")),
        "horaires_osm": hours, "horaires_texte": hours_text, "date_maj": as_text(item.get("date_maj")),
        "accompagnements": " | ".join(offer["accompagnements"]), "publics": " | ".join(offer["publics"]),
        "modalites": " | ".join(offer["modalites"]), "zone": " | ".join(zone),
    }


#: what merge_services reads and changes of a structure (and nothing else: ChangeSet.merge_columns)
SERVICES_COLUMNS = ("type", "supports", "publics", "modalities", "area")


def merge_services(existing: Structure, enrichment: Structure) -> Structure:
    """A structure already in the directory with what a services-only batch says it offers (unions):
    its SERVICES_COLUMNS alone are read and changed."""
    def union(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a + b))
    e, n = existing.area, enrichment.area
    area = Area(national=e.national or n.national, regions=union(e.regions, n.regions),
                departements=union(e.departements, n.departements), communes=union(e.communes, n.communes))
    # a structure imported before its services was « Non classé »: its services' thématiques type it now
    type_ = enrichment.type if existing.type == t.DEFAULT_TYPE else existing.type
    supports = union(existing.supports, enrichment.supports)
    publics = union(existing.publics, enrichment.publics)
    modalities = union(existing.modalities, enrichment.modalities)
    if (type_, supports, publics, modalities, area) == (existing.type, existing.supports, existing.publics,
                                                        existing.modalities, existing.area):
        return existing  # the same services again: no copy of the record
    return replaced(existing, type=type_, supports=supports, publics=publics, modalities=modalities,
                    area=area)


class _Raw(Mapping[str, str]):
    """An item's values as cell text, for rejects: computed on first use (most items never need them)."""

    __slots__ = ("_item", "_text")

    def __init__(self, item: Mapping[str, Any]) -> None:
        self._item = item
        self._text: dict[str, str] | None = None

    def _values(self) -> dict[str, str]:
        if self._text is None:
            self._text = {str(k): as_text(v) for k, v in self._item.items()}
        return self._text

    def __getitem__(self, key: str) -> str:
        return self._values()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values())

    def __len__(self) -> int:
        return len(self._values())


@dataclass(slots=True)
class Scan:
    """The first pass over a data·inclusion file: every item checked, what services offer kept, where
    each structure is; no record built yet (`built` builds them, as often as asked)."""

    path: Path
    file: JsonItems | SheetItems
    source: str
    origin: str
    rejects: list[Reject]  # the items the schema refused, in file order
    structures: dict[int, str]  # key -> location of each structure that passed the schema
    services: dict[str, list[tuple[str, int, _ServiceOffer]]]
    total_rows: int
    services_only: bool


def scan_datainclusion(path: Path, *, source: str | None, origin: str,
                       file: JsonItems | SheetItems | None = None) -> Scan:
    """Check every item and keep what services offer (a JSON lines file is streamed, not held)."""
    file = file if file is not None else JsonItems(path)
    first = file.first_object()
    if not looks_like([first]):
        raise ImportFormatError(f"Le fichier « {path.name} » ne contient ni structures ni services "
                                "data·inclusion.", path=str(path))
    rejects: list[Reject] = []
    structures: dict[int, str] = {}  # key -> location of each structure that passed the schema
    services: dict[str, list[tuple[str, int, _ServiceOffer]]] = {}
    offers = _OfferReader()
    sources: set[str] = set()
    counts = {"structure": 0, "service": 0}
    locate, numbered = (file.location if isinstance(file, SheetItems) else None), file.numbered
    v0_keys = t.V0_KEYS
    # a JSON lines file's plain structure lines, proved valid as they are read (di_plain); not tried on a
    # file starting with a service (a services file: nothing to win)
    items = (file.items(decode=plain_decoder()) if isinstance(file, JsonItems) and first is not None
             and "structure_id" not in first else file.items())
    for key, item in items:
        if item.__class__ is PlainStructure:  # a structure the schema accepts, v1 names, a plain date
            counts["structure"] += 1
            where = f"ligne {key}" if numbered else f"structure n° {counts['structure']}"
            if item.source and len(sources) < 2 and item.source not in sources:
                sources.add(item.source)
            structures[key] = where  # what the lines below do for such an item (test_di_plain.py)
            continue
        kind = "service" if isinstance(item, dict) and "structure_id" in item else "structure"
        counts[kind] += 1
        where = (locate(key) if locate is not None
                 else f"ligne {key}" if numbered else f"{kind} n° {counts[kind]}")
        if not isinstance(item, dict):
            rejects.append(Reject(where, kind, "élément qui n'est pas un objet JSON", {}))
            continue
        item_source = item.get("source")
        if item_source and len(sources) < 2 and (
                item_source.__class__ is not str or item_source not in sources):  # (a text there: no str())
            sources.add(str(item_source))
        v0 = not item.keys().isdisjoint(v0_keys)  # (goes through the smaller of the two)
        date_maj = item.get("date_maj")
        item = v1_view(item) if v0 or (isinstance(date_maj, str) and len(date_maj) > 10) else item
        problems = schema_problems(item, service=kind == "service", v0=v0)
        if problems:
            raw = {str(k): as_text(v) for k, v in item.items()}
            rejects.extend(Reject(where, f, reason, raw) for f, reason in problems)
        elif kind == "service":
            offer = offers.offer(item)
            services.setdefault(str(item["structure_id"]), []).append((where, key, offer))
        else:
            structures[key] = where
    src = source or (sources.pop() if len(sources) == 1 else path.stem)
    services_only = not structures and counts["structure"] == 0 and bool(services)
    return Scan(path, file, src, origin, rejects, structures, services,
                counts["structure"] + counts["service"], services_only)


Built = tuple[Structure | list[Reject], str, Mapping[str, str]]


def built(scan: Scan, notes: Notes) -> Iterator[Built]:
    """The second pass: each structure built (a record, or its rejects) with its location and raw
    values, in file order, then the services-only records or the orphan services' rejects. Nothing is
    kept: the caller keeps what it wants (BatchBuilder.take)."""
    path, file, src, origin = scan.path, scan.file, scan.source, scan.origin
    from pare_desktop.core.importers.di_build import DirectBuilder

    build = DirectBuilder(src, origin, notes).build
    known: set[str] = set()  # the structures' ids, gathered as they are built (not kept by the scan)
    services, structures = scan.services, scan.structures
    own: Sequence[_ServiceOffer] = ()
    for key, item in file.items(structures):
        if not isinstance(item, dict) or "id" not in item:
            raise ImportFormatError(f"Le fichier « {path.name} » a changé pendant sa lecture.",
                                    path=str(path))
        where = structures[key]
        if services:  # (a file of structures alone: no service to look for, no orphan to find)
            structure_id = str(item["id"])
            known.add(structure_id)
            group = services.get(structure_id)
            own = [offer for _, _, offer in group] if group else ()
        text = _Raw(item)
        record = build(item, own)  # the common way; None: a value to tell about, the generic way
        if record is None:
            yield build_structure(_row(item, own), Context(src, origin, where, text, notes)), where, text
        else:
            yield record, where, text
    services_only = scan.services_only
    orphans = {} if services_only else {sid: group for sid, group in scan.services.items()
                                        if sid not in known}
    orphan_keys = {key for group in orphans.values() for _, key, _ in group}
    orphan_items = dict(file.items(orphan_keys)) if orphan_keys else {}
    added: dict[tuple[_ServiceOffer, ...], Structure] = {}
    for structure_id, group in scan.services.items():
        if services_only:
            try:
                yield _enrichment(src, origin, structure_id, group, added), group[0][0], {}
            except ValueError as exc:
                yield [Reject(group[0][0], "zone_eligibilite", str(exc), {})], group[0][0], {}
        elif structure_id in orphans:
            for where, key, _ in group:
                raw = {str(k): as_text(v) for k, v in orphan_items[key].items()}
                missing = shorten(str(structure_id))
                yield [Reject(where, "structure_id", f"structure « {missing} » absente du fichier", raw)], \
                    where, raw


def read_datainclusion(path: Path, *, source: str | None, origin: str,
                       file: JsonItems | SheetItems | None = None) -> ImportBatch:
    """Two passes: check every item and keep what services offer, then build the structures (a JSON lines
    file is streamed twice rather than held in memory). `file`: items read from elsewhere (a template's
    sheets), else the JSON file at `path`. All the records are held: see streamed.StreamedBatch for a
    file whose records go to the directory chunk by chunk."""
    scan = scan_datainclusion(path, source=source, origin=origin, file=file)
    builder = BatchBuilder(scan.source, "datainclusion")
    builder.total_rows = scan.total_rows
    builder.reject(scan.rejects)
    for result, where, raw in built(scan, builder.notes):
        builder.take(result, where, raw)
    return builder.build(services_only=scan.services_only)


def _enrichment(
    src: str, origin: str, structure_id: str, group: list[tuple[str, int, _ServiceOffer]],
    known: dict[tuple[_ServiceOffer, ...], Structure] | None = None,
) -> Structure:
    """A services-only record: just what the services add to the structure `structure_id`; `known`: the
    records the same offers gave before (read once per distinct group of offers, then given their ids)."""
    offers = tuple(s for _, _, s in group)
    added = known.get(offers) if known is not None else None
    if added is None:
        offer = _offer(offers, False)
        added = new_structure(
            id="", source=src, source_id="", name=offers[0].name, origin=origin,
            type=next((s.structure_type for s in offers if s.structure_type), t.DEFAULT_TYPE),
            supports=tuple(offer["accompagnements"]), publics=tuple(offer["publics"]),
            modalities=tuple(offer["modalites"]), area=parse_area(" | ".join(offer["zone"])),
        )
        if known is not None:
            _remember(known, offers, added)
    return replaced(added, id=make_id(src, structure_id), source_id=structure_id)
