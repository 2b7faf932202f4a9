"""uMap import: map backups and single layers, settings under each of the three historical keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pare_desktop.core.importers import detect_format, read_file
from pare_desktop.core.importers.umap import type_from_layer_name


def layer(settings_key: str, name: str) -> dict[str, object]:
    return {"type": "FeatureCollection", settings_key: {"name": name, "color": "red"}, "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [2.3522, 48.8566]},
         "properties": {"name": f"{name} (démo)", "description": "**gras** <b>x</b>",
                        "_umap_options": {"color": "blue"}}},
    ]}


@pytest.mark.parametrize("key", ["properties", "_umap_options", "_storage"])
def test_backup_with_each_settings_key(tmp_path: Path, key: str) -> None:
    data = {"type": "umap", "properties": {"name": "Carte PARÉ"},
            "layers": [layer(key, "Santé sexuelle"), layer(key, "Hébergement d'urgence")]}
    path = tmp_path / "carte.umap"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert detect_format(path) == "umap"
    batch = read_file(path)
    assert not batch.rejects
    assert [s.type for s in batch.records] == ["sante-sexuelle", "hebergement"]
    assert batch.records[0].description == "**gras** <b>x</b>"
    assert batch.records[0].departement == "75"


@pytest.mark.parametrize("key", ["properties", "_umap_options", "_storage"])
def test_single_layer(tmp_path: Path, key: str) -> None:
    path = tmp_path / "calque.json"
    path.write_text(json.dumps(layer(key, "Justice")), encoding="utf-8")
    assert detect_format(path) == "umap"
    (s,) = read_file(path).records
    assert s.type == "justice" and s.name == "Justice (démo)"


def test_layer_without_known_type_is_unclassified(tmp_path: Path) -> None:
    data = {"type": "umap", "layers": [layer("_umap_options", "Divers")]}
    path = tmp_path / "carte.umap"
    path.write_text(json.dumps(data), encoding="utf-8")
    batch = read_file(path)
    assert not batch.rejects
    (s,) = batch.records
    assert s.type == "non-classe"
    assert any("« Divers » (1)" in w and "Non classé" in w for w in batch.warnings)


def test_layer_names() -> None:
    assert type_from_layer_name("SANTE SEXUELLE") == "sante-sexuelle"
    assert type_from_layer_name("Lieux : Protection de l'enfance") == "protection-enfance"
    assert type_from_layer_name("Divers") == ""
