"""`pare search --near … --radius …` gives the « plus proches » hint the window shows, from the same rule
(core.nearby): run as a shell user runs it, in text and in JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pare_desktop.core.directory import Directory
from pare_desktop.core.nearby import near_hint
from pare_desktop.core.records import SearchQuery


def pare(data_dir: Path, *args: str) -> str:
    """The command as a shell user types it (its own process, UTF-8 output); its standard output."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run([sys.executable, "-m", "pare_desktop", "--data-dir", str(data_dir), *args],
                          capture_output=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    return done.stdout.decode("utf-8")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("near") / "data"


def test_text_says_what_the_window_says(data_dir: Path) -> None:
    out = pare(data_dir, "search", "--near", "Kourou", "--radius", "20")
    lines = out.splitlines()
    assert any("119" in line and "national" in line for line in lines)  # the national lines are listed
    start = lines.index("Aucune structure locale à moins de 20 km de Kourou : les lignes nationales restent "
                        "joignables. Les plus proches :")
    nearest = lines[start + 1:start + 4]
    assert len(nearest) == 3 and all(n.startswith("  ") and "(démo)" in n and " km  [" in n for n in nearest)
    assert lines[start + 4] == "Élargir : --radius 50, 100 ou 200."
    # the same structures, in the same order, as the rule gives the window
    with Directory.open(data_dir / "pare.sqlite") as directory:
        hint = near_hint(directory, SearchQuery(near=_kourou(), radius_km=20.0))
    assert hint is not None and hint.applies
    assert [n.rsplit("[", 1)[1].rstrip("]") for n in nearest] == [s.id for s, _km in hint.nearest]


def test_json_carries_the_hint(data_dir: Path) -> None:
    data = json.loads(pare(data_dir, "search", "--near", "Kourou", "--radius", "20", "--no-national",
                           "--json"))
    assert data["results"] == []
    near = data["near"]
    assert near["place"] == "Kourou" and near["radius_km"] == 20 and near["local_total"] == 0
    assert near["message"].endswith("Les plus proches :")
    assert len(near["nearest"]) == 3 and all(n["distance_km"] > 20 for n in near["nearest"])
    assert [n["distance_km"] for n in near["nearest"]] == sorted(n["distance_km"] for n in near["nearest"])
    assert near["wider_radii_km"] == [50, 100, 200]
    # something local within the radius: no hint, the count of local ones
    data = json.loads(pare(data_dir, "search", "--near", "Kourou", "--radius", "100", "--json"))
    assert data["near"]["local_total"] > 0 and data["near"]["message"] is None
    assert data["near"]["nearest"] == [] and len(data["results"]) > data["near"]["local_total"] - 1
    # without « près de », the plain list as before
    assert isinstance(json.loads(pare(data_dir, "search", "écoute", "--json")), list)


def test_text_without_hint_when_something_is_near(data_dir: Path) -> None:
    out = pare(data_dir, "search", "--near", "Kourou", "--radius", "100")
    assert "Les plus proches" not in out and "Élargir" not in out


def _kourou() -> tuple[float, float]:
    from pare_desktop.core.territories import referential

    commune = referential().find_communes("Kourou", 1)[0]
    return commune.latitude, commune.longitude
