"""Loading JSON and JSON lines files with French errors that name the file and the line."""

from __future__ import annotations

import json
from collections.abc import Callable, Container, Generator
from pathlib import Path
from typing import Any

import msgspec

from pare_desktop.core.errors import ImportFormatError, os_reason
from pare_desktop.core.importers import limits

MAX_BYTES = 100 * 1024 * 1024
#: JSON lines files are read line by line, never whole: they may be bigger.
MAX_STREAMED_BYTES = 2 * 1024 * 1024 * 1024
_STREAMED_SUFFIXES = (".jsonl", ".ndjson")
#: one decoder for every line (~30 % cheaper than pydantic-core's from_json on data·inclusion lines)
decode_json = msgspec.json.Decoder().decode


def _unreadable(path: Path, exc: OSError) -> ImportFormatError:
    return ImportFormatError(f"Impossible de lire le fichier « {path.name} » : {os_reason(exc)}.",
                             path=str(path))


def read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _unreadable(path, exc) from exc
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


def _unparsable(path: Path, exc: ValueError | RecursionError, line: int | None = None) -> ImportFormatError:
    """json's other failures: nesting past Python's recursion limit, integers of more than 4,300 digits."""
    where = f" (ligne {line})" if line is not None else ""
    if isinstance(exc, RecursionError):
        reason = "il est imbriqué trop profondément (des milliers de [ ou { les uns dans les autres)"
    else:
        reason = "il contient un nombre démesuré (des milliers de chiffres)"
    return ImportFormatError(f"Le fichier « {path.name} » n'est pas lisible{where} : {reason}.",
                             path=str(path), line=line)


def _french(msg: str) -> str:
    known = {
        "Expecting value": "valeur attendue",
        "Expecting property name enclosed in double quotes": "nom de propriété entre guillemets attendu",
        "Expecting ',' delimiter": "virgule attendue",
        "Expecting ':' delimiter": "deux-points attendus",
        "Unterminated string starting at": "chaîne non terminée",
        "Extra data": "données en trop après la fin du JSON",
        "Invalid control character at": "caractère de contrôle interdit",
        "Invalid \\escape": "barre oblique inverse (\\) suivie d'un caractère non permis",
        "Invalid \\uXXXX escape": "séquence \\u invalide",
        "Expecting ',' delimiter or ']'": "virgule ou ] attendu",
        "Expecting ',' delimiter or '}'": "virgule ou } attendu",
    }
    return known.get(msg, "syntaxe JSON invalide")


def load_json(path: Path) -> Any:
    """One JSON document."""
    text = read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise _not_json(path, exc) from exc
    except (ValueError, RecursionError) as exc:
        raise _unparsable(path, exc) from exc


def is_json_lines(path: Path) -> bool:
    """A .jsonl or .ndjson file starting with an object: streamed by `json_lines`, never read whole."""
    if path.suffix.lower() not in _STREAMED_SUFFIXES:
        return False
    try:
        with path.open("rb") as f:
            head = f.read(4096)
    except OSError as exc:
        raise _unreadable(path, exc) from exc
    return head.decode("utf-8-sig", errors="ignore").lstrip().startswith("{")


