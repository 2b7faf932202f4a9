"""Files shaped like the real ones (open data, helplines, uMap, data·inclusion, LibreOffice), imported.

The files are in tests/core/importers/data/ (all records fictional, « (démo) », fiction phone blocks but for
the real national helplines).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook

from pare_desktop.core.directory import Directory
from pare_desktop.core.importers import read_file
from pare_desktop.core.importers.column_map import (
    DAY_HOURS,
    IGNORE,
    MappingStore,
    headers_of,
    shape_of,
    suggest,
)
from pare_desktop.core.importers.day_hours import hours_from_days

DATA = Path(__file__).parent / "data"


def by_name(batch: object) -> dict[str, object]:
    return {s.name: s for s in batch.records}  # type: ignore[attr-defined]


def test_open_data_csv_with_its_own_column_names() -> None:
    batch = read_file(DATA / "france_services.csv")
    assert not batch.rejects and len(batch.records) == 10
    s = by_name(batch)
    paris = s["France services Paris 7e (démo)"]
    # arrondissement 75107 -> Paris, its postal code kept; per-day hours as OSM hours
    assert (paris.commune_code, paris.postal_code, paris.departement) == ("75056", "75007", "75")
    assert paris.opening_hours == ("Mo,Tu 09:00-12:00,13:30-17:00; We 09:00-12:00; "
                                   "Th,Fr 09:00-12:00,13:30-17:00")
    assert paris.source_id == "fs-0001" and paris.emails == ("paris7@example.org",)
    marseille = s["France services Marseille 1er (démo)"]
    assert marseille.commune_code == "13055" and marseille.emails == ("marseille@example.org",
                                                                      "accueil@example.org")
    assert s["France services Lyon 1er (démo)"].commune_code == "69123"
    assert s["France services Cordieux (démo)"].commune_code == "01262"  # merged into Montluel
    assert s["France services Pointe-à-Pitre (démo)"].longitude == -61.5331
    mamoudzou = s["France services Mamoudzou (démo)"]
    assert [p.display for p in mamoudzou.phones] == ["0269 61 00 00", "06 12 34 56 78"]
    assert s["France services Nouméa (démo)"].phones[0].number == "+687281234"
    online = s["France services en ligne (démo)"]
    assert online.phones[0].number == "+33800059595" and online.hours_text == "Lundi : sur rendez-vous"
    # no type column: « Non classé », said once
    assert {r.type for r in batch.records} == {"non-classe"}
    assert batch.warnings == ("10 fiche(s) sans type classée(s) « Non classé ».",)


def test_national_helplines_keep_their_numbers() -> None:
    batch = read_file(DATA / "national_lines.csv")
    assert not batch.rejects
    numbers = {s.name: (s.phones[0].number, s.phones[0].display) for s in batch.records}
    assert numbers["France Victimes"] == ("116006", "116 006")
    assert numbers["Numéro national de prévention du suicide"] == ("3114", "3114")
    assert numbers["Numéro européen pour l'enfance"] == ("116111", "116 111")
    assert numbers["Maltraitance des personnes âgées et handicapées"] == ("3977", "3977")
    assert numbers["Viols Femmes Informations"] == ("+33800059595", "0 800 05 95 95")
    assert numbers["Fil Santé Jeunes"][0] == "+33800235236"
    assert all(s.area.national for s in batch.records)


def test_csv_saved_by_libreoffice() -> None:
    batch = read_file(DATA / "libreoffice_saved.csv")
    assert not batch.rejects
    s = by_name(batch)
    basse_terre = s["Accueil jeunes Basse-Terre (démo)"]
    assert basse_terre.updated is not None and basse_terre.updated.isoformat() == "2026-11-01"
    assert basse_terre.longitude == -61.7255 and basse_terre.phones[0].number == "+590590811234"
    brest = s["Écoute Bretagne (démo)"]
    assert brest.type == "ligne-ecoute-nationale"  # « Écoute », a synonym
    assert brest.emails == ("a@example.org", "b@example.org") and str(brest.updated) == "2025-03-15"
    assert s["Maison des ados Cayenne (démo)"].type == "sante-ado-psy"


def test_umap_map_as_drawn() -> None:
    batch = read_file(DATA / "carte_terrain.umap")
    assert not batch.rejects
    s = by_name(batch)
    assert s["Écoute jeunes Paris (démo)"].type == "ligne-ecoute-nationale"
    assert s["Écoute Pointe-à-Pitre (démo)"].departement == "971"  # name under « nom_lieu »
    assert s["Mise à l'abri Saint-Denis (démo)"].type == "hebergement"  # « title », layer « Hébergement / … »
    assert s["Collectif jeunesse Mamoudzou (démo)"].type == "non-classe"
    assert len(batch.records) == 4 and batch.total_rows == 6
    unclassified, skipped, remote = batch.warnings
    assert "« Divers » (1)" in unclassified
    assert skipped.startswith("2 élément(s) ignoré(s) : lignes, zones")
    assert "adresse distante" in remote and "https://example.org/lieux.geojson" in remote


def test_datainclusion_api_page() -> None:
    batch = read_file(DATA / "di_api_page.json")
    assert not batch.rejects
    types = {s.name: s.type for s in batch.records}
    assert types == {"CSAPA du Nord (démo)": "addictions",  # its own name tells
                     "Maison des adolescents de Guyane (démo)": "sante-ado-psy",
                     "Centre social des Lilas (démo)": "non-classe"}  # nothing tells: not « coordination »
    lilas = by_name(batch)["Centre social des Lilas (démo)"]
    assert lilas.commune_code == "75056"


def test_datainclusion_v0_fields() -> None:
    batch = read_file(DATA / "di_v0.json")
    assert not batch.rejects
    s = by_name(batch)
    point = s["Point accueil (démo)"]
    assert point.description == ("Accueil et information juridique.\n\nPermanences d'avocats et de juristes, "
                                 "sur rendez-vous.")
    assert point.opening_hours == "Mo-Th 08:00-12:00" and point.type == "aide-victimes-droit"
    day = s["Accueil de jour (démo)"]
    # not OSM, but French a reader understands: turned into hours (shown in French, « ouvert maintenant »)
    assert day.opening_hours == "Mo-Fr 09:00-17:00" and day.hours_text == ""
    assert day.type == "hebergement" and "mise-a-l-abri" in day.supports


def _template(path: Path) -> Path:
    """The producer template's shape: field names, then a row describing them, then data."""
    book = Workbook()
    sheet = book.active
    sheet.title = "structures"
    sheet.append(["id", "nom", "date_maj", "code_postal", "commune", "telephone", "source", "description"])
    sheet.append(["Identifiant unique de la structure", "Nom de la structure", "Date de dernière mise à jour",
                  "Code postal", "Commune", "Téléphone", "Source des données", "Présentation"])
    sheet.append(["tpl-1", "Lieu d'écoute Cayenne (démo)", "2025-09-01", "97300", "Cayenne", "0594 10 12 34",
                  "modele", "Accueil des jeunes"])
    sheet.append(["tpl-2", "Accueil Brest (démo)", "2025-09-01", "29200", "Brest", "", "modele", ""])
    services = book.create_sheet("services")
    services.append(["id", "structure_id", "nom", "description", "date_maj", "source", "thematiques",
                     "publics"])
    services.append(["Identifiant du service", "Identifiant de la structure", "Nom", "Description", "Date",
                     "Source", "Thématiques, séparées par des virgules", "Publics"])
    services.append(["tpl-s1", "tpl-1", "Écoute", "Écoute et soutien", "2025-09-01", "modele",
                     "sante--sante-mentale, famille--soutien-aidants", "jeunes"])
    book.save(path)
    return path


