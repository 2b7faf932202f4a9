"""Errors are worded in French and shown without blocking; the global hook shows unexpected ones."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from pare_desktop.core.errors import SchemaTooNewError
from pare_desktop.core.userdata import ListNameError
from pare_desktop.ui.errors import ErrorPresenter, describe


def test_typed_errors_have_french_sentences(qapp: object) -> None:
    text, expected = describe(SchemaTooNewError(Path("x.sqlite"), 99))
    assert expected and "version plus récente" in text
    text, expected = describe(ListNameError("Réseau", "taken"))
    assert expected and "« Réseau »" in text
    text, expected = describe(RuntimeError("bug"))
    assert not expected


def test_boxes_are_non_modal_with_details(qapp: object) -> None:
    presenter = ErrorPresenter()
    box = presenter.show_error(RuntimeError("<b>bug</b>"))
    assert box.isVisible() and not box.isModal()
    assert "RuntimeError" in box.detailedText()
    presenter.close_all()
    assert presenter.open_boxes == []


def test_excepthook_logs_and_shows(qapp: object) -> None:
    presenter = ErrorPresenter()
    shown: list[str] = []
    presenter.shown.connect(shown.append)
    presenter.install_excepthook()
    try:
        try:
            raise KeyError("boom")
        except KeyError:
            sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]
    finally:
        presenter.uninstall_excepthook()
    assert shown and "inattendue" in shown[0]
    assert isinstance(presenter.open_boxes[0], QMessageBox)
    presenter.close_all()


def test_database_errors_are_worded_in_french(qapp: object) -> None:
    from pare_desktop.core.errors import DatabaseBusyError, DatabaseFileError

    text, expected = describe(DatabaseBusyError())
    assert expected and text.startswith("l'annuaire est occupé par une autre opération")
    text, expected = describe(DatabaseFileError("le fichier « x » n'est pas un annuaire PARÉ lisible"))
    assert expected and "n'est pas un annuaire PARÉ lisible" in text
