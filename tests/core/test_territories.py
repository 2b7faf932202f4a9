"""The territorial referential: régions, DROM/COM, communes, postal codes and point location."""

from __future__ import annotations

import time
import zoneinfo

import pytest

from pare_desktop.core.territories import referential
from pare_desktop.core.text import fold, tokens

DROM = ("971", "972", "973", "974", "976")
COM = ("975", "977", "978", "984", "986", "987", "988", "989")


def test_fold_and_tokens() -> None:
    assert fold("L'Haÿ-les-Roses") == "l hay les roses"
    assert fold("Œuvre ÆSTHÉTIQUE Straße") == "oeuvre aesthetique strasse"
    assert tokens("Saint-Étienne (42), l’œil") == ["saint", "etienne", "42", "l", "oeil"]


def test_eighteen_regions_mainland_first() -> None:
    regions = referential().regions()
    assert len(regions) == 18
    assert [r.overseas for r in regions] == [False] * 13 + [True] * 5
    assert regions[0].name == "Auvergne-Rhône-Alpes"


def test_departements_and_collectivites() -> None:
    ref = referential()
    codes = [t.code for t in ref.departements()]
    assert len(codes) == 96 + 5 + 8
    assert "2A" in codes and "2B" in codes and "20" not in codes
    for code in DROM:
        t = ref.territory(code)
        assert t is not None and t.kind == "departement" and t.overseas and t.region
        assert ref.region_of(code) == t.region
        assert ref.departements_of(t.region) == [code]
    for code in COM:
        t = ref.territory(code)
        assert t is not None and t.kind == "collectivite" and t.overseas and t.region == ""
    assert {t.code for t in ref.overseas()} == set(DROM + COM)


def test_every_territory_has_a_valid_timezone_and_geometry() -> None:
    ref = referential()
    for t in ref.departements() + ref.regions():
        zoneinfo.ZoneInfo(t.timezone)
        min_lon, min_lat, max_lon, max_lat = t.bbox
        assert min_lon <= t.centre[1] <= max_lon and min_lat <= t.centre[0] <= max_lat, t.code
    assert ref.timezone_of("976") == "Indian/Mayotte"
    assert ref.timezone_of("987") == "Pacific/Tahiti"
    assert ref.timezone_of("69") == "Europe/Paris"
    guadeloupe = ref.territory("971")
    assert guadeloupe is not None and guadeloupe.phone_region == "GP"


def test_ile_de_france() -> None:
    assert referential().departements_of("11") == ["75", "77", "78", "91", "92", "93", "94", "95"]
    assert referential().region_of("2B") == "94"


def test_communes() -> None:
    ref = referential()
    paris = ref.commune("75056")
    assert paris is not None and paris.exact and "75013" in paris.postal_codes
    assert len(ref.communes_of("976")) == 17
    assert ref.communes_of("976")[0].name == "Mamoudzou"
    for code in DROM + COM:
        assert ref.communes_of(code), code


def test_find_communes() -> None:
    ref = referential()
    assert ref.find_communes("saint-den")[0].name == "Saint-Denis"
    names = {(c.name, c.departement) for c in ref.find_communes("reunion", limit=30)}
    assert ("Saint-Denis", "974") in names and ("Le Tampon", "974") in names
    assert [c.name for c in ref.find_communes("POINTE A")] == ["Pointe-à-Pitre"]
    assert ref.find_communes("rochelle")[0].name == "La Rochelle"
    assert {c.name for c in ref.find_communes("97600")} == {"Mamoudzou", "Koungou"}
    assert len(ref.find_communes("13", limit=5)) == 5
    assert ref.find_communes("") == []


@pytest.mark.parametrize(
    ("postal_code", "departement"),
    [("75013", "75"), ("20000", "2A"), ("20600", "2B"), ("97133", "977"), ("97150", "978"),
     ("97600", "976"), ("98714", "987"), ("97500", "975"), ("abcde", None), ("123", None)],
)
def test_departement_of_postal_code(postal_code: str, departement: str | None) -> None:
    assert referential().departement_of_postal_code(postal_code) == departement


