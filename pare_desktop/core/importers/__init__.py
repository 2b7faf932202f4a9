"""Reading structure files (CSV, XLSX, data·inclusion, uMap, GeoJSON) into an ImportBatch."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from pathlib import Path

from pare_desktop.core.errors import ImportFormatError, ImportValidationError, os_reason, require_valid
from pare_desktop.core.gcpause import collector_paused
from pare_desktop.core.importers.batch import ImportBatch, Reject
from pare_desktop.core.importers.rejects import write_rejects
from pare_desktop.core.records import ORIGIN_PUBLISHER

__all__ = [
    "FORMATS", "ImportBatch", "ImportFormatError", "ImportValidationError", "Reject", "default_source",
    "detect_format", "read_file", "require_valid", "write_rejects",
]

log = logging.getLogger("pare.import")
FORMATS = ("csv", "xlsx", "datainclusion", "umap", "geojson")
_SNIFF_BYTES = 64 * 1024


def default_source(path: Path) -> str:
    """The source name of a file imported without one: its name without extension, as a slug."""
    slug = re.sub(r"[^0-9a-z]+", "-", path.stem.lower()).strip("-")
    return slug or "import"


def _sniff_json(path: Path) -> str:
    from pare_desktop.core.importers import datainclusion, umap
    from pare_desktop.core.importers.jsonio import JsonItems, is_json_lines, load_json_or_lines

    # JSON lines hold one kind of item: the first one tells (the file is not read whole)
    data = [JsonItems(path).first_object()] if is_json_lines(path) else load_json_or_lines(path)[0]
    if umap.is_umap(data):
        return "umap"
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        return "geojson"
    if datainclusion.looks_like(data):
        return "datainclusion"
    raise ImportFormatError(f"Format du fichier « {path.name} » non reconnu : ni data·inclusion, ni uMap, "
                            "ni GeoJSON.", path=str(path))


def detect_format(path: Path) -> str:
    """"csv", "xlsx", "datainclusion", "umap" or "geojson", from the extension and the content."""
    suffix = path.suffix.lower()
    try:
        with path.open("rb") as f:
            head = f.read(_SNIFF_BYTES)
    except OSError as exc:
        raise ImportFormatError(f"Impossible de lire le fichier « {path.name} » : {os_reason(exc)}.",
                                path=str(path)) from exc
    if head.startswith(b"PK\x03\x04") or suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix == ".umap":
        return "umap"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if suffix in (".json", ".jsonl", ".ndjson", ".geojson") or stripped[:1] in (b"{", b"["):
        try:
            return _sniff_json(path)
        except ImportFormatError:
            if suffix in (".csv", ".txt", ".tsv"):
                return "csv"
            raise
    if suffix in (".csv", ".txt", ".tsv", ""):
        return "csv"
    raise ImportFormatError(f"Format du fichier « {path.name} » non reconnu (extension « {suffix} »).",
                            path=str(path))


def read_file(path: Path, fmt: str = "auto", *, source: str | None = None,
              origin: str = ORIGIN_PUBLISHER, columns: Mapping[str, str] | None = None,
              types: Mapping[str, str] | None = None, stream: bool = False) -> ImportBatch:
    """Read one file; never raises for bad rows (they are the batch's rejects), only for bad files, and
    then only ImportFormatError (French, naming the line or field where known).
    `columns`: a user's mapping of spreadsheet headers to fields (column_map), for CSV and XLSX.
    `types`: a user's mapping of type values (a « type » or « catégorie » cell, a uMap layer name) to
    structure type slugs, accents and case ignored; it wins over the synonyms (CSV, XLSX, uMap, GeoJSON).
    The batch tells each distinct value and the type it got (`ImportBatch.type_values`).
    `stream`: a data·inclusion file of publisher records is only checked here; its records are built again
    chunk by chunk each time the directory previews or applies it (streamed.StreamedBatch, same attributes,
    never all held)."""
    path = Path(path)
    try:
        with collector_paused():
            return _read(path, fmt, source, origin, columns, types, stream)
    except ImportFormatError:
        raise
    except MemoryError as exc:
        raise ImportFormatError(f"Le fichier « {path.name} » est trop volumineux pour la mémoire disponible.",
                                path=str(path)) from exc
    except Exception as exc:  # last resort: the readers name every failure they expect
        log.exception("unexpected failure while reading %s", path.name)
        raise ImportFormatError(
            f"Le fichier « {path.name} » n'a pas pu être lu (erreur inattendue, détaillée dans le journal "
            "de PARÉ Desktop).", path=str(path)) from exc


def _read(path: Path, fmt: str, source: str | None, origin: str,
          columns: Mapping[str, str] | None, types: Mapping[str, str] | None,
          stream: bool = False) -> ImportBatch:
    from pare_desktop.core.importers.classify import fold_types

    folded = fold_types(types)
    if fmt == "auto":
        fmt = detect_format(path)
    src = source or default_source(path)
    # Only the reader needed is imported (openpyxl alone costs a few hundred ms).
    if fmt == "csv":
        from pare_desktop.core.importers import csv_format

        return csv_format.read_csv(path, source=src, origin=origin, columns=columns, types=folded)
    if fmt == "xlsx":
        from pare_desktop.core.importers import xlsx_format

        return xlsx_format.read_xlsx(path, source=src, origin=origin, columns=columns, types=folded)
    if fmt == "datainclusion":
        from pare_desktop.core.importers import datainclusion

        if stream and origin == ORIGIN_PUBLISHER:
            from pare_desktop.core.importers.streamed import stream_datainclusion

            return stream_datainclusion(path, source=source, origin=origin)  # type: ignore[return-value]
        return datainclusion.read_datainclusion(path, source=source, origin=origin)
    if fmt == "umap":
        from pare_desktop.core.importers import umap

        return umap.read_umap(path, source=src, origin=origin, types=folded)
    if fmt == "geojson":
        from pare_desktop.core.importers import geojson

        return geojson.read_geojson(path, source=src, origin=origin, types=folded)
    known = ", ".join(FORMATS)
    raise ImportFormatError(f"Format d'import inconnu : « {fmt} » (formats possibles : {known}).",
                            path=str(path))