def test_datainclusion_producer_template(tmp_path: Path) -> None:
    batch = read_file(_template(tmp_path / "dataset.xlsx"))
    assert not batch.rejects and batch.fmt == "xlsx"
    s = by_name(batch)
    cayenne = s["Lieu d'écoute Cayenne (démo)"]
    assert cayenne.type == "sante-ado-psy" and cayenne.departement == "973"
    assert cayenne.supports == ("soutien-psychologique", "soutien-parents-proches")
    assert s["Accueil Brest (démo)"].type == "non-classe"


def test_datainclusion_structures_then_services_are_retyped(tmp_path: Path) -> None:
    structure = {"source": "deux", "id": "d-1", "nom": "Lieu ressource (démo)", "date_maj": "2025-01-01",
                 "code_postal": "97600", "commune": "Mamoudzou"}
    service = {"source": "deux", "id": "d-s1", "structure_id": "d-1", "nom": "Addictologie", "date_maj":
               "2025-01-01", "description": "Consultations", "thematiques": ["sante--addictions"]}
    (tmp_path / "structures.json").write_text(json.dumps([structure]), encoding="utf-8")
    (tmp_path / "services.json").write_text(json.dumps([service]), encoding="utf-8")
    directory = Directory.open(tmp_path / "pare.sqlite", seed_demo=False)
    try:
        first = read_file(tmp_path / "structures.json")
        assert first.records[0].type == "non-classe"
        directory.import_batch(first)
        directory.import_batch(read_file(tmp_path / "services.json"))
        merged = directory.get("deux:d-1")
        assert merged is not None and merged.type == "addictions" and "soins-sante" in merged.supports
    finally:
        directory.close()


