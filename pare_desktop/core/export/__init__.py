"""Exports of structures (CSV, XLSX, vCard, PDF, GeoJSON): one entry point, `export()`."""

from __future__ import annotations

import contextlib
import importlib
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pare_desktop.core.errors import PareError, os_reason
from pare_desktop.core.export.columns import COLUMNS, Column, UnknownColumnError, select_columns
from pare_desktop.core.progress import NullProgress, Progress, check_cancelled
from pare_desktop.core.records import VISIBILITY_PUBLIC, Structure

__all__ = [
    "COLUMNS",
    "CONFIDENTIAL_NOTICE",
    "FORMATS",
    "Column",
    "ConfidentialExportError",
    "ExportError",
    "ExportJob",
    "ExportOptions",
    "UnknownColumnError",
    "export",
    "prepare_records",
]

FORMATS = ("csv", "xlsx", "vcard", "pdf", "geojson")
EXTENSIONS = {"csv": ".csv", "xlsx": ".xlsx", "vcard": ".vcf", "pdf": ".pdf", "geojson": ".geojson"}
CONFIDENTIAL_NOTICE = "Confidentiel — usage professionnel"
PROGRESS_STEP = 250  # records between two progress reports


class ExportError(PareError):
    """An export that cannot be written (unknown format, unwritable file)."""


class ConfidentialExportError(ExportError):
    """Confidential data asked for outside the professional mode."""

    def __init__(self) -> None:
        super().__init__("Les données confidentielles ne s'exportent qu'en mode professionnel.")


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """What the user chose, and what the export says about itself (title page, second sheet...)."""

    columns: tuple[str, ...] | None = None  # keys of columns.COLUMNS; None: all
    include_confidential: bool = False
    pro_mode: bool = False
    separator: str = ";"  # CSV: ";" (French Excel) or ","
    vcard_version: str = "4.0"  # or "3.0"
    title: str = "Annuaire PARÉ"  # list name, "Favoris", "Résultats de recherche"...
    filters: tuple[str, ...] = ()  # the filters used, in French ("Département : 974"...)
    dataset_version: str = ""
    keep_order: bool = False  # a list: the PDF follows the user's order instead of grouping
    appendix: tuple[str, ...] = ()  # ids printed at the end under « Lignes nationales » (PDF)
    exported_at: datetime = field(default_factory=lambda: datetime.now().replace(microsecond=0))


@dataclass(frozen=True, slots=True)
class ExportJob:
    """What a writer receives: the records to write (already filtered) and the resolved columns."""

    records: Sequence[Structure]
    columns: tuple[Column, ...]
    options: ExportOptions

    @property
    def confidential(self) -> bool:
        return self.options.include_confidential


def prepare_records(records: Sequence[Structure], include_confidential: bool) -> list[Structure]:
    """Without confidential data: pro-only records dropped, hidden addresses and pro phones removed."""
    if include_confidential:
        return list(records)
    return [
        s.for_public()
        if s.address_visibility != VISIBILITY_PUBLIC or any(p.confidential for p in s.phones)
        else s
        for s in records
        if s.visibility == VISIBILITY_PUBLIC
    ]


def report(progress: Progress, done: int, total: int) -> None:
    """Progress every PROGRESS_STEP records (and at the end); raises Cancelled when asked."""
    if done % PROGRESS_STEP == 0 or done == total:
        check_cancelled(progress)
        progress.set_progress(done, total)


Writer = Callable[[ExportJob, Path, Progress], None]


_WRITER_MODULES = {"csv": "csv_export", "xlsx": "xlsx_export", "vcard": "vcard", "pdf": "pdf",
                   "geojson": "geojson_export"}


def _writer(fmt: str) -> Writer:
    """The format's writer, importing only its module (openpyxl and reportlab are slow to import)."""
    if fmt not in _WRITER_MODULES:
        raise ExportError(f"Format d'export inconnu : « {fmt} » (formats possibles : {', '.join(FORMATS)}).")
    module = importlib.import_module(f"pare_desktop.core.export.{_WRITER_MODULES[fmt]}")
    writer: Writer = module.write
    return writer


def _ordinary_mode(path: Path) -> int:
    """The mode of the file being replaced, else what a new file gets (0644 under umask 022)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        pass
    mask = os.umask(0o022)  # read the process umask (set back at once)
    os.umask(mask)
    return 0o666 & ~mask


def export(
    records: Sequence[Structure],
    fmt: str,
    path: Path,
    options: ExportOptions | None = None,
    progress: Progress | None = None,
) -> int:
    """Write `records` to `path` as `fmt`; returns how many were written.

    The file appears whole or not at all (written beside it, then renamed): a cancel (Cancelled) or
    an error leaves any previous file untouched.
    """
    options = options or ExportOptions()
    progress = progress or NullProgress()
    if options.include_confidential and not options.pro_mode:
        raise ConfidentialExportError()
    if options.separator not in (";", ","):
        raise ExportError(f"Séparateur CSV non pris en charge : « {options.separator} » (; ou ,).")
    if options.vcard_version not in ("3.0", "4.0"):
        raise ExportError(f"Version vCard non prise en charge : « {options.vcard_version} » (3.0 ou 4.0).")
    writer = _writer(fmt)
    job = ExportJob(
        prepare_records(records, options.include_confidential),
        select_columns(options.columns, options.include_confidential),
        options,
    )
    path = Path(path)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=".pare-export-", dir=path.parent or Path("."))
    except OSError as exc:
        raise ExportError(
            f"Impossible d'écrire dans le dossier « {path.parent} » : {os_reason(exc)}.") from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        writer(job, tmp, progress)
        os.chmod(tmp, _ordinary_mode(path))  # mkstemp made it 0600: an export is an ordinary file
        os.replace(tmp, path)
    except PermissionError as exc:
        # Windows: a file open in Excel or a PDF reader cannot be replaced (sharing violation), nor a
        # read-only one.
        raise ExportError(
            f"Impossible de remplacer le fichier « {path.name} » : il est peut-être ouvert dans un autre "
            "programme (Excel, lecteur PDF…) ou en lecture seule. Fermez-le puis recommencez.") from exc
    except OSError as exc:
        raise ExportError(f"Impossible d'écrire le fichier « {path.name} » : {os_reason(exc)}.") from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return len(job.records)
