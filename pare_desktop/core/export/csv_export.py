"""CSV export: UTF-8 with BOM, `;` (or `,`), CRLF, every cell neutralised against formula injection."""

from __future__ import annotations

import csv
from pathlib import Path

from pare_desktop.core.export import CONFIDENTIAL_NOTICE, ExportJob, report
from pare_desktop.core.export.cells import cell_text
from pare_desktop.core.progress import Progress


def write(job: ExportJob, path: Path, progress: Progress) -> None:
    total = len(job.records)
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f, delimiter=job.options.separator, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        if job.confidential:
            out.writerow([CONFIDENTIAL_NOTICE])
        out.writerow([c.header for c in job.columns])
        getters = [c.value for c in job.columns]
        for i, s in enumerate(job.records, 1):
            out.writerow([cell_text(get(s)) for get in getters])
            report(progress, i, total)
