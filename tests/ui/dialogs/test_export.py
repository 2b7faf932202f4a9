"""The export dialog writes through the task runner; printing builds plain text, never HTML."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from pare_desktop.core.directory import Directory
from pare_desktop.core.records import SearchQuery
from pare_desktop.ui.dialogs.export import ExportDialog, print_document


@pytest.fixture
def directory(tmp_path: Path) -> Iterator[Directory]:
    d = Directory.open(tmp_path / "pare.sqlite3")
    yield d
    d.close()


def test_export_csv_through_runner(
    qtbot: object, directory: Directory, runner: object, tmp_path: Path
) -> None:
    ids = directory.search(SearchQuery(territories=("974",))).ids
    dlg = ExportDialog(directory, runner, ids, "Réunion")
    qtbot.addWidget(dlg)  # type: ignore[attr-defined]
    assert not dlg.confidential.isEnabled()  # not in pro mode
    dlg.format.setCurrentIndex(dlg.format.findData("csv"))
    for i in range(dlg.columns.count()):
        item = dlg.columns.item(i)
        keep = item.data(Qt.ItemDataRole.UserRole) in ("nom", "telephones")
        item.setCheckState(Qt.CheckState.Checked if keep else Qt.CheckState.Unchecked)
    out = tmp_path / "r.csv"
    with qtbot.waitSignal(dlg.exported, timeout=10_000) as sig:  # type: ignore[attr-defined]
        dlg.export_to(out)
    assert sig.args == [str(out), len(ids)]
    assert out.read_text(encoding="utf-8-sig").splitlines()[0] == "nom;téléphones"


def test_print_document_is_plain_text(directory: Directory, qapp: object) -> None:
    s = directory.get_many(directory.search(SearchQuery()).ids[:1])[0]
    doc = print_document([replace(s, name="<b>Gras</b> & <script>x</script>")], "Liste <i>")
    text = doc.toPlainText()
    assert "<b>Gras</b> & <script>x</script>" in text and "Liste <i>" in text
