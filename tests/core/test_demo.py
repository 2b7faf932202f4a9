"""Demo and reference data: coverage, visibly fictional, fiction phone blocks only, valid phones."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from urllib.parse import urlparse

from pare_desktop.core.demo import is_fiction_number, load_demo, load_reference
from pare_desktop.core.phones import normalize_phone
from pare_desktop.core.records import ORIGIN_DEMO, ORIGIN_REFERENCE, structure_from_dict, structure_to_dict
from pare_desktop.core.territories import referential
from pare_desktop.core.vocabulary import slugs


def test_counts_and_ids() -> None:
    demo = load_demo()
    assert 300 <= len(demo) <= 600
    ids = [s.id for s in demo + load_reference()]
    assert len(ids) == len(set(ids))
    assert all(s.origin == ORIGIN_DEMO and s.source == "demo" for s in demo)


def test_every_territory_type_and_support_is_covered() -> None:
    demo = load_demo()
    ref = referential()
    assert {t.code for t in ref.departements()} <= {s.departement for s in demo}
    assert {r.code for r in ref.regions()} <= {s.region for s in demo if s.region}
    # every type but « Non classé », which only imports give (a file naming no type we know), and the
    # national lines' type, which only the real reference lines carry (no fictional national line)
    assert set(slugs("type")) - {"non-classe", "ligne-ecoute-nationale"} <= {s.type for s in demo}
    assert "ligne-ecoute-nationale" not in {s.type for s in demo}
    assert {s.type for s in load_reference()} >= {"ligne-ecoute-nationale"}
    assert set(slugs("support")) <= {x for s in demo for x in s.supports}


def test_records_are_consistent_with_the_referential() -> None:
    ref = referential()
    for s in load_demo():
        commune = ref.commune(s.commune_code)
        assert commune is not None and commune.departement == s.departement
        assert (s.latitude, s.longitude) == (commune.latitude, commune.longitude)
        assert s.region == ref.region_of(s.departement)
        assert s.timezone == ref.timezone_of(s.departement)
        assert set(s.publics) <= set(slugs("public")) and set(s.modalities) <= set(slugs("modality"))
        assert structure_from_dict(structure_to_dict(s)) == s


def test_demo_is_visibly_fictional() -> None:
    for s in load_demo():
        assert "(démo)" in s.name
        assert all(e.endswith("@example.org") for e in s.emails)
        assert urlparse(s.website).hostname == "example.org"
        assert s.phones
        for phone in s.phones:
            assert is_fiction_number(phone.number), (s.id, phone)
            assert normalize_phone(phone.display, s.departement).number == phone.number
        territory = referential().territory(s.departement)
        assert territory is not None
        if territory.overseas:
            assert "bloc métropolitain réservé à la fiction" in s.description


def test_demo_variety() -> None:
    demo = load_demo()
    today = date(2025, 10, 1)
    assert any(s.visibility == "pro" for s in demo)
    assert all(s.address_visibility == "pro" for s in demo if s.type == "hebergement")
    assert any(s.updated and (today - s.updated).days > 365 for s in demo)
    assert any(s.status == "temporarily_closed" for s in demo)
    assert any(s.area.departements for s in demo) and any(s.area.regions for s in demo)
    assert any(len(s.area.communes) > 1 for s in demo)
    assert len({s.opening_hours for s in demo}) >= 6
    assert any(p.confidential for s in demo for p in s.phones)


def test_reference_lines() -> None:
    lines = load_reference()
    numbers = {p.number for s in lines for p in s.phones}
    assert numbers == {"119", "116000", "3018", "3020", "17", "112", "15", "114"}
    for s in lines:
        assert s.origin == ORIGIN_REFERENCE and s.source == "reference" and s.area.national
        assert "(démo)" not in s.name
        for phone in s.phones:
            assert normalize_phone(phone.number, "").number == phone.number
    assert next(p.display for s in lines for p in s.phones if p.number == "116000") == "116 000"


def test_demo_dates_follow_the_day_they_are_loaded() -> None:
    from datetime import date, timedelta

    from pare_desktop.core.demo import DEMO_BUILT, load_demo

    later = DEMO_BUILT + timedelta(days=500)
    built, loaded = load_demo(), load_demo(later)
    assert [s.id for s in built] == [s.id for s in loaded]
    stale = [s for s in loaded if s.updated and (later - s.updated).days > 365]
    assert 0 < len(stale) < len(loaded) // 2  # a mix of fresh and stale records, as on the build day
    assert all(s.updated is None or s.updated <= later for s in loaded)
    assert load_demo(date(2020, 1, 1)) == built


def test_free_text_hours_never_contradict_the_structured_hours() -> None:
    """Every demo note on the hours says no more than the structured hours (DOMAIN.md: demo stays honest)."""
    from pare_desktop.core.hours_fr import parse_french_hours, week_spans

    notes = 0
    for s in load_demo():
        text = s.hours_text
        if not text:
            continue
        notes += 1
        week = week_spans(s.opening_hours)
        assert week is not None, s.id
        if text == "Horaires non communiqués : appelez avant de venir.":
            assert s.opening_hours == "", s.id  # said unknown only when it is
        elif text == "Accueil 24 h/24, 7 j/7, sans rendez-vous.":
            assert s.opening_hours == "24/7", s.id
        else:
            assert text.startswith("Sur rendez-vous "), (s.id, text)
            said = week_spans(parse_french_hours(text.removeprefix("Sur rendez-vous ")))
            assert said is not None and any(said), (s.id, text)
            for day, spans in enumerate(said):  # each appointment slot lies within that day's opening
                for lo, hi in spans:
                    assert any(a <= lo and hi <= b for a, b in week[day]), (s.id, text, s.opening_hours)
    assert notes > 50  # the demo still shows notes beside its hours


def test_the_demo_builder_writes_what_is_shipped(tmp_path: Path) -> None:
    """scripts/build_demo_data.py, run again, gives the shipped demo.json byte for byte (no hand edits)."""
    import subprocess
    import sys

    from pare_desktop.paths import resource_path

    root = Path(__file__).resolve().parents[2]
    code = (
        "import sys, runpy; from pathlib import Path; sys.argv = ['build_demo_data.py']; "
        f"mod = runpy.run_path({str(root / 'scripts' / 'build_demo_data.py')!r}); "
        f"mod['dump'](Path({str(tmp_path / 'demo.json')!r}), mod['build_demo'](mod['referential']()))"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120, cwd=root)
    assert (tmp_path / "demo.json").read_bytes() == resource_path("demo", "demo.json").read_bytes()
