"""A confidential address never leaks through its coordinates: every public output shows the commune's
centre, flagged approximate (issue 12, item 1)."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from pare_desktop.cli import run
from pare_desktop.core.directory import Directory
from pare_desktop.core.records import SearchQuery, canonical_json
from pare_desktop.core.territories import referential
from pare_desktop.map.payload import build_payload
from pare_desktop.sync.publish import for_tier

#: A shelter in Quimper, about 3 km from the commune's centre (47.99597, -4.09795).
EXACT = (47.97341, -4.13156)
CSV = (
    "identifiant;nom;type;adresse;code_postal;commune;code_insee;latitude;longitude;adresse confidentielle\n"
    f"abri-1;Abri secret;association-specialisee;12 rue Cachée;29000;Quimper;29232;"
    f"{EXACT[0]};{EXACT[1]};oui\n"
)
ID = "abri:abri-1"
_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")


def near_exact(text: str) -> list[float]:
    """Every number of the text within 0.01° of the exact latitude or longitude (a leak)."""
    found = []
    for m in _NUMBER.finditer(text):
        value = float(m.group().replace(",", "."))
        # degrees, or the map payload's integers of 1e-5 degree (lat_e5, lon_e5)
        for degrees in (value, value / 100_000):
            if abs(degrees - EXACT[0]) < 0.01 or abs(degrees - EXACT[1]) < 0.01:
                found.append(degrees)
    return found


def demo_points_near() -> set[float]:
    """Numbers of demo records that happen to lie near the exact latitude (Yonne is at 47.97° too): what a
    scan of the whole directory finds that is not the shelter's point."""
    from pare_desktop.core.demo import load_demo

    found = set(near_exact(" ".join(f"{s.latitude} {s.longitude}" for s in load_demo() if s.has_position)))
    assert EXACT[0] not in found and EXACT[1] not in found
    return found


def map_data(page: Path) -> str:
    """The records' block of an exported map page (the page also holds the public territory outlines)."""
    block = re.search(r'id="pare-data"[^>]*>(.*?)</script>', page.read_text(encoding="utf-8"), re.S)
    assert block is not None
    return block[1]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("privacy")
    src = root / "abri.csv"
    src.write_text(CSV, encoding="utf-8")
    assert run(["--data-dir", str(root / "data"), "import", str(src)]) == 0
    return root / "data"


def pare(data_dir: Path, *args: str) -> int:
    return run(["--data-dir", str(data_dir), *args])


def test_the_scanner_sees_the_exact_point_in_professional_mode(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert pare(data_dir, "--pro", "show", ID, "--json") == 0
    assert near_exact(capsys.readouterr().out)  # the test would catch a leak


def test_show_json_gives_the_commune_centre_flagged_approximate(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert pare(data_dir, "show", ID, "--json") == 0
    out = capsys.readouterr().out
    item = json.loads(out)
    centre = referential().commune("29232")
    assert centre is not None
    assert (item["latitude"], item["longitude"]) == (centre.latitude, centre.longitude)
    assert item["position_exact"] is False and item["address"] == ""
    assert near_exact(out) == []


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "geojson", "vcard", "pdf"])
@pytest.mark.parametrize("pro", [False, True], ids=["public", "pro-without-confidential"])
@pytest.mark.parametrize("where", [("--departement", "29"), ()], ids=["search", "everything"])
def test_exports_never_carry_the_exact_point(
    data_dir: Path, tmp_path: Path, fmt: str, pro: bool, where: tuple[str, ...]
) -> None:
    """A search goes through the index; the whole directory through core/reader.py (no index)."""
    out = tmp_path / f"export.{fmt}"
    args = ["--pro"] if pro else []
    assert pare(data_dir, *args, "export", "--format", fmt, *where, "-o", str(out)) == 0
    if fmt == "xlsx":
        with zipfile.ZipFile(out) as z:
            text = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    elif fmt == "pdf":
        from pypdf import PdfReader

        text = "\n".join(p.extract_text() for p in PdfReader(out).pages)
    else:
        text = out.read_text(encoding="utf-8-sig")
    assert "Abri secret" in text
    assert set(near_exact(text)) <= (demo_points_near() if not where else set())
    if fmt == "geojson":
        feature = next(f for f in json.loads(text)["features"] if f["properties"]["name"] == "Abri secret")
        assert feature["properties"]["position_exacte"] is False
        assert feature["geometry"]["coordinates"] == [-4.09795, 47.99597]


