"""Fuzz (hypothesis, bounded): whatever the bytes or the structure of an imported file, reading it gives
a batch or the importers' own ImportFormatError, never anything else, and never through the last-resort
net of read_file (issue 12, item 4)."""

from __future__ import annotations

import io
import json
import logging
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from pare_desktop.core.errors import ImportFormatError
from pare_desktop.core.importers import read_file

FUZZ = settings(max_examples=200, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

CSV = ("identifiant;nom;type;code_insee;telephones;latitude;longitude;zone;date_maj\n"
       "a1;Maison des ados;association-specialisee;97611;0269 61 00 00;-12.78;45.22;976;05/01/2025\n"
       'a2;"Écoute; nuit";urgence;75056;119;;;France;2025-01-05\n')
FEATURE = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [45.22, -12.78]},
           "properties": {"nom": "Maison des ados", "type": "association-specialisee",
                          "telephone": "0269 61 00 00", "zone": "976", "courriels": ["a@b.fr", "c@d.fr"]}}
GEOJSON = {"type": "FeatureCollection", "features": [FEATURE, FEATURE | {"properties": {"nom": "B"}}]}
UMAP = {"type": "umap", "properties": {"name": "Carte"},
        "layers": [{"type": "FeatureCollection", "_umap_options": {"name": "Santé sexuelle"},
                    "features": [FEATURE]}]}
DATAINCLUSION = [
    {"source": "pare", "id": "pare--1", "nom": "Maison des adolescents", "date_maj": "2025-01-15",
     "code_insee": "97611", "telephone": "0269 61 00 00", "courriel": "mda@example.org"},
    {"source": "pare", "id": "pare--s1", "structure_id": "pare--1", "nom": "Écoute", "type": "information",
     "thematiques": ["sante--sante-mentale"], "publics": ["jeunes"], "zone_eligibilite": ["976"]},
]


def _xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Structures"
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


SEEDS: dict[str, bytes] = {
    "annuaire.csv": CSV.encode(),
    "annuaire.xlsx": _xlsx([line.split(";") for line in CSV.splitlines()]),
    "points.geojson": json.dumps(GEOJSON).encode(),
    "carte.umap": json.dumps(UMAP).encode(),
    "di.json": json.dumps(DATAINCLUSION).encode(),
    "di.jsonl": "\n".join(json.dumps(i) for i in DATAINCLUSION).encode(),
}


#: Words of Python's own messages, which must never reach a user.
_ENGLISH = re.compile(r"\b(invalid|literal|could not|expected|Exceeds|object|NoneType|Traceback|Error)\b")


class _Net(logging.Handler):
    """Records read_file's last-resort log: it must never be needed."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append(record.getMessage())


@contextmanager
def _workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="pare-fuzz-") as d:
        yield Path(d)


def check(name: str, data: bytes) -> None:
    """Read `data` as a file called `name`: a batch or an ImportFormatError, nothing else."""
    net = _Net()
    logger = logging.getLogger("pare.import")
    logger.addHandler(net)
    try:
        with _workdir() as d:
            path = d / name
            path.write_bytes(data)
            try:
                batch = read_file(path)
            except ImportFormatError as exc:
                assert exc.message and len(exc.message) < 1000, exc.message
            else:
                assert batch.total_rows >= 0
                for reject in batch.rejects:
                    assert not _ENGLISH.search(reject.reason), reject.reason
    finally:
        logger.removeHandler(net)
    assert net.seen == [], net.seen


# --- byte mutations ----------------------------------------------------------------------------------

@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "cut", "insert", "delete", "repeat"]))
        if not data:
            data = bytearray(draw(st.binary(max_size=64)))
            continue
        at = draw(st.integers(0, len(data) - 1))
        if op == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "cut":
            del data[at:]
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=32) | st.sampled_from(
                [b'"', b"\x00", b"\xff\xfe", b"[" * 3000, b"9" * 5001, b"\n", b";" * 2000, b"\xe2\x80\xae"]))
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        else:
            end = min(len(data), at + draw(st.integers(1, 64)))
            data[at:at] = data[at:end] * draw(st.integers(2, 50))
    return bytes(data)


@FUZZ
@given(st.data())
def test_bytes_mutations(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(SEEDS)))
    check(name, data.draw(mutated(SEEDS[name])))


@settings(FUZZ, max_examples=80)
@given(st.sampled_from(sorted(SEEDS)), st.binary(max_size=512))
def test_random_bytes(name: str, data: bytes) -> None:
    check(name, data)


# --- structured mutations ----------------------------------------------------------------------------

HOSTILE: st.SearchStrategy[Any] = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40), st.sampled_from([
        "<img src=x onerror=alert(1)>", "=HYPERLINK(\"http://x\")", "\u202eexe.doc", "9" * 400, "",
        "-999.5", "1e400", "NaN", "\x00\x07", "a" * 40_000, "31/02/2025", "97611", "2A", "R84",
    ]),
    st.lists(st.text(max_size=8), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, (*prefix, i))


def _replace(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {**value, head: _replace(value[head], rest, new)}
    return [_replace(v, rest, new) if i == head else v for i, v in enumerate(value)]


@FUZZ
@given(st.data())
def test_structured_json_mutations(data: st.DataObject) -> None:
    name, doc = data.draw(st.sampled_from([
        ("points.geojson", GEOJSON), ("carte.umap", UMAP), ("di.json", DATAINCLUSION),
        ("di.jsonl", DATAINCLUSION)]))
    for _ in range(data.draw(st.integers(1, 4))):
        where = data.draw(st.sampled_from(list(_paths(doc))))
        doc = _replace(doc, where, data.draw(HOSTILE))
    if name.endswith(".jsonl") and isinstance(doc, list):
        text = "\n".join(json.dumps(i) for i in doc)
    else:
        text = json.dumps(doc)
    check(name, text.encode())


CELL = st.one_of(st.text(max_size=30), HOSTILE.filter(lambda v: isinstance(v, str)))


@FUZZ
@given(st.lists(st.lists(CELL, min_size=1, max_size=10), min_size=0, max_size=6),
       st.sampled_from([";", ",", "\t"]), st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
def test_structured_csv(rows: list[list[str]], sep: str, encoding: str) -> None:
    header = ["identifiant", "nom", "type", "code_insee", "telephones", "latitude", "longitude", "zone"]
    text = "\n".join(sep.join(r) for r in [header, *rows])
    check("annuaire.csv", text.encode(encoding, errors="replace"))


XCELL = st.one_of(
    st.none(), st.integers(-10**12, 10**12), st.floats(allow_nan=False, allow_infinity=False), st.booleans(),
    st.dates(), st.text(max_size=30).map(lambda t: "".join(c for c in t if c.isprintable())),
    st.sampled_from(["=1+1", "+262 262 12 34 56", "9" * 400]))


@settings(FUZZ, max_examples=80)
@given(st.lists(st.lists(XCELL, min_size=1, max_size=8), min_size=0, max_size=5))
def test_structured_xlsx(rows: list[list[Any]]) -> None:
    header: list[Any] = ["identifiant", "nom", "type", "code_insee", "telephones", "latitude", "longitude"]
    check("annuaire.xlsx", _xlsx([header, *rows]))
