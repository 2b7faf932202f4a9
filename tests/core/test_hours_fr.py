"""French opening hours: OSM summarised in French, French text read into OSM, errors in French."""

from __future__ import annotations

import pytest

from pare_desktop.core.hours_fr import HoursSyntaxError, hours_line, parse_french_hours, summary_fr


@pytest.mark.parametrize(("osm", "french"), [
    ("Mo-Th 09:00-12:30,14:00-17:30; Fr 09:00-12:30",
     "lun.–jeu. 9 h–12 h 30 et 14 h–17 h 30 ; ven. 9 h–12 h 30"),
    ("24/7", "24 h/24, 7 j/7"),
    ("Mo,We,Fr 14:00-18:00", "lun., mer. et ven. 14 h–18 h"),
    ("Mo-Fr 08:00-20:00; Sa,Su 10:00-18:00", "lun.–ven. 8 h–20 h ; sam. et dim. 10 h–18 h"),
    ("Mo-Fr 09:00-17:00; PH off", "lun.–ven. 9 h–17 h ; fermé les jours fériés"),
    ("Mo-Su 18:00-08:00", "lun.–dim. 18 h–8 h"),  # a night shelter: one span past midnight
    ("Fr 22:00-02:00", "ven. 22 h–2 h"),
    ("", ""),
    ("n'importe quoi", ""),
])
def test_summary_fr(osm: str, french: str) -> None:
    assert summary_fr(osm) == french


@pytest.mark.parametrize(("french", "osm"), [
    ("Lu-Ve 8h-12h, 14h-17h", "Mo-Fr 08:00-12:00,14:00-17:00"),
    ("Lu-Ve 8h-12h", "Mo-Fr 08:00-12:00"),
    ("Lu-Ve 08:00-12:00", "Mo-Fr 08:00-12:00"),
    ("du lundi au vendredi de 8h30 à 12h et de 14h à 17h", "Mo-Fr 08:30-12:00,14:00-17:00"),
    ("Lu, Me, Ve 14h-18h", "Mo,We,Fr 14:00-18:00"),
    ("lun.–ven. 9 h–12 h ; sam. 9 h-midi", "Mo-Fr 09:00-12:00; Sa 09:00-12:00"),
    ("24h/24 7j/7", "24/7"),
    ("Lu-Ve 8h-12h ; fermé les jours fériés", "Mo-Fr 08:00-12:00; PH off"),
    ("tous les jours 10h-18h", "Mo-Su 10:00-18:00"),
    ("Mo-Fr 09:00-17:00; PH off", "Mo-Fr 09:00-17:00; PH off"),
])
def test_parse_french_hours(french: str, osm: str) -> None:
    assert parse_french_hours(french) == osm


@pytest.mark.parametrize("osm", [
    "Mo-Th 09:00-12:30,14:00-17:30; Fr 09:00-12:30", "24/7", "Mo,We,Fr 14:00-18:00",
    "Mo-Fr 08:00-20:00; Sa,Su 10:00-18:00", "We 13:30-18:30; Sa 10:00-16:00", "Mo-Fr 09:00-17:00; PH off",
    "Mo-Su 18:00-08:00", "Fr 22:00-02:00",
])
def test_the_summary_reads_back(osm: str) -> None:
    assert parse_french_hours(summary_fr(osm)) == osm


@pytest.mark.parametrize(("text", "words"), [
    ("Lu-Ve", "Précisez les heures"),
    ("Lu-Ve 8h", "plage horaire"),
    ("Lu-Ve 25h-26h", "Heure impossible"),
    ("quand ça lui chante", "Mot non compris"),
])
def test_errors_are_french_sentences(text: str, words: str) -> None:
    with pytest.raises(HoursSyntaxError) as info:
        parse_french_hours(text)
    assert words in info.value.message


def test_hours_line_keeps_the_structures_own_hours_and_its_note() -> None:
    assert hours_line("24/7", "Sur rendez-vous le mercredi après-midi.") == (
        "24 h/24, 7 j/7 — Sur rendez-vous le mercredi après-midi.")
    assert hours_line("", "Horaires : voir le site officiel.") == "voir le site officiel."
    assert hours_line("Mo-Fr 9:00-17:00 oops", "") == ""


def test_day_text() -> None:
    from pare_desktop.core.hours_fr import day_text

    assert day_text("Mo-Fr 09:00-17:00", 2) == "le mercredi de 9 h à 17 h"
    assert day_text("Mo-Th 09:00-12:30,14:00-17:30; Fr 09:00-12:30", 0) == (
        "le lundi de 9 h à 12 h 30 et de 14 h à 17 h 30")
    assert day_text("Mo-Fr 09:00-17:00", 6) == ""  # closed that day
    assert day_text("24/7", 3) == "le jeudi 24 h/24"
    assert day_text("", 0) == day_text("n'importe quoi", 0) == ""
