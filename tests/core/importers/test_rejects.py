"""The rejects file: original columns plus "ligne" and "motif", formula injection neutralised."""

from __future__ import annotations

import csv
from pathlib import Path

from pare_desktop.core.importers import read_file, write_rejects


def test_rejects_file(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("nom;type;téléphone\n=cmd|'/c calc'!A1;navire;0269 61\n;urgence;\nOK (démo);urgence;\n",
                      encoding="utf-8")
    batch = read_file(source)
    out = tmp_path / "rejets.csv"
    write_rejects(out, batch)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(data.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0] == ["nom", "type", "téléphone", "ligne", "motif"]
    assert rows[1][0] == "'=cmd|'/c calc'!A1" and rows[1][3] == "ligne 2"
    assert "type : valeur inconnue" in rows[1][4] and "téléphone" in rows[1][4]
    assert rows[2][3] == "ligne 3" and len(rows) == 3


def test_rejects_file_can_be_fixed_and_reimported(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("nom;téléphone\nA (démo);+262 269 61 00 00\n", encoding="utf-8")
    out = tmp_path / "rejets.csv"
    write_rejects(out, read_file(source))  # rejected: no type
    fixed = out.read_text(encoding="utf-8-sig").replace("nom;", "type;nom;", 1).replace("\nA", "\nurgence;A")
    out.write_text(fixed, encoding="utf-8-sig")
    (s,) = read_file(out).records
    assert s.phones[0].number == "+262269610000"
