"""`pare import`: add by default, --replace, --dry-run, --json, --undo; a refusal says how to go on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pare_desktop.cli import run

CSV = (
    "identifiant;Nom;Type;Commune;Code postal;Téléphone\n"
    "a1;Maison des ados (essai);sante-ado-psy;Mamoudzou;97600;0269 61 91 00\n"
    "a2;Point écoute (essai);aide-victimes-droit;Mamoudzou;97600;0269 61 91 01\n"
    "a3;Foyer (essai);urgence;Dembéni;97660;0269 61 91 02\n"
)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def pare(data_dir: Path, *args: str) -> int:
    return run(["--data-dir", str(data_dir), *args])


def count(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> int:
    assert pare(data_dir, "stats", "--json") == 0
    return int(json.loads(capsys.readouterr().out)["total"])


def test_add_by_default_replace_on_demand_then_undo(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "trois.csv"
    path.write_text(CSV, encoding="utf-8")
    demo = count(data_dir, capsys)

    assert pare(data_dir, "import", str(path), "--dry-run", "--json") == 0
    preview = json.loads(capsys.readouterr().out)
    assert (preview["dry_run"], preview["mode"], preview["new"], preview["demo_retired"]) == (
        True,
        "add",
        3,
        0,
    )
    assert count(data_dir, capsys) == demo

    assert pare(data_dir, "import", str(path)) == 0
    out = capsys.readouterr().out
    assert "3 nouvelle(s) structure(s)" in out and "les fiches de démonstration restent" in out
    assert "pare import --undo" in out
    assert count(data_dir, capsys) == demo + 3

    assert pare(data_dir, "import", str(path), "--replace", "--dry-run", "--json") == 0
    preview = json.loads(capsys.readouterr().out)
    assert (preview["new"], preview["unchanged"], preview["withdrawn"]) == (0, 3, 0)
    assert preview["demo_retired"] > 300

    assert pare(data_dir, "import", str(path), "--replace", "--json") == 0
    done = json.loads(capsys.readouterr().out)
    assert done["dry_run"] is False and done["demo_retired"] == preview["demo_retired"]
    assert count(data_dir, capsys) < demo

    assert pare(data_dir, "import", "--undo") == 0
    assert "Dernier import annulé" in capsys.readouterr().out
    assert count(data_dir, capsys) == demo + 3
    assert pare(data_dir, "import", "--undo") == 2  # one level: the last import only
    assert "aucun import à annuler" in capsys.readouterr().err


def test_refused_import_says_how_to_import_the_valid_rows(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "annuaire.csv"
    path.write_text(CSV + ";;urgence;Paris;75001;\n", encoding="utf-8")
    assert pare(data_dir, "import", str(path)) == 2
    err = capsys.readouterr().err
    assert "ligne 5" in err and "rien n'a été importé" in err
    assert f"pare import {path} --skip-invalid" in err and "3 structure(s) valide(s)" in err
    assert pare(data_dir, "import", str(path), "--skip-invalid", "--dry-run", "--json") == 0
    preview = json.loads(capsys.readouterr().out)
    assert preview["new"] == 3 and preview["rejected"][0]["location"] == "ligne 5"


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["import"], "indiquez le fichier"),
        (["import", "x.csv", "--undo"], "--undo s'utilise seul"),
    ],
)
def test_bad_import_arguments(
    data_dir: Path, capsys: pytest.CaptureFixture[str], args: list[str], fragment: str
) -> None:
    assert pare(data_dir, *args) == 2
    assert fragment in capsys.readouterr().err


def test_dry_run_previews_rejected_rows_instead_of_refusing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A dry run is a preview: the bad rows are listed with their reasons, nothing is refused or written."""
    src = tmp_path / "mixte.csv"
    src.write_text("nom;type;code_insee;horaires\n"
                   "Point accueil (démo);urgence;97302;Lu-Ve 8h-12h\n"
                   ";urgence;97302;\n", encoding="utf-8")
    data = tmp_path / "data"
    assert run(["--data-dir", str(data), "import", str(src), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "aperçu" in out and "1 nouvelle(s) structure(s)" in out and "ligne 3" in out
    assert "--skip-invalid" in out
    assert run(["--data-dir", str(data), "import", str(src), "--dry-run", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["new"] == 1 and doc["rejected"][0]["location"] == "ligne 3"


def test_a_plain_hours_column_in_french_becomes_opening_hours(tmp_path: Path) -> None:
    from pare_desktop.core.importers import read_file

    src = tmp_path / "horaires.csv"
    src.write_text("nom;type;code_insee;horaires\n"
                   "A (démo);urgence;97302;Lu-Ve 8h-12h\n"
                   "B (démo);urgence;97302;Mo-Fr 09:00-17:00\n"
                   "C (démo);urgence;97302;Sur rendez-vous le mercredi\n", encoding="utf-8")
    a, b, c = read_file(src).records
    assert (a.opening_hours, a.hours_text) == ("Mo-Fr 08:00-12:00", "")
    assert (b.opening_hours, b.hours_text) == ("Mo-Fr 09:00-17:00", "")
    assert (c.opening_hours, c.hours_text) == ("", "Sur rendez-vous le mercredi")
