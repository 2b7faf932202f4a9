"""Canonical field names of an imported row and the French column headers (with synonyms) naming them."""

from __future__ import annotations

import re
from collections.abc import Iterable

from pare_desktop.core.text import fold

#: canonical key -> (label shown in messages, accepted headers once folded by `header_key`)
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "identifiant": ("identifiant", ("identifiant", "id", "identifiant source", "reference", "ref", "id fs",
                                   "id structure", "identifiant structure", "code structure", "uid")),
    "nom": ("nom", (
        "nom", "nom de la structure", "structure", "name", "raison sociale", "intitule", "lib fs",
        "nom structure", "nom fs", "libelle", "libelle structure", "lib structure", "nom etablissement",
        "denomination", "nom du lieu", "nom lieu", "title", "titre", "appellation")),
    "type": ("type", ("type", "type de structure", "types de structure", "categorie", "typologie",
                    "type structure", "categorie structure", "type etablissement", "famille")),
    "accompagnements": ("accompagnements", (
        "accompagnements", "accompagnement", "types d accompagnement", "type d accompagnement",
        "types d accompagnements", "prestations")),
    "publics": ("publics", ("publics", "public", "public accueilli", "publics accueillis", "public cible")),
    "modalites": ("modalités", ("modalites", "modalite", "modalites d accueil", "modalites d acces")),
    "adresse": ("adresse", ("adresse", "adresse postale", "address", "rue", "voie", "adresse 1", "adresse1",
                          "numero et voie", "adr", "adresse ligne 1")),
    "complement_adresse": ("complément d'adresse", (
        "complement d adresse", "complement adresse", "adresse 2", "adresse complement", "complement")),
    "code_postal": ("code postal", ("code postal", "cp", "postal code", "code postal commune", "codepostal",
                                  "code post", "cp commune", "postcode", "zip")),
    "commune": ("commune", ("commune", "ville", "localite", "nom de la commune", "lib com", "libelle commune",
                          "nom commune", "nom com", "lib commune", "city")),
    "code_insee": ("code INSEE", ("code insee", "insee", "code commune", "code insee commune", "code_insee",
                                "insee com", "code com", "com insee", "code commune insee", "codgeo",
                                "depcom", "cog", "citycode")),
    "departement": ("département", ("departement", "code departement", "dept", "dep", "departement code",
                                  "insee dep", "code dep", "num dep", "code dept", "dep code")),
    "latitude": ("latitude", ("latitude", "lat", "coord lat", "latitude wgs84", "geo lat")),
    "longitude": ("longitude", (
        "longitude", "lon", "lng", "long", "coord lon", "longitude wgs84", "geo lon")),
    "telephones": ("téléphone", (
        "telephone", "telephones", "tel", "numero de telephone", "numeros de telephone", "phone",
        "num tel", "numero tel", "tel fixe", "telephone fixe", "standard")),
    "telephones_pro": ("téléphones professionnels", (
        "telephone professionnel", "telephones professionnels", "telephone confidentiel",
        "telephones confidentiels", "telephone pro", "telephones pro")),
    "courriels": ("courriel", (
        "courriel", "courriels", "e mail", "e mails", "email", "emails", "mail", "adresse electronique",
        "adresse mail", "adresse courriel", "mel", "mails")),
    "site_web": ("site web", ("site web", "site internet", "site", "url", "web", "website", "lien",
                            "url site", "adresse site")),
    "horaires_osm": ("horaires (OSM)", ("horaires osm", "opening hours", "horaires format osm")),
    "horaires_fr": ("heures d'ouverture", ("heures d ouverture", "jours et heures d ouverture")),
    "horaires_texte": ("horaires (texte)", (
        "horaires texte", "horaires", "horaires d ouverture", "horaires en clair")),
    "description": ("description", ("description", "presentation", "descriptif", "presentation resume",
                                  "presentation detail", "commentaire", "commentaires", "observations")),
    "zone": ("zone d'intervention", (
        "zone d intervention", "zone", "territoire d intervention", "perimetre", "perimetre d intervention")),
    "visibilite": ("visibilité", ("visibilite", "visibilite de la fiche", "diffusion")),
    "adresse_confidentielle": ("adresse confidentielle", (
        "adresse confidentielle", "adresse masquee", "adresse non publique")),
    "age_min": ("âge min", ("age min", "age minimum", "age minimal")),
    "age_max": ("âge max", ("age max", "age maximum", "age maximal")),
    "date_maj": ("date de mise à jour", (
        "date de mise a jour", "mise a jour", "date maj", "mis a jour le", "derniere mise a jour")),
    "statut": ("statut", ("statut", "etat")),
}

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def header_key(text: str) -> str:
    """A header or value reduced for comparison: accents and case folded, punctuation as single spaces."""
    return _NON_ALNUM.sub(" ", fold(text).replace("_", " ")).strip()


_BY_HEADER: dict[str, str] = {header_key(h): key for key, (_, hs) in FIELDS.items() for h in hs}


def field_for_header(header: str) -> str | None:
    """The canonical key a column header names, or None for a column we do not read."""
    return _BY_HEADER.get(header_key(header))


def field_label(key: str) -> str:
    return FIELDS[key][0] if key in FIELDS else key


def map_headers(headers: Iterable[str]) -> dict[str, str]:
    """Original header -> canonical key, for the headers we read (the first column wins on duplicates)."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for h in headers:
        key = field_for_header(h)
        if key is not None and key not in taken:
            out[h] = key
            taken.add(key)
    return out
