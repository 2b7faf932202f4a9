"""CSV import: encodings, separators, header synonyms, rejects naming the line and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from pare_desktop.core.errors import ImportFormatError, ImportValidationError, require_valid
from pare_desktop.core.importers import detect_format, read_file

HEADER = "Nom de la structure;Type;Types d'accompagnement;Code postal;Commune;Téléphones;Zone d'intervention"
GOOD = "Maison des ados (démo);Santé – adolescents et psychisme (maisons des adolescents, CMP);" \
       "Écoute, information, orientation | soins-sante;97600;Mamoudzou;Accueil : 0269 61 00 00;976"


def write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "liste.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("sep", [";", ",", "\t"])
def test_encodings_and_separators(tmp_path: Path, encoding: str, sep: str) -> None:
    header = "Nom,Type,Code postal,Commune,Téléphone,Accompagnements".replace(",", sep)
    row = ["Éducation à l'écoute (démo)", "aide-victimes-droit", "75001", "Paris", "01 99 00 12 34",
           '"Écoute, information, orientation"']
    path = write(tmp_path, header + "\r\n" + sep.join(row) + "\r\n", encoding)
    assert detect_format(path) == "csv"
    batch = read_file(path)
    assert not batch.rejects
    (s,) = batch.records
    assert s.name == "Éducation à l'écoute (démo)"
    assert s.commune_code == "75056" or s.departement == "75"
    assert s.supports == ("ecoute-information-orientation",)
    assert s.phones[0].number == "+33199001234"
    assert batch.fmt == "csv" and batch.total_rows == 1 and batch.source == "liste"


def test_overseas_row_is_placed_at_its_commune(tmp_path: Path) -> None:
    batch = read_file(write(tmp_path, HEADER + "\n" + GOOD + "\n"), source="pare")
    (s,) = batch.records
    assert (s.commune_code, s.departement, s.timezone) == ("97611", "976", "Indian/Mayotte")
    assert s.position_exact is False and s.latitude is not None
    assert s.phones[0].label == "Accueil" and s.phones[0].number == "+262269610000"
    assert s.type == "sante-ado-psy" and s.area.departements == ("976",)
    assert s.id.startswith("pare:h-")
    again = read_file(write(tmp_path, HEADER + "\n" + GOOD + "\n", name="b.csv"), source="pare")
    assert again.records[0].id == s.id  # the hash id is stable


def test_broken_rows_are_rejected_with_line_and_field(tmp_path: Path) -> None:
    text = "\n".join([
        HEADER,
        GOOD,
        ";urgence;;97600;Mamoudzou;;976",  # line 3: no name
        "Type inconnu (démo);navire;;97600;Mamoudzou;;976",  # line 4: unknown type -> « Non classé »
        "Mauvais numéro (démo);urgence;;97600;Mamoudzou;0269 61;976",  # line 5
        '"Sur deux\nlignes (démo)";urgence;;976;Mamoudzou;;976',  # line 6-7: bad postal code
    ]) + "\n"
    batch = read_file(write(tmp_path, text))
    by_line = {(r.location, r.field): r.reason for r in batch.rejects}
    assert by_line[("ligne 3", "nom")] == "le nom est obligatoire"
    assert not any(location == "ligne 4" for location, _ in by_line)
    assert by_line[("ligne 5", "téléphone")] == "numéro de téléphone invalide : « 0269 61 »"
    assert by_line[("ligne 6", "code postal")] == "code postal invalide : « 976 » (5 chiffres)"
    assert [s.type for s in batch.records][1:] == ["non-classe"]
    assert any("« navire » (1)" in w for w in batch.warnings)
    assert batch.total_rows == 5
    with pytest.raises(ImportValidationError) as info:
        require_valid(batch)
    assert "ligne 3" in info.value.message


def test_unknown_insee_code(tmp_path: Path) -> None:
    path = write(tmp_path, "nom;type;code insee\nA (démo);urgence;99999\n")
    (reject,) = read_file(path).rejects
    expected = ("ligne 2", "code INSEE", "code INSEE inconnu : « 99999 »")
    assert (reject.location, reject.field, reject.reason) == expected


def test_values_checked(tmp_path: Path) -> None:
    path = write(tmp_path, "nom;type;latitude;longitude;courriel;site web;âge min;âge max;visibilité;"
                           "adresse confidentielle;date de mise à jour;statut\n"
                           "A (démo);urgence;91;2;pas-un-mail;javascript:alert(1);20;10;secret;peut-être;"
                           "31/02/2024;ouvert\n")
    fields = {r.field for r in read_file(path).rejects}
    assert fields == {"latitude", "courriel", "site web", "âge max", "visibilité", "adresse confidentielle",
                      "date de mise à jour"}


def test_all_fields(tmp_path: Path) -> None:
    path = write(tmp_path, "identifiant;nom;type;publics;modalités;adresse;complément d'adresse;code insee;"
                           "latitude;longitude;e-mail;site web;horaires (OSM);horaires (texte);description;"
                           "zone d'intervention;visibilité;adresse confidentielle;âge min;âge max;"
                           "date de mise à jour;statut;téléphones confidentiels\n"
                           "abc-1;Foyer (démo);hebergement;mineurs-victimes|Parents et proches;"
                           "Sur rendez-vous;1 rue X;bât. B;97411;-20,88;55,45;a@example.org;www.example.org;"
                           "Mo-Fr 09:00-17:00;"
                           "le mercredi;Texte;R84, 976, France;professionnels;oui;12;17;2024-05-01;"
                           "Fermée temporairement;Nuit : 0262 12 34 56\n")
    batch = read_file(path, source="src")
    assert not batch.rejects
    (s,) = batch.records
    assert s.id == "src:abc-1" and s.departement == "974" and s.position_exact
    assert s.publics == ("mineurs-victimes", "parents-proches") and s.modalities == ("sur-rendez-vous",)
    assert s.area.national and s.area.regions == ("84",) and s.area.departements == ("976",)
    assert s.visibility == "pro" and s.address_visibility == "pro" and s.status == "temporarily_closed"
    assert s.website == "https://www.example.org" and s.phones[0].confidential
    assert (s.age_min, s.age_max, s.updated.isoformat() if s.updated else "") == (12, 17, "2024-05-01")


def test_hostile_text_kept_verbatim(tmp_path: Path) -> None:
    name = "<img src=x onerror=alert(1)> ${7*7} '\"; DROP TABLE"
    path = write(tmp_path, f"nom;type;description\n\"{name.replace(chr(34), chr(34) * 2)}\";urgence;"
                           "\"=HYPERLINK(\"\"http://x\"\")\x07\"\n")
    (s,) = read_file(path).records
    assert s.name == name
    assert s.description == '=HYPERLINK("http://x")'  # control character removed, text kept as text


def test_file_without_name_column(tmp_path: Path) -> None:
    with pytest.raises(ImportFormatError) as info:
        read_file(write(tmp_path, "foo;bar\n1;2\n"))
    assert "liste.csv" in info.value.message and "nom" in info.value.message


def test_duplicate_identifiers(tmp_path: Path) -> None:
    path = write(tmp_path, "identifiant;nom;type\n1;A (démo);urgence\n1;B (démo);urgence\n")
    (reject,) = read_file(path).rejects
    assert reject.location == "ligne 3" and "ligne 2" in reject.reason