def test_day_hours() -> None:
    assert hours_from_days({"Mo": "09:00 - 12:00 / 13:30 - 17:00", "Tu": "09:00 - 12:00 / 13:30 - 17:00",
                            "We": "9h-12h", "Sa": "fermé"}) == (
        "Mo,Tu 09:00-12:00,13:30-17:00; We 09:00-12:00", "")
    assert hours_from_days({d: "8h30 à 12h et 14h à 17h" for d in ("Mo", "Tu", "We", "Th", "Fr")}) == (
        "Mo-Fr 08:30-12:00,14:00-17:00", "")
    assert hours_from_days({"Mo": "le matin"}) == ("", "Lundi : le matin")
    assert hours_from_days({"Mo": ""}) == ("", "")


def test_column_mapping_remembered_per_shape(tmp_path: Path) -> None:
    path = tmp_path / "export_asso.csv"
    path.write_text("Structure accueillante;Catégorie;Ville;Numéro;Notes internes;h_lundi\n"
                    "Lieu d'accueil (démo);Hébergement;Mamoudzou;0269 61 00 00;à rappeler;9h-12h\n",
                    encoding="utf-8")
    headers = headers_of(path)
    auto = suggest(headers)
    assert auto["Ville"] == "commune" and auto["Catégorie"] == "type" and auto["h_lundi"] == DAY_HOURS
    assert auto["Structure accueillante"] == IGNORE  # not a known name: the user maps it
    with pytest.raises(Exception, match="colonne « nom »"):
        read_file(path)
    choice = dict(auto, **{"Structure accueillante": "nom", "Numéro": "telephones"})
    store = MappingStore(tmp_path / "colonnes.json")
    store.remember(shape_of(headers), choice)
    # the next file of the same shape (columns in another order, other case) gets the same mapping
    other = tmp_path / "export_asso_2.csv"
    other.write_text("ville;structure accueillante;catégorie;numéro;notes internes;H_LUNDI\n"
                     "Cayenne;Lieu 2 (démo);Addictions;0594 10 12 34;;\n", encoding="utf-8")
    remembered = store.get(shape_of(headers_of(other)))
    assert remembered == choice
    first = read_file(path, columns=choice)
    assert [(s.name, s.type, s.phones[0].number, s.opening_hours) for s in first.records] == [
        ("Lieu d'accueil (démo)", "hebergement", "+262269610000", "Mo 09:00-12:00")]
    # a mapping keyed by the first file's headers reads a file whose headers differ in case only
    (second,) = read_file(other, columns=remembered).records
    assert (second.name, second.type) == ("Lieu 2 (démo)", "addictions")


def test_rejects_of_a_real_file_reimport_as_they_are(tmp_path: Path) -> None:
    from pare_desktop.core.importers import write_rejects

    source = tmp_path / "terrain.csv"
    shutil.copy(DATA / "libreoffice_saved.csv", source)
    text = source.read_text(encoding="utf-8").replace("accueil@example.org", "accueil@")
    source.write_text(text, encoding="utf-8")
    batch = read_file(source)
    assert batch.rejected_rows == 1
    rejects = tmp_path / "rejets.csv"
    write_rejects(rejects, batch)
    fixed = rejects.read_text(encoding="utf-8-sig").replace("accueil@;", "accueil@example.org;")
    rejects.write_text(fixed, encoding="utf-8-sig")
    (again,) = read_file(rejects).records
    assert again.longitude == -61.7255 and again.phones[0].number == "+590590811234"
