"""Queued error reports: sent after a successful pull when an address is set (sync.client), or exported."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pare_desktop.core.directory import Directory
    from pare_desktop.core.userdata import ReportInfo

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
COLUMNS = ("id", "structure_id", "structure_name", "message", "created_at", "sent_at")


def _as_dict(r: ReportInfo) -> dict[str, Any]:
    return {
        "id": r.id,
        "structure_id": r.structure_id,
        "structure_name": r.structure_name,
        "message": r.message,
        "created_at": r.created_at.isoformat(),
        "sent_at": r.sent_at.isoformat() if r.sent_at else None,
    }


def payload(directory: Directory, reports: list[ReportInfo]) -> bytes:
    info = directory.dataset_info()
    doc = {"dataset_id": info.dataset_id, "version": info.version, "reports": [_as_dict(r) for r in reports]}
    return json.dumps(doc, ensure_ascii=False).encode()


def pending_payload(directory: Directory) -> tuple[list[int], bytes] | None:
    """The ids and JSON body of the reports waiting to be sent, or None (database only)."""
    pending = directory.user.reports()
    if not pending:
        return None
    return [r.id for r in pending], payload(directory, pending)


def _cell(value: object) -> str:
    """CSV cell with formula injection neutralised (OWASP): a leading quote before = + - @ tab CR LF."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def export_reports(directory: Directory, path: Path, *, pending_only: bool = True) -> int:
    """Write the queue to `path`: JSON for .json, else CSV (UTF-8 with BOM, `;`, for Excel)."""
    reports = directory.user.reports(pending_only=pending_only)
    if path.suffix.lower() == ".json":
        path.write_bytes(payload(directory, reports))
    else:
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            w = csv.writer(f, delimiter=";")
            w.writerow(COLUMNS)
            for r in reports:
                d = _as_dict(r)
                w.writerow([_cell(d[c]) for c in COLUMNS])
    return len(reports)
