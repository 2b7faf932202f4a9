"""data·inclusion import: v1 structures with their services, v0 names, JSON lines, services-only files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pare_desktop.core.errors import ImportFormatError
from pare_desktop.core.importers import detect_format, read_file
from pare_desktop.core.importers.datainclusion import merge_services

STRUCTURE: dict[str, Any] = {
    "source": "pare", "id": "pare--1", "nom": "Maison des adolescents (démo)", "date_maj": "2025-01-15",
    "code_insee": "97611", "adresse": "1 rue de la Démo", "telephone": "0269 61 00 00",
    "courriel": "mda@example.org", "site_web": "https://example.org", "horaires_accueil": "Mo-Fr 08:00-16:00",
    "reseaux_porteurs": ["cmp"],
}
SERVICE: dict[str, Any] = {
    "source": "pare", "id": "pare--s1", "structure_id": "pare--1", "nom": "Écoute des jeunes",
    "description": "Écoute et orientation", "date_maj": "2025-01-15", "type": "information",
    "thematiques": ["sante--sante-mentale", "famille--soutien-a-la-parentalite-et-a-leducation"],
    "publics": ["jeunes"], "modes_accueil": ["en-presentiel", "a-distance"], "zone_eligibilite": ["976"],
    "mobilisable_par": ["usagers", "professionnels"], "frais": "gratuit",
}


def write(tmp_path: Path, items: list[Any], name: str = "di.json", lines: bool = False) -> Path:
    path = tmp_path / name
    text = "\n".join(json.dumps(i) for i in items) if lines else json.dumps(items)
    path.write_text(text, encoding="utf-8")
    return path


def test_structures_and_services_in_one_file(tmp_path: Path) -> None:
    path = write(tmp_path, [STRUCTURE, SERVICE])
    assert detect_format(path) == "datainclusion"
    batch = read_file(path)
    assert not batch.rejects and batch.source == "pare" and not batch.services_only
    (s,) = batch.records
    assert s.id == "pare:pare--1" and s.type == "sante-ado-psy" and s.departement == "976"
    assert s.supports == (
        "soutien-psychologique", "soutien-parents-proches", "ecoute-information-orientation")
    assert s.publics == ("mineurs-en-risque", "jeunes-majeurs")
    assert set(s.modalities) == {"accueil-physique", "en-ligne", "telephone", "gratuit", "acces-direct"}
    assert s.area.departements == ("976",) and s.opening_hours == "Mo-Fr 08:00-16:00"
    assert s.updated is not None and s.phones[0].number == "+262269610000"


def test_json_lines_and_schema_errors(tmp_path: Path) -> None:
    bad = dict(STRUCTURE, id="pare--2", nom="X", courriel="pas un courriel")
    path = write(tmp_path, [STRUCTURE, bad, dict(SERVICE, structure_id="ailleurs")], "di.jsonl", lines=True)
    batch = read_file(path)
    assert len(batch.records) == 1
    problems = {(r.location, r.field) for r in batch.rejects}
    assert problems == {("ligne 2", "nom"), ("ligne 2", "courriel"), ("ligne 3", "structure_id")}
    assert any("trop court" in r.reason for r in batch.rejects)


def test_v0_names(tmp_path: Path) -> None:
    v0_structure = {"source": "vieux", "id": "v0-1", "nom": "CSAPA (démo)", "date_maj": "2023-06-01",
                    "typologie": "CSAPA", "code_postal": "75001", "commune": "Paris"}
    v0_service = {"source": "vieux", "id": "v0-s1", "structure_id": "v0-1", "nom": "Consultations jeunes",
                  "date_maj": "2023-06-01", "profils": ["jeunes-16-26", "familles-enfants"],
                  "thematiques": ["sante--addictions"], "zone_diffusion_type": "region",
                  "zone_diffusion_code": "11"}
    batch = read_file(write(tmp_path, [v0_structure, v0_service]))
    assert not batch.rejects
    (s,) = batch.records
    assert s.type == "addictions" and s.departement == "75"
    assert s.publics == ("jeunes-majeurs", "parents-proches") and s.area.regions == ("11",)


def test_services_only_file_enriches(tmp_path: Path) -> None:
    structures = read_file(write(tmp_path, [STRUCTURE], "s.json"))
    services = read_file(write(tmp_path, [SERVICE], "services.json"))
    assert services.services_only and services.records[0].id == structures.records[0].id
    merged = merge_services(structures.records[0], services.records[0])
    assert "soutien-psychologique" in merged.supports and merged.name == STRUCTURE["nom"]


def test_not_json(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text('[\n{"id": "a", "nom": "b"},\n{"id": oops}\n]', encoding="utf-8")
    with pytest.raises(ImportFormatError) as info:
        read_file(path)
    assert "export.json" in info.value.message and "ligne 3" in info.value.message


def test_broken_json_line(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text(json.dumps(STRUCTURE) + "\n{broken\n", encoding="utf-8")
    with pytest.raises(ImportFormatError) as info:
        read_file(path, "datainclusion")
    assert info.value.line == 2


# --- JSON lines are streamed (twice), never read whole ---------------------------------------------------

def _summary(batch: Any) -> tuple[Any, ...]:
    # the same problems, but located by line or by position ("déjà utilisé ligne 1" / "structure n° 1")
    rejects = sorted((r.field, r.reason.split(" (déjà utilisé")[0], tuple(sorted(r.raw.items())))
                     for r in batch.rejects)
    return batch.records, rejects, batch.total_rows, batch.source, batch.services_only


def test_json_lines_read_like_the_same_json_list(tmp_path: Path) -> None:
    items: list[Any] = [
        STRUCTURE, SERVICE, dict(SERVICE, id="pare--s2", structure_id="ailleurs"), [1, 2],
        dict(STRUCTURE, id="pare--2", nom="X"), dict(STRUCTURE, id="pare--3", code_insee="99999"),
        dict(SERVICE, id="pare--s3", structure_id="pare--3"), dict(STRUCTURE, id="pare--1"),
    ]
    listed = read_file(write(tmp_path, items, "di.json"))
    streamed = read_file(write(tmp_path, items, "di.jsonl", lines=True))
    assert _summary(streamed) == _summary(listed)
    assert len(streamed.records) == 1 and streamed.records[0].supports
    where = {(r.location, r.field) for r in streamed.rejects}
    assert {("ligne 3", "structure_id"), ("ligne 4", "structure"), ("ligne 5", "nom"),
            ("ligne 6", "code INSEE"), ("ligne 8", "identifiant")} <= where
    orphan = next(r for r in streamed.rejects if r.field == "structure_id")
    assert orphan.raw["id"] == "pare--s2" and orphan.raw["thematiques"].startswith("sante--sante-mentale | ")


def test_json_lines_are_not_limited_like_a_json_document(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from pare_desktop.core.importers import jsonio

    lines = write(tmp_path, [STRUCTURE, SERVICE], "di.jsonl", lines=True)
    document = write(tmp_path, [STRUCTURE, SERVICE], "di.json")
    monkeypatch.setattr(jsonio, "MAX_BYTES", 100)
    monkeypatch.setattr(jsonio, "load_json_or_lines", None)  # never used for JSON lines
    assert detect_format(lines) == "datainclusion"
    assert len(read_file(lines).records) == 1
    monkeypatch.undo()
    monkeypatch.setattr(jsonio, "MAX_BYTES", 100)
    with pytest.raises(ImportFormatError, match="trop volumineux"):
        read_file(document)


def test_services_only_json_lines(tmp_path: Path) -> None:
    batch = read_file(write(tmp_path, [SERVICE, dict(SERVICE, id="pare--s2", structure_id="pare--9")],
                            "services.jsonl", lines=True))
    assert batch.services_only and [r.source_id for r in batch.records] == ["pare--1", "pare--9"]
    assert batch.records[0].name == SERVICE["nom"] and "telephone" not in batch.records[0].modalities


def test_json_line_with_a_line_separator_in_a_string(tmp_path: Path) -> None:
    path = tmp_path / "di.jsonl"
    path.write_text(json.dumps(dict(STRUCTURE, description="Écoute\u2028des jeunes"), ensure_ascii=False)
                    + "\r\n\r\n" + json.dumps(SERVICE) + "\r\n", encoding="utf-8-sig")
    batch = read_file(path)
    assert not batch.rejects and batch.records[0].description == "Écoute\u2028des jeunes"


def test_the_same_services_again_copy_nothing(tmp_path: Path) -> None:
    (structure,) = read_file(write(tmp_path, [STRUCTURE, SERVICE], "both.json")).records
    (enrichment,) = read_file(write(tmp_path, [SERVICE], "services.json")).records
    assert merge_services(structure, enrichment) is structure
    other = read_file(write(tmp_path, [dict(SERVICE, thematiques=["sante--addictions"])], "other.json"))
    merged = merge_services(structure, other.records[0])
    assert merged is not structure and merged.supports[: len(structure.supports)] == structure.supports
