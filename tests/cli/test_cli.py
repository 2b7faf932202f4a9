"""The `pare` command line: search, show, stats and import, with French errors and exit code 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pare_desktop.cli import run


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def pare(data_dir: Path, *args: str) -> int:
    return run(["--data-dir", str(data_dir), *args])


def test_search_json_lists_demo_and_national_lines(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert pare(data_dir, "search", "--limit", "1000", "--json") == 0
    items = json.loads(capsys.readouterr().out)
    assert len(items) > 300
    assert {"id", "name", "departement", "commune", "types", "supports", "national"} <= items[0].keys()
    assert any(i["national"] and i["id"] == "reference:119" for i in items)


def test_search_in_mayotte_includes_national_lines(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert pare(data_dir, "search", "--departement", "976", "--limit", "500", "--json") == 0
    items = json.loads(capsys.readouterr().out)
    assert any(i["departement"] == "976" for i in items)
    assert any(i["national"] for i in items)
    assert all(i["departement"] == "976" or i["national"] or i["departement"] == "" for i in items)


def test_search_near_gives_distances(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert pare(data_dir, "search", "--near", "Mamoudzou", "--radius", "50", "--no-national", "--json") == 0
    items = json.loads(capsys.readouterr().out)["results"]  # with a radius: {results, near}
    assert items and all(i["distance_km"] is not None and i["distance_km"] <= 50 for i in items)
    distances = [i["distance_km"] for i in items]
    assert distances == sorted(distances)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["search", "--departement", "999"], "département ou collectivité inconnu"),
        (["search", "--type", "boulangerie"], "valeur inconnue « boulangerie »"),
        (["search", "--radius", "5"], "--radius demande --near"),
        (["search", "--near", "Nullepartville"], "commune introuvable"),
        (["show", "nope:1"], "aucune structure"),
        (["import", "/nonexistent.csv"], "fichier introuvable"),
    ],
)
def test_bad_arguments_exit_2_in_french(
    data_dir: Path, capsys: pytest.CaptureFixture[str], args: list[str], fragment: str
) -> None:
    assert pare(data_dir, *args) == 2
    assert fragment in capsys.readouterr().err


def test_import_all_or_nothing_then_skip_invalid(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = tmp_path / "annuaire.csv"
    csv.write_text(
        "Nom;Type;Commune;Code postal;Téléphone\n"
        "Maison des ados (essai);sante-ado-psy;Mamoudzou;97600;0269 61 91 00\n"
        ";urgence;Paris;75001;\n",
        encoding="cp1252",
    )
    assert pare(data_dir, "import", str(csv)) == 2
    assert "ligne 3" in capsys.readouterr().err
    assert pare(data_dir, "search", "essai", "--json") == 0
    assert json.loads(capsys.readouterr().out) == []
    rejects = tmp_path / "rejets.csv"
    assert pare(data_dir, "import", str(csv), "--skip-invalid", "--rejects", str(rejects)) == 0
    assert "1 nouvelle(s) structure(s)" in capsys.readouterr().out
    assert "le nom est obligatoire" in rejects.read_text(encoding="utf-8-sig")
    assert pare(data_dir, "search", "essai", "--json") == 0
    (item,) = json.loads(capsys.readouterr().out)
    assert item["departement"] == "976" and item["phones"] == ["+262269619100"]


def test_show_and_stats(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert pare(data_dir, "show", "reference:119") == 0
    assert "119" in capsys.readouterr().out
    assert pare(data_dir, "stats", "--json") == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["total"] > 300


def test_console_script_version() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "pare_desktop", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.startswith("PARÉ Desktop ")


def test_show_says_withdrawn(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A structure removed upstream but kept for the user's notes is named « retirée » (issue 12, item 9)."""
    from pare_desktop.core.directory import Directory

    assert pare(data_dir, "search", "--limit", "1") == 0
    with Directory.open(data_dir / "pare.sqlite") as d:
        demo_id = next(s.id for s in d.all_structures() if s.origin == "demo")
        d.user.set_note(demo_id, "à rappeler")
    src = tmp_path / "vraies.csv"
    src.write_text("nom;type;code_insee\nMaison A;association-specialisee;97611\n", encoding="utf-8")
    assert pare(data_dir, "import", str(src), "--replace") == 0
    capsys.readouterr()
    assert pare(data_dir, "show", demo_id) == 0
    assert "Retirée de l'annuaire" in capsys.readouterr().out
    assert pare(data_dir, "show", demo_id, "--json") == 0
    assert json.loads(capsys.readouterr().out)["withdrawn"] is True


def test_a_file_that_cannot_be_written_is_french_not_a_traceback(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "un.csv"
    src.write_text("nom;type;code_insee\n;association-specialisee;97611\nB;urgence;97611\n", encoding="utf-8")
    rejects = tmp_path / "absent" / "rejets.csv"
    assert pare(data_dir, "import", str(src), "--skip-invalid", "--rejects", str(rejects)) == 2
    err = capsys.readouterr().err
    assert "fichier ou dossier introuvable" in err and "Traceback" not in err and "No such" not in err


class _ClosedPipe:
    """Standard output whose reader went away (« pare search | head -1 »)."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self) -> None:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_closed_pipe_ends_quietly(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert pare(data_dir, "stats") == 0  # the directory exists: the search below only writes
    capsys.readouterr()
    monkeypatch.setattr(sys, "stdout", _ClosedPipe())
    assert pare(data_dir, "search", "écoute", "--limit", "500") == 141
    assert capsys.readouterr().err == ""  # not « pare : erreur d'accès au fichier. »


def test_a_forgiven_typo_is_said(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert pare(data_dir, "search", "psycologue") == 0
    out = capsys.readouterr().out
    assert "Orthographe approchée : aucune structure ne contient exactement « psycologue »." in out
    assert pare(data_dir, "search", "psychologue") == 0
    assert "Orthographe approchée" not in capsys.readouterr().out


def test_export_to_a_dash_is_refused_not_a_file_named_dash(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert pare(data_dir, "export", "--format", "csv", "-o", "-") == 2
    assert not (tmp_path / "-").exists()
    err = capsys.readouterr().err
    assert err.startswith("pare : « -o - »") and "nom de fichier" in err and "Traceback" not in err


def test_open_now_says_which_hours_are_unknown(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert pare(data_dir, "search", "--departement", "976", "--open-now") == 0
    lines = capsys.readouterr().out.splitlines()
    line_3018 = next(line for line in lines if "[reference:3018]" in line)
    line_119 = next(line for line in lines if "[reference:119]" in line)
    assert "horaires non renseignés" in line_3018 and "horaires non renseignés" not in line_119
