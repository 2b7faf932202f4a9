"""GeoJSON import: Point features, positions located without INSEE codes, broken JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pare_desktop.core.errors import ImportFormatError
from pare_desktop.core.importers import detect_format, read_file


def feature(props: dict[str, object], lon: float = 45.2279, lat: float = -12.7806) -> dict[str, object]:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": props}


def test_point_located_from_its_coordinates(tmp_path: Path) -> None:
    hostile = "<script>alert('x')</script>"
    data = {"type": "FeatureCollection", "features": [
        feature({"nom": "CeGIDD (démo)", "type": "Santé sexuelle", "description": hostile,
                 "téléphone": "0269 61 00 00"}),
        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]},
         "properties": {"nom": "Ligne"}},
        feature({"type": "urgence"}),
    ]}
    path = tmp_path / "points.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert detect_format(path) == "geojson"
    batch = read_file(path)
    (s,) = batch.records
    assert (s.departement, s.commune_code, s.type) == ("976", "97611", "sante-sexuelle")
    assert s.position_exact and s.description == hostile
    assert s.phones[0].number == "+262269610000"
    locations = {(r.location, r.field) for r in batch.rejects}
    assert locations == {("élément 3 (feature)", "nom")}  # the line is skipped and counted, not refused
    assert batch.warnings == ("1 élément(s) ignoré(s) : lignes, zones ou groupes de points (seuls les points "
                              "sont des lieux).",)


def test_not_json_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "cassé.geojson"
    path.write_text('{"type": "FeatureCollection",\n "features": [\n  {"oops"}\n]}', encoding="utf-8")
    with pytest.raises(ImportFormatError) as info:
        read_file(path)
    assert "cassé.geojson" in info.value.message and "ligne 3" in info.value.message
    assert info.value.line == 3


def test_unknown_json(tmp_path: Path) -> None:
    path = tmp_path / "autre.json"
    path.write_text('{"hello": 1}', encoding="utf-8")
    with pytest.raises(ImportFormatError, match="non reconnu"):
        read_file(path)
