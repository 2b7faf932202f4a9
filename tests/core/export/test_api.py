"""The export entry point: confidential data only in pro mode, unknown columns, cancel leaves no file."""

from __future__ import annotations

from pathlib import Path

import pytest

from pare_desktop.core.export import (
    ConfidentialExportError,
    ExportError,
    ExportOptions,
    UnknownColumnError,
    export,
    prepare_records,
)
from pare_desktop.core.progress import Cancelled
from pare_desktop.core.records import Structure


def test_confidential_outside_pro_mode(tmp_path: Path, records: list[Structure]) -> None:
    with pytest.raises(ConfidentialExportError) as err:
        export(records, "csv", tmp_path / "x.csv", ExportOptions(include_confidential=True))
    assert "mode professionnel" in err.value.message
    assert not (tmp_path / "x.csv").exists()


def test_prepare_drops_confidential(records: list[Structure]) -> None:
    public = prepare_records(records, include_confidential=False)
    assert all(s.visibility == "public" for s in public)
    assert not any(p.confidential for s in public for p in s.phones)
    assert all(s.address == "" for s in public if s.address_visibility == "pro")


def test_unknown_column_and_format(tmp_path: Path, records: list[Structure]) -> None:
    with pytest.raises(UnknownColumnError):
        export(records, "csv", tmp_path / "x.csv", ExportOptions(columns=("nom", "salaire")))
    with pytest.raises(ExportError):
        export(records, "docx", tmp_path / "x.docx")


class _CancelAfter:
    def __init__(self, n: int) -> None:
        self.calls = 0
        self.n = n

    def set_progress(self, done: int, total: int) -> None:
        self.calls += 1

    def set_status(self, text: str) -> None:
        pass

    def is_cancelled(self) -> bool:
        return self.calls >= self.n


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "vcard", "pdf", "geojson"])
def test_cancel_keeps_previous_file(tmp_path: Path, records: list[Structure], fmt: str) -> None:
    many = records * 20  # > PROGRESS_STEP records
    out = tmp_path / "out"
    out.write_bytes(b"previous")
    with pytest.raises(Cancelled):
        export(many, fmt, out, progress=_CancelAfter(1))
    assert out.read_bytes() == b"previous"
    assert list(tmp_path.iterdir()) == [out]