@pytest.mark.parametrize("pro", [False, True], ids=["public", "pro-without-confidential"])
def test_exported_map_page_and_map_payload(data_dir: Path, tmp_path: Path, pro: bool) -> None:
    page = tmp_path / "carte.html"
    args = ["--pro"] if pro else []
    assert pare(data_dir, *args, "map", "--departement", "29", "--out", str(page)) == 0
    block = map_data(page)
    assert "Abri secret" in block and near_exact(block) == []
    with Directory.open(data_dir / "pare.sqlite") as d:
        payload = build_payload(d.get_many([ID]))
    assert payload.markers[0][-1] == 0  # approximate
    assert near_exact(payload.to_json()) == []


@pytest.mark.parametrize("tier", ["public", "pro"])
def test_public_feed_built_by_pare_publish(tmp_path: Path, tier: str) -> None:
    import gzip

    from pare_desktop.sync import keys
    from pare_desktop.sync.publish import build

    src = tmp_path / "abri.csv"
    src.write_text(CSV, encoding="utf-8")
    private, _public = keys.generate(tmp_path / "keys")
    build([src], private, tmp_path / "feed", tier=tier)
    files = [p for p in (tmp_path / "feed").rglob("*") if p.is_file()]
    text = "".join((gzip.decompress(p.read_bytes()) if p.suffix == ".gz" else p.read_bytes()).decode()
                   for p in files)
    assert "Abri secret" in text
    if tier == "public":
        assert near_exact(text) == []
    else:
        assert near_exact(text)  # the professional tier keeps the point (and the scan sees it)


def test_public_feed_tier(data_dir: Path) -> None:
    with Directory.open(data_dir / "pare.sqlite", pro_mode=True) as d:
        records = d.get_many([ID])
    assert near_exact(canonical_json(records[0]).decode())  # pro data holds it...
    public = for_tier(records, "public")
    assert near_exact(canonical_json(public[0]).decode()) == []  # ...the public tier never
    assert for_tier(records, "pro")[0].position_exact


def test_distances_do_not_reveal_the_point(data_dir: Path) -> None:
    with Directory.open(data_dir / "pare.sqlite") as d:
        result = d.search(SearchQuery(near=EXACT, radius_km=20))
    assert ID in result.ids
    distance = result.distances_km[result.ids.index(ID)]
    assert distance is not None and distance > 2.5  # the commune's centre, not 0 km


def test_map_page_with_confidential_data_is_asked_for_in_pro_mode(data_dir: Path, tmp_path: Path) -> None:
    page = tmp_path / "carte.html"
    assert pare(data_dir, "map", "--include-confidential", "--out", str(page)) == 2
    args = ["--pro", "map", "--include-confidential", "--departement", "29", "--out", str(page)]
    assert pare(data_dir, *args) == 0
    assert near_exact(map_data(page))


def test_for_public_hides_only_what_is_confidential_and_copies_nothing_else() -> None:
    """A record with nothing confidential is given back as it is (exports call this for every record);
    a pro phone or a confidential address still gives a public copy without them."""
    from dataclasses import replace

    from pare_desktop.core.records import VISIBILITY_PRO, Phone, Structure

    plain = Structure(id="a:1", source="a", source_id="1", name="Lieu", type="association-specialisee",
                      address="1 rue Visible", latitude=47.9, longitude=-4.1, commune_code="29232",
                      phones=(Phone("+33298000000", "02 98 00 00 00"),))
    assert plain.for_public() is plain
    pro_phone = replace(plain, phones=(*plain.phones, Phone("+33298000001", "02 98 00 00 01", "", True)))
    assert pro_phone.for_public().phones == plain.phones
    hidden = replace(plain, address_visibility=VISIBILITY_PRO).for_public()
    assert hidden.address == "" and not hidden.position_exact
    assert (hidden.latitude, hidden.longitude) != (47.9, -4.1)
