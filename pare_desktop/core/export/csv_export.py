"""CSV export: UTF-8 with BOM, `;` (or `,`), CRLF, every cell neutralised against formula injection."""

from __future__ import annotations

import csv
from pathlib import Path

from pare_desktop.core.export import CONFIDENTIAL_NOTICE, ExportJob, report
from pare_desktop.core.export.cells import FORMULA_STARTS, cell_text
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
            row = [get(s) for get in getters]
            # cell_text only where it may change something: text that starts like a formula, dates, None
            out.writerow([v if v.__class__ is str and not v.startswith(FORMULA_STARTS) else cell_text(v)
                          for v in row])
            report(progress, i, total)
