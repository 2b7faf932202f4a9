"""A user's value -> structure type mapping (`read_file(types=...)`) and what the batch tells the preview."""

from __future__ import annotations

import json
from pathlib import Path

from pare_desktop.core.importers import read_file
from pare_desktop.core.importers.batch import TypeValue
from pare_desktop.core.importers.column_map import IGNORE, shape_of


def feature(name: str) -> dict[str, object]:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [45.2279, -12.7806]},
            "properties": {"name": name}}


def umap_file(tmp_path: Path) -> Path:
    layers = [
        {"type": "FeatureCollection", "_umap_options": {"name": "Écoute"},
         "features": [feature("Ligne d'essai (démo)"), feature("Autre ligne (démo)")]},
        {"type": "FeatureCollection", "_umap_options": {"name": "Lieux amis"},
         "features": [feature("Café solidaire (démo)")]},
    ]
    path = tmp_path / "carte.umap"
    path.write_text(json.dumps({"type": "umap", "layers": layers}), encoding="utf-8")
    return path


def test_umap_layer_names_are_told_with_their_type(tmp_path: Path) -> None:
    batch = read_file(umap_file(tmp_path))
    assert batch.type_values == (
        TypeValue("Écoute", "ligne-ecoute-nationale", 2),
        TypeValue("Lieux amis", "non-classe", 1),
    )
    assert batch.shape.startswith("umap:") and batch.columns == ()


def test_a_chosen_type_wins_accents_and_case_ignored(tmp_path: Path) -> None:
    path = umap_file(tmp_path)
    batch = read_file(path, types={"LIEUX AMIS": "prevention-specialisee", "ecoute": "urgence"})
    by_name = {s.name: s.type for s in batch.records}
    assert by_name == {"Ligne d'essai (démo)": "urgence", "Autre ligne (démo)": "urgence",
                       "Café solidaire (démo)": "prevention-specialisee"}
    assert [(tv.value, tv.type, tv.chosen) for tv in batch.type_values] == [
        ("Écoute", "urgence", True), ("Lieux amis", "prevention-specialisee", True)]
    assert not any("Non classé" in w for w in batch.warnings)
    assert read_file(path).shape == batch.shape  # the same file shape: the choice can be remembered


def test_unknown_type_in_the_mapping_is_ignored(tmp_path: Path) -> None:
    batch = read_file(umap_file(tmp_path), types={"Lieux amis": "n-existe-pas"})
    assert {s.type for s in batch.records} == {"ligne-ecoute-nationale", "non-classe"}


def test_csv_columns_and_type_values(tmp_path: Path) -> None:
    path = tmp_path / "asso.csv"
    path.write_text("Nom;Catégorie;Ville;Remarque\n"
                    "Accueil A (démo);Hébergement;Mamoudzou;x\n"
                    "Accueil B (démo);Divers;Mamoudzou;y\n"
                    "Accueil C (démo);;Mamoudzou;z\n", encoding="utf-8")
    batch = read_file(path)
    assert batch.columns == (("Nom", "nom"), ("Catégorie", "type"), ("Ville", "commune"),
                             ("Remarque", IGNORE))
    assert batch.shape == shape_of(["Nom", "Catégorie", "Ville", "Remarque"])
    assert {(tv.value, tv.type) for tv in batch.type_values} == {
        ("Hébergement", "hebergement"), ("Divers", "non-classe"), ("", "non-classe")}
    again = read_file(path, types={"divers": "coordination-reseau", "": "urgence"},
                      columns={"Remarque": "description"})
    assert [s.type for s in again.records] == ["hebergement", "coordination-reseau", "urgence"]
    assert [s.description for s in again.records] == ["x", "y", "z"]
    assert ("Remarque", "description") in again.columns