@pytest.mark.parametrize(
    ("lat", "lon", "commune", "departement"),
    [(-12.7806, 45.2278, "97611", "976"), (16.2411, -61.5331, "97120", "971"),
     (-17.5350, -149.5696, "98735", "987"), (48.8566, 2.3522, "75056", "75"),
     (15.9985, -61.7261, "97105", "971"), (-22.2758, 166.458, "98818", "988"),
     (46.7811, -56.1764, "97502", "975"), (41.9192, 8.7386, "2A004", "2A")],
)
def test_locate(lat: float, lon: float, commune: str, departement: str) -> None:
    assert referential().locate(lat, lon) == (commune, departement)


def test_locate_at_sea_and_speed() -> None:
    ref = referential()
    assert ref.locate(45.0, -30.0) == (None, None)
    ref.locate(46.0, 2.0)  # load outlines once
    start = time.perf_counter()
    for i in range(5000):
        ref.locate(43.0 + (i % 100) * 0.08, -1.0 + (i // 100) * 0.15)
    assert time.perf_counter() - start < 2.0  # 100k calls in well under 20 s


def test_commune_by_code_before_the_table_agrees_with_the_table() -> None:
    """A small import resolves its communes without building the whole table (14.1: 3-row import)."""
    from pare_desktop.core.territories import Referential
    from pare_desktop.paths import resource_path

    fresh = Referential(resource_path("referentials"))
    codes = ["75056", "97611", "97302", "2A004", "01001", "00000"]
    lazy = [fresh.commune(c) for c in codes]
    assert "_ct" not in fresh.__dict__
    assert lazy == [fresh._ct.communes.get(c) for c in codes]
    assert lazy[-1] is None and lazy[1] is not None and lazy[1].departement == "976"


def test_a_commune_found_by_scanning_the_file_is_the_parsed_one() -> None:
    """The first lookups by code scan the file's text (no parse of 35,000 rows: `pare export`); each gives
    the very commune the parsed table gives, also for a code that starts another commune's postal codes."""
    from pare_desktop.core import territories as t
    from pare_desktop.paths import resource_path

    parsed = t.Referential(resource_path("referentials"))
    assert tuple(parsed._raw_communes["fields"]) == t._COMMUNE_FIELDS
    rows = parsed._raw_communes["rows"]
    codes = {r[0] for r in rows}
    tricky = [c for r in rows for c in r[2][:1] if c in codes and c != r[0]][:5]  # a postal list "[code,"
    assert tricky
    scanning = t.Referential(resource_path("referentials"))
    for code in [*tricky, "29232", "97611", "2A004", "75056", rows[0][0], rows[-1][0]]:
        assert scanning.commune(code) == parsed.commune(code), code
    assert "_raw_communes" not in scanning.__dict__  # found without parsing the table
    assert scanning.commune("00000") is None and parsed.commune("00000") is None  # unknown: then parsed


def test_the_communes_file_read_as_json_reads_it() -> None:
    """pydantic-core reads resources/referentials/communes.json.gz: the same values as json.loads, every
    float to the bit."""
    import gzip
    import json

    from pare_desktop.core.territories import Referential
    from pare_desktop.paths import resource_path

    ref = Referential(resource_path("referentials"))
    text = gzip.decompress((ref._folder / "communes.json.gz").read_bytes()).decode("utf-8")
    expected = json.loads(text)
    got = ref._raw_communes
    assert got.keys() == expected.keys() and got["fields"] == expected["fields"]
    assert len(got["rows"]) == len(expected["rows"])
    for mine, theirs in zip(got["rows"], expected["rows"], strict=True):
        assert [type(v) for v in mine] == [type(v) for v in theirs]
        assert [v.hex() if isinstance(v, float) else v for v in mine] == \
            [v.hex() if isinstance(v, float) else v for v in theirs]
