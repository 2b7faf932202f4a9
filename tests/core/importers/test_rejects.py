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
    assert rows[1][4] == "téléphone : numéro de téléphone invalide : « 0269 61 »"
    assert rows[2][3] == "ligne 3" and len(rows) == 3


def test_rejects_file_can_be_fixed_and_reimported(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("nom;type;téléphone;latitude;longitude;courriel\n"
                      "A (démo);urgence;+262 269 61 00 00;49.2;1.2x;\n"
                      "=B (démo);urgence;0590 27 12 34;16.24;-61.53;b@\n", encoding="utf-8")
    out = tmp_path / "rejets.csv"
    write_rejects(out, read_file(source))  # rejected: a bad longitude; and a name starting with =
    text = out.read_text(encoding="utf-8-sig")
    assert ";-61.53;" in text and "'-61.53" not in text  # a negative number is written as a number
    assert "'=B (démo)" in text and "'+262 269 61 00 00" in text
    out.write_text(text.replace("1.2x", "1.2").replace("b@", "b@example.org"), encoding="utf-8-sig")
    batch = read_file(out)
    assert not batch.rejects
    a, b = batch.records
    assert a.phones[0].number == "+262269610000" and a.longitude == 1.2
    assert b.name == "=B (démo)" and b.longitude == -61.53
