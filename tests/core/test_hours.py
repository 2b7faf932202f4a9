"""Tests of opening hours: open now in each structure's time zone, French descriptions, validation."""

from __future__ import annotations

from datetime import UTC, date, datetime

from pare_desktop.core.hours import describe_now, format_time, is_open, validate_hours, week_table

WEEKDAYS = "Mo-Fr 08:00-17:00"


def test_noumea_is_ahead_of_utc() -> None:
    # Monday 21:00 UTC is Tuesday 08:00 in Nouméa (UTC+11): open; Monday 20:59 UTC is 07:59: closed.
    assert is_open(WEEKDAYS, "Pacific/Noumea", datetime(2025, 3, 3, 21, 0, tzinfo=UTC)) is True
    assert is_open(WEEKDAYS, "Pacific/Noumea", datetime(2025, 3, 3, 20, 59, tzinfo=UTC)) is False
    # Friday 21:00 UTC is Saturday 08:00 in Nouméa: closed.
    assert is_open(WEEKDAYS, "Pacific/Noumea", datetime(2025, 3, 7, 21, 0, tzinfo=UTC)) is False


def test_tahiti_and_reunion() -> None:
    # Friday 02:00 UTC is Thursday 16:00 in Tahiti (UTC-10) and Friday 06:00 in Réunion (UTC+4).
    when = datetime(2025, 3, 7, 2, 0, tzinfo=UTC)
    assert is_open(WEEKDAYS, "Pacific/Tahiti", when) is True
    assert is_open(WEEKDAYS, "Indian/Reunion", when) is False
    assert is_open(WEEKDAYS, "Europe/Paris", when) is False


def test_unknown_and_invalid() -> None:
    assert is_open("", "Europe/Paris") is None
    assert is_open("n'importe quoi", "Europe/Paris") is None
    assert validate_hours("Mo-Fr 09:00-17:00; PH off") is None
    assert validate_hours("") is None
    message = validate_hours("lundi 9h-17h")
    assert message is not None and message.startswith("Horaires non reconnus")


def test_public_holidays_follow_france() -> None:
    assert is_open("Mo-Fr 08:00-17:00; PH off", "Europe/Paris", datetime(2025, 7, 14, 9, tzinfo=UTC)) is False
    assert is_open("Mo-Fr 08:00-17:00; PH off", "Europe/Paris", datetime(2025, 7, 15, 9, tzinfo=UTC)) is True


def test_describe_now_in_french() -> None:
    noumea_tue_8 = datetime(2025, 3, 3, 21, 0, tzinfo=UTC)
    assert describe_now(WEEKDAYS, "Pacific/Noumea", noumea_tue_8) == "Ouvert maintenant · ferme à 17 h"
    noumea_fri_18 = datetime(2025, 3, 7, 7, 0, tzinfo=UTC)
    assert describe_now(WEEKDAYS, "Pacific/Noumea", noumea_fri_18) == "Fermé · ouvre lundi à 8 h"
    paris_mon_7 = datetime(2025, 3, 3, 6, 0, tzinfo=UTC)
    assert describe_now("Mo-Fr 08:30-12:00", "Europe/Paris", paris_mon_7) == "Fermé · ouvre à 8 h 30"
    paris_mon_13 = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)
    assert describe_now("Mo-Fr 08:30-12:00", "Europe/Paris", paris_mon_13) == "Fermé · ouvre demain à 8 h 30"
    assert describe_now("24/7", "Pacific/Tahiti") == "Ouvert 24 h/24"
    assert describe_now("", "Europe/Paris") == "Horaires non renseignés"


def test_format_time_and_week_table() -> None:
    assert format_time(datetime(2025, 1, 1, 17, 0)) == "17 h"
    assert format_time(datetime(2025, 1, 1, 8, 30)) == "8 h 30"
    table = week_table("Mo-Fr 09:00-12:00,13:30-17:00; Su 00:00-24:00", date(2025, 3, 5))
    assert table[0] == ("lundi", "9 h – 12 h, 13 h 30 – 17 h")
    assert table[5] == ("samedi", "fermé")
    assert table[6] == ("dimanche", "24 h/24")
