"""The detail pane reads as French prose: grouped opening days, the record's source in words."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from pare_desktop.core.records import ORIGIN_DEMO, ORIGIN_REFERENCE, Structure
from pare_desktop.core.territories import referential
from pare_desktop.ui.detail.pane import DetailPane

NBSP = "\u00a0"


def _shown(qtbot: QtBot, record: Structure) -> str:
    pane = DetailPane(referential())
    qtbot.addWidget(pane)
    pane.show_structure(record)
    return "\n".join(label.text() for label in pane.findChildren(QLabel)).replace(NBSP, " ")


def test_a_24_7_line_reads_once_not_seven_times(qtbot: QtBot) -> None:
    record = Structure(id="reference:119", source="reference", source_id="119", name="Allô 119",
                       type="ligne-ecoute", opening_hours="24/7", origin=ORIGIN_REFERENCE)
    text = _shown(qtbot, record)
    assert "Ouvert 24 h/24, 7 j/7" in text
    assert "lundi :" not in text and "tous les jours" not in text  # one line, not eight
    assert "Lignes nationales fournies avec PARÉ" in text
    assert "reference" not in text


def test_every_day_alike_reads_once(qtbot: QtBot) -> None:
    record = Structure(id="demo:1", source="demo", source_id="1", name="Accueil (démo)", type="urgence",
                       opening_hours="Mo-Su 08:00-20:00", origin=ORIGIN_DEMO)
    text = _shown(qtbot, record)
    assert "tous les jours : 8 h – 20 h" in text and "lundi" not in text


def test_equal_days_are_grouped_and_the_demo_source_is_said(qtbot: QtBot) -> None:
    record = Structure(id="demo:74-1", source="demo", source_id="74-1", name="Accueil (démo)",
                       type="urgence", departement="74", opening_hours="Mo-Fr 08:00-20:00; Sa,Su 10:00-18:00",
                       origin=ORIGIN_DEMO)
    text = _shown(qtbot, record)
    assert "du lundi au vendredi : 8 h – 20 h" in text
    assert "samedi et dimanche : 10 h – 18 h" in text
    assert "Données de démonstration (fictives)" in text
    assert "\ndemo\n" not in f"\n{text}\n"


def test_a_time_range_never_wraps_inside(qtbot: QtBot) -> None:
    record = Structure(id="demo:976-1", source="demo", source_id="976-1", name="Écoute (démo)",
                       type="urgence", departement="976", timezone="Indian/Mayotte",
                       opening_hours="Mo-Th 09:00-12:30,14:00-17:30; Fr 09:00-12:30", origin=ORIGIN_DEMO)
    pane = DetailPane(referential())
    qtbot.addWidget(pane)
    pane.show_structure(record)
    text = "\n".join(label.text() for label in pane.findChildren(QLabel))
    morning, afternoon = "9 h – 12 h 30".replace(" ", NBSP), "14 h – 17 h 30".replace(" ", NBSP)
    assert f"du lundi au jeudi : {morning}, {afternoon}" in text  # a break only between the ranges
    assert f"vendredi : {morning}" in text
