"""A coordinator adds a local contact in Guyane with the keyboard: French hours, supports, publics,
modalities and area; a wrong field says so right under it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QListWidget
from pytestqt.qtbot import QtBot

from pare_desktop.core.records import SearchQuery
from pare_desktop.ui.dialogs.local_structure import DEFAULT_TYPE, LocalStructureDialog

from ..helpers import settle


def tick(widget: QListWidget, label: str) -> None:
    (item,) = widget.findItems(label, Qt.MatchFlag.MatchExactly)
    item.setCheckState(Qt.CheckState.Checked)


def open_form(gui: Any, qtbot: QtBot) -> LocalStructureDialog:
    w = gui.window
    w.activateWindow()
    # Fichier › Nouvelle structure locale
    qtbot.keyClick(w, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), LocalStructureDialog)
                    or isinstance(w.actions_.last_dialog, LocalStructureDialog), timeout=3000)
    dialog = w.actions_.last_dialog
    assert isinstance(dialog, LocalStructureDialog) and dialog.isVisible()
    return dialog


def test_local_contact_in_guyane_with_french_hours(gui: Any, qtbot: QtBot) -> None:
    dialog = open_form(gui, qtbot)
    assert dialog.type.currentData() == DEFAULT_TYPE  # not « Ligne d'écoute nationale »
    assert dialog.type.findData("ligne-ecoute-nationale") < 0
    qtbot.keyClicks(dialog.name, "Association Kalawang")
    qtbot.keyClicks(dialog.commune, "Cayenne")
    popup = dialog.commune.completer().popup()
    qtbot.waitUntil(popup.isVisible, timeout=3000)
    qtbot.keyClick(popup, Qt.Key.Key_Down)  # the first line proposed, chosen with the keyboard
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert not popup.isVisible() and dialog._commune is not None and dialog._commune.code == "97302"
    qtbot.keyClicks(dialog.phones, "0594 29 00 00")
    # the hours, typed in French: a mistake first, shown beside the field, then the right text
    dialog.tabs.setCurrentIndex(2)
    qtbot.keyClicks(dialog.hours.text, "Lu-Ve 8h")
    dialog.tabs.setCurrentIndex(0)
    dialog.save_button.click()
    assert dialog.isVisible() and dialog.tabs.currentIndex() == 2
    assert dialog.hours.preview.isVisible() and "plage horaire" in dialog.hours.preview.text()
    qtbot.keyClicks(dialog.hours.text, "-12h")
    assert dialog.hours.preview.text() == "Compris : lun.–ven. 8 h–12 h"
    assert dialog.hours.day_boxes[0].isChecked() and dialog.hours.day_ranges[4].text() == "8h-12h"
    assert not dialog.hours.day_boxes[5].isChecked()
    qtbot.keyClicks(dialog.hours_note, "Sur rendez-vous le mercredi")
    # what it offers and to whom
    dialog.tabs.setCurrentIndex(1)
    tick(dialog.supports, "Accompagnement socio-éducatif")
    tick(dialog.publics, "Mineurs en risque")
    tick(dialog.modalities, "Sur rendez-vous")
    dialog.area.setCurrentIndex(dialog.area.findData("departement"))
    with qtbot.waitSignal(dialog.finished):
        dialog.save_button.click()
    settle(gui, qtbot)
    (local,) = gui.directory.user.local_structures()
    assert (local.departement, local.commune, local.opening_hours) == ("973", "Cayenne", "Mo-Fr 08:00-12:00")
    assert local.supports == ("accompagnement-socio-educatif",) and local.publics == ("mineurs-en-risque",)
    assert local.modalities == ("sur-rendez-vous",) and local.area.departements == ("973",)
    assert local.timezone == "America/Cayenne" and local.phones[0].number == "+594594290000"
    assert local.hours_text == "Sur rendez-vous le mercredi"
    # it now matches the filters a colleague would use in Guyane
    found = gui.directory.search(SearchQuery(
        territories=("973",), supports=("accompagnement-socio-educatif",), modalities=("sur-rendez-vous",),
        include_national=False))
    assert local.id in found.ids


def test_wrong_fields_are_shown_under_them(gui: Any, qtbot: QtBot) -> None:
    dialog = open_form(gui, qtbot)
    dialog.save_button.click()
    assert dialog.error_texts() == {"Nom": "Le nom est obligatoire."}
    qtbot.keyClicks(dialog.name, "Point accueil")
    qtbot.keyClicks(dialog.phones, "12")
    dialog.save_button.click()
    errors = dialog.error_texts()
    assert list(errors) == ["Téléphones"] and errors["Téléphones"]
    assert dialog.errors[dialog.phones].geometry().top() > dialog.phones.geometry().bottom()
    dialog.reject()


def test_editing_shows_stored_hours_in_french(qtbot: QtBot) -> None:
    from dataclasses import replace

    from pare_desktop.core.demo import load_demo
    from pare_desktop.core.territories import referential

    s = replace(next(x for x in load_demo() if x.opening_hours.startswith("Mo-Th")), id="local:x")
    dialog = LocalStructureDialog(referential(), s)
    qtbot.addWidget(dialog)
    assert dialog.hours.text.text() == "lun.–jeu. 9 h–12 h 30 et 14 h–17 h 30 ; ven. 9 h–12 h 30"
    assert dialog.hours.day_ranges[0].text() == "9h-12h30, 14h-17h30"
    built = dialog.build()
    assert built is not None and built.opening_hours == s.opening_hours
    dialog.hours.day_boxes[5].setChecked(True)
    qtbot.keyClicks(dialog.hours.day_ranges[5], "9h-12h")
    built = dialog.build()
    assert built is not None
    assert built.opening_hours == "Mo-Th 09:00-12:30,14:00-17:30; Fr 09:00-12:30; Sa 09:00-12:00"
    assert dialog.hours.text.text().endswith("ven. 9 h–12 h 30 ; sam. 9 h–12 h")
