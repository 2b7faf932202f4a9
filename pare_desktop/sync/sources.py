"""Read the publisher's sources: any file the importers know, or a PARÉ directory database."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from pare_desktop.core.dbfile import read_records
from pare_desktop.core.records import ORIGIN_DEMO, ORIGIN_REFERENCE, Structure, structure_from_dict

from .errors import PublishError

DB_SUFFIXES = (".sqlite", ".sqlite3", ".db")
RECORDS_SUFFIX = ".pare.jsonl"


def _from_database(path: Path) -> list[Structure]:
    """Live publisher and local records of a directory database (demo, reference and withdrawn left out)."""
    return [
        s for s in read_records(path) if s.origin not in (ORIGIN_DEMO, ORIGIN_REFERENCE) and not s.withdrawn
    ]


def _from_records(path: Path) -> list[Structure]:
    """Our own JSON-lines form (one `structure_to_dict` per line), the simplest export of a directory."""
    out = []
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                out.append(structure_from_dict(json.loads(line)))
            except (ValueError, TypeError, KeyError, AttributeError) as exc:
                raise PublishError(f"{path.name}, ligne {n} : enregistrement illisible ({exc})") from exc
    return out


def _from_file(path: Path) -> list[Structure]:
    from pare_desktop.core.errors import PareError
    from pare_desktop.core.importers import read_file

    try:
        batch = read_file(path)
    except PareError as exc:
        raise PublishError(f"{path.name} : {exc.message}") from exc
    if batch.rejects:
        lines = [f"{r.location}, champ « {r.field} » : {r.reason}" for r in batch.rejects[:10]]
        more = f" (et {len(batch.rejects) - 10} autre(s))" if len(batch.rejects) > 10 else ""
        raise PublishError(f"{path.name} : {len(batch.rejects)} problème(s){more} — " + " ; ".join(lines))
    return list(batch.records)


def read_sources(paths: Sequence[Path]) -> list[Structure]:
    """Every record of every source; duplicate ids across sources are refused."""
    if not paths:
        raise PublishError("aucune source à publier")
    seen: dict[str, Path] = {}
    records: list[Structure] = []
    for path in paths:
        if not path.is_file():
            raise PublishError(f"source introuvable : « {path} »")
        if path.suffix.lower() in DB_SUFFIXES:
            found = _from_database(path)
        elif path.name.lower().endswith(RECORDS_SUFFIX):
            found = _from_records(path)
        else:
            found = _from_file(path)
        for s in found:
            if not s.id or not s.name.strip():
                raise PublishError(f"{path.name} : enregistrement sans identifiant ou sans nom (« {s.id} »)")
            if s.id in seen:
                raise PublishError(f"identifiant « {s.id} » présent dans {seen[s.id].name} et {path.name}")
            seen[s.id] = path
            records.append(s)
    return records
