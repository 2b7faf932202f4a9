"""core.nearby: the « près de » hint's rule and words, shared by the window and `pare search`."""

from __future__ import annotations

from pathlib import Path

from pare_desktop.core.directory import Directory
from pare_desktop.core.nearby import NearHint, distance_text, near_hint
from pare_desktop.core.records import SearchQuery


def kourou() -> tuple[float, float]:
    from pare_desktop.core.territories import referential

    commune = referential().find_communes("Kourou", 1)[0]
    return commune.latitude, commune.longitude


def test_distances_in_french() -> None:
    assert distance_text(8.24) == "8,2 km"
    assert distance_text(34.4) == "34 km"
    assert distance_text(6662.0) == "6\u202f662 km"


def test_hint_only_with_a_radius_and_nothing_local(tmp_path: Path) -> None:
    here = kourou()
    with Directory.open(tmp_path / "pare.sqlite") as d:
        assert near_hint(d, SearchQuery(text="écoute")) is None
        assert near_hint(d, SearchQuery(near=here)) is None  # no radius: everything is « near »
        hint = near_hint(d, SearchQuery(near=here, radius_km=20.0))
        assert hint is not None and hint.applies and 1 <= len(hint.nearest) <= 3
        assert [km for _s, km in hint.nearest] == sorted(km for _s, km in hint.nearest)
        assert all(km > 20 and not s.is_national for s, km in hint.nearest)
        assert hint.wider_km == (50, 100, 200)
        wide = near_hint(d, SearchQuery(near=here, radius_km=100.0))
        assert wide is not None and not wide.applies and wide.local_total > 0 and wide.nearest == ()


def test_sentence() -> None:
    hint = NearHint(2.5, 0)
    assert hint.sentence("Kourou") == ("Aucune structure locale à moins de 2,5 km de Kourou : les lignes "
                                       "nationales restent joignables. Aucune autre structure ne correspond, "
                                       "même plus loin.")