def json_lines(path: Path, wanted: Container[int] | None = None,
               decode: Callable[[bytes], Any] | None = None) -> Generator[tuple[int, Any], None, None]:
    """(line number, value) of each non-blank line of a JSON lines file, read one line at a time;
    with `wanted`, only those line numbers are decoded (a second pass over a file already checked).
    `decode`: reads a line instead of msgspec, raising ValueError where msgspec would (di_plain)."""
    decode = decode or decode_json
    try:
        size = path.stat().st_size
        f = path.open("rb", buffering=1 << 16)  # lines come ~2x cheaper than with 8 KB reads
    except OSError as exc:
        raise _unreadable(path, exc) from exc
    if size > MAX_STREAMED_BYTES:
        f.close()
        raise ImportFormatError(f"Le fichier « {path.name} » est trop volumineux.", path=str(path))
    with f:
        count = 0
        for number, raw in enumerate(f, start=1):
            if wanted is not None and number not in wanted:
                continue
            line: str | None = None  # the line as text, when json is to read it
            try:  # msgspec's parser, ~3x json.loads: what it reads, json reads alike
                value = decode(raw)  # (tests/core/importers/test_jsonio.py)
            except (ValueError, RecursionError):  # json decides and words the error (or reads what it alone
                # accepts: NaN, lone surrogates, 1e400, a byte order mark...)
                try:
                    line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
                except UnicodeDecodeError as exc:
                    raise ImportFormatError(f"Le fichier « {path.name} » n'est pas encodé en UTF-8 "
                                            f"(ligne {number}).", path=str(path), line=number) from exc
                if not line.strip():
                    continue
            count += 1
            if count > limits.MAX_ROWS:
                raise limits.too_many_rows(path, line=number)
            if line is not None:
                try:
                    value = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise _not_json(path, exc, line=number) from exc
                except (ValueError, RecursionError) as exc:
                    raise _unparsable(path, exc, line=number) from exc
            yield number, value


def load_json_or_lines(path: Path) -> tuple[Any, list[int] | None]:
    """A JSON document, or JSON lines (then a list of objects and the line number of each)."""
    text = read_text(path)
    stripped = text.lstrip()
    if not stripped.startswith("{") or path.suffix.lower() not in _STREAMED_SUFFIXES:
        try:
            return json.loads(text), None
        except json.JSONDecodeError as exc:
            if not (stripped.startswith("{") and exc.msg == "Extra data"):
                raise _not_json(path, exc) from exc
        except (ValueError, RecursionError) as exc:
            raise _unparsable(path, exc) from exc
    items: list[Any] = []
    numbers: list[int] = []
    for i, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            items.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise _not_json(path, exc, line=i) from exc
        except (ValueError, RecursionError) as exc:
            raise _unparsable(path, exc, line=i) from exc
        numbers.append(i)
        if len(items) > limits.MAX_ROWS:
            raise limits.too_many_rows(path, line=i)
    return items, numbers


def api_items(data: Any) -> Any:
    """The list inside an API response page ({"items": [...], "total": …, "page": …, "size": …}, as the
    data·inclusion API answers), else `data` itself."""
    if isinstance(data, dict) and isinstance(data.get("items"), list) and (
            {"total", "page", "size", "pages"} & data.keys() or len(data) == 1):
        return data["items"]
    return data


class JsonItems:
    """The items of a JSON document (a list, or one value) or of a JSON lines file, to go over more than
    once: a JSON lines file is streamed again each time instead of being held in memory."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._items: list[Any] | None = None
        self._numbers: list[int] | None = None
        self.numbered = is_json_lines(path)  # keys are line numbers (else positions in the list)
        if not self.numbered:
            data, numbers = load_json_or_lines(path)
            data = api_items(data)
            self._items = data if isinstance(data, list) else [data]
            if len(self._items) > limits.MAX_ROWS:
                raise limits.too_many_rows(path)
            self._numbers = numbers
            self.numbered = numbers is not None

    def first_object(self) -> dict[str, Any] | None:
        """The first item that is a JSON object (None if there is none)."""
        items = self.items()
        try:
            return next((item for _, item in items if isinstance(item, dict)), None)
        finally:
            items.close()

    def items(self, wanted: Container[int] | None = None,
              decode: Callable[[bytes], Any] | None = None) -> Generator[tuple[int, Any], None, None]:
        """(key, item) in file order; with `wanted`, only the items with those keys; `decode`: see
        json_lines (items held already are as they are)."""
        if self._items is None:
            return json_lines(self.path, wanted, decode)  # itself: no generator between (100,000 a pass)
        return self._held(self._items, wanted)

    def _held(self, items: list[Any], wanted: Container[int] | None,
              ) -> Generator[tuple[int, Any], None, None]:
        keys = self._numbers if self._numbers is not None else range(len(items))
        for key, item in zip(keys, items, strict=True):
            if wanted is None or key in wanted:
                yield key, item
