"""Loading JSON and JSON lines files with French errors that name the file and the line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pare_desktop.core.errors import ImportFormatError

MAX_BYTES = 100 * 1024 * 1024


def read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFormatError(f"Impossible de lire le fichier « {path.name} » : {exc.strerror}.",
                                path=str(path)) from exc
    if len(data) > MAX_BYTES:
        raise ImportFormatError(f"Le fichier « {path.name} » est trop volumineux.", path=str(path))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFormatError(f"Le fichier « {path.name} » n'est pas encodé en UTF-8 (ligne {line}).",
                                path=str(path), line=line) from exc


def _not_json(path: Path, exc: json.JSONDecodeError, line: int | None = None) -> ImportFormatError:
    where = line if line is not None else exc.lineno
    return ImportFormatError(
        f"Le fichier « {path.name} » n'est pas un JSON valide (ligne {where}, colonne {exc.colno}) : "
        f"{_french(exc.msg)}.", path=str(path), line=where)


def _french(msg: str) -> str:
    known = {
        "Expecting value": "valeur attendue",
        "Expecting property name enclosed in double quotes": "nom de propriété entre guillemets attendu",
        "Expecting ',' delimiter": "virgule attendue",
        "Expecting ':' delimiter": "deux-points attendus",
        "Unterminated string starting at": "chaîne non terminée",
        "Extra data": "données en trop après la fin du JSON",
        "Invalid control character at": "caractère de contrôle interdit",
    }
    return known.get(msg, msg)


def load_json(path: Path) -> Any:
    """One JSON document."""
    text = read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise _not_json(path, exc) from exc
    except RecursionError as exc:
        raise ImportFormatError(f"Le fichier « {path.name} » est imbriqué trop profondément.",
                                path=str(path)) from exc


def load_json_or_lines(path: Path) -> tuple[Any, list[int] | None]:
    """A JSON document, or JSON lines (then a list of objects and the line number of each)."""
    text = read_text(path)
    stripped = text.lstrip()
    if not stripped.startswith("{") or path.suffix.lower() not in (".jsonl", ".ndjson"):
        try:
            return json.loads(text), None
        except json.JSONDecodeError as exc:
            if not (stripped.startswith("{") and exc.msg == "Extra data"):
                raise _not_json(path, exc) from exc
    items: list[Any] = []
    numbers: list[int] = []
    for i, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            items.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise _not_json(path, exc, line=i) from exc
        numbers.append(i)
    return items, numbers
