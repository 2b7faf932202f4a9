"""Coverage figures: per territory (overseas kept), support types, the gap matrix, ages; `pare stats`."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from pare_desktop.cli import run
from pare_desktop.core.demo import load_demo
from pare_desktop.core.records import Area, SearchQuery, Structure
from pare_desktop.core.stats import CoverageIndex, territory_scope


def _s(i: int, dep: str, supports: tuple[str, ...], **kw: object) -> Structure:
    base = load_demo()[0]
    return replace(
        base,
        id=f"t:{i}",
        source_id=str(i),
        departement=dep,
        supports=supports,
        area=kw.pop("area", Area()),
        updated=kw.pop("updated", None),
        **kw,
    )  # type: ignore[arg-type]


def _records() -> list[Structure]:
    return [
        _s(1, "974", ("mise-a-l-abri",), updated=date(2025, 1, 1)),
        _s(2, "974", ("soins-sante", "mise-a-l-abri"), updated=date(2023, 6, 1)),
        _s(3, "75", ("soins-sante",), updated=None),
        _s(4, "", ("mise-a-l-abri",), area=Area(national=True)),
        _s(5, "69", ("soins-sante",), area=Area(regions=("04",))),  # located in 69, serves La Réunion too
    ]


def test_counts_matrix_and_gaps() -> None:
    recs = _records()
    idx = CoverageIndex(recs, today=date(2025, 3, 1))
    st = idx.compute([s.id for s in recs] + ["unknown:id"])
    assert (st.total, st.national) == (5, 1)
    terr = {t.key: t.count for t in st.territories}
    assert terr["974"] == 3 and terr["75"] == 1 and terr["69"] == 1 and terr["976"] == 0
    codes = [t.key for t in st.territories]
    assert codes.index("974") > codes.index("95")  # overseas grouped after the mainland
    assert "974" in st.overseas and "75" not in st.overseas
    sup = {c.key: c.count for c in st.supports}
    assert sup["mise-a-l-abri"] == 3 and sup["soins-sante"] == 3
    gaps = {t.key for t in st.gaps("mise-a-l-abri")}
    assert "974" not in gaps and "75" in gaps and "976" in gaps
    ages = {c.label: c.count for c in st.ages}
    assert ages["moins de 6 mois"] == 1 and ages["1 à 2 ans"] == 1 and ages["date inconnue"] == 3
    subset = idx.compute(["t:3"])
    assert subset.total == 1 and {t.key: t.count for t in subset.territories}["974"] == 0
    js = st.to_json()
    assert js["matrix"]["columns"][0] == "ecoute-information-orientation" and len(
        js["matrix"]["rows"]
    ) == len(codes)


def test_pare_stats_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--data-dir", str(tmp_path), "stats", "--departement", "974", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    terr = {t["code"]: t for t in data["territories"]}
    assert terr["974"]["count"] > 0 and terr["974"]["overseas"] and terr["75"]["count"] == 0
    assert data["total"] == data["national"] + terr["974"]["count"]
    assert run(["--data-dir", str(tmp_path), "stats", "--departement", "974"]) == 0
    text = capsys.readouterr().out
    assert "974 La Réunion" in text and "Outre-mer" in text and "Mise à l'abri" in text


def test_scope_cuts_the_territory_rows() -> None:
    assert territory_scope(SearchQuery()) is None
    assert territory_scope(SearchQuery(territories=("976",))) == {"976"}
    assert territory_scope(SearchQuery(regions=("11",), territories=("974",))) == {
        "75", "77", "78", "91", "92", "93", "94", "95", "974"}
    idx = CoverageIndex(_records(), today=date(2025, 3, 1))
    st = idx.compute([s.id for s in _records()])
    cut = st.within(frozenset({"974", "75"}))
    assert [t.key for t in cut.territories] == ["75", "974"]  # mainland first, as before
    assert cut.matrix == (st.matrix[[t.key for t in st.territories].index("75")],
                          st.matrix[[t.key for t in st.territories].index("974")])
    assert cut.total == st.total and st.within(None) is st
