"""Faster record building, same records: every file of data/ and two data·inclusion files give the rows,
rejects and warnings they gave before the per-record work was sped up (issue 14), to the byte.

The digests in data/same_rows.json were taken with the code of 3fbf200 (before); varied.jsonl's was retaken
when a refused e-mail address came to be told in French (its rejects, not its rows, changed). After a change
meant to alter what an import stores, regenerate them: `python -m tests.core.importers.test_same_rows`.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from benchmarks.bench_import import write_datainclusion
from benchmarks.di_varied import write_varied
from pare_desktop.core import store
from pare_desktop.core.importers import read_file
from pare_desktop.core.records import canonical_json

DATA = Path(__file__).parent / "data"
DIGESTS = DATA / "same_rows.json"
GENERATED = {"varied.jsonl": lambda p: write_varied(p, 400),
             "bench.jsonl": lambda p: write_datainclusion(p, 150)}


def _expected() -> dict[str, str]:
    return dict(json.loads(DIGESTS.read_text(encoding="utf-8"))) if DIGESTS.is_file() else {}


def _files(folder: Path) -> dict[str, Path]:
    files = {p.name: p for p in sorted(DATA.iterdir()) if p.name != DIGESTS.name}
    for name, write in GENERATED.items():
        files[name] = folder / name
        write(files[name])
    return files


def digest(path: Path) -> str:
    """sha256 of what reading the file gives: each record's stored row, canonical JSON and repr, each
    reject, the warnings and what the batch says of the file."""
    batch = read_file(path)
    h = hashlib.sha256()
    h.update(repr((batch.fmt, batch.source, batch.total_rows, batch.services_only, batch.shape, batch.columns,
                   batch.type_values, batch.warnings)).encode())
    for s in batch.records:
        h.update(repr(store.to_values(s)).encode())
        h.update(canonical_json(s))
        h.update(repr(s).encode())
    for r in batch.rejects:
        h.update(repr((r.location, r.field, r.reason, dict(r.raw))).encode())
    return h.hexdigest()


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return _files(tmp_path_factory.mktemp("same_rows"))


@pytest.mark.parametrize("name", sorted(_expected()))
def test_same_rows_as_before(files: dict[str, Path], name: str) -> None:
    assert digest(files[name]) == _expected()[name], f"{name}: the import no longer gives the same rows"


def test_every_file_has_a_digest(files: dict[str, Path]) -> None:
    assert set(files) == set(_expected())


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        found = {name: digest(path) for name, path in _files(Path(tmp)).items()}
    DIGESTS.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(found)} digests written to {DIGESTS}")
