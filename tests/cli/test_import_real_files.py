"""`pare import` on real-shaped files: warnings told, reasons printed even when no row is valid."""

from __future__ import annotations

from pathlib import Path

import pytest

from pare_desktop.cli import run

DATA = Path(__file__).parent.parent / "core" / "importers" / "data"


def pare(data_dir: Path, *args: str) -> int:
    return run(["--data-dir", str(data_dir), *args])


def test_skip_invalid_without_valid_rows_still_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "vide.csv"
    path.write_text("nom;type;téléphone\n;urgence;\nB (démo);urgence;12345\n", encoding="utf-8")
    assert pare(tmp_path / "data", "import", str(path), "--skip-invalid") == 2
    err = capsys.readouterr().err
    assert "ligne 2, nom : le nom est obligatoire" in err
    assert "ligne 3, téléphone : numéro de téléphone invalide" in err


def test_warnings_are_told(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert pare(tmp_path / "data", "import", str(DATA / "carte_terrain.umap")) == 0
    out = capsys.readouterr().out
    assert "4 nouvelle(s) structure(s)" in out
    assert "attention — 1 fiche(s) classée(s) « Non classé »" in out
    assert "adresse distante" in out
