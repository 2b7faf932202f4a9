"""Export columns: keys and French headers shared with the spreadsheet importer, and cell values."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from pare_desktop.core import vocabulary
from pare_desktop.core.errors import PareError
from pare_desktop.core.hours_fr import summary_fr
from pare_desktop.core.phones import shown
from pare_desktop.core.records import VISIBILITY_PRO, Area, Structure

Cell = str | date | None
MULTI_SEPARATOR = " | "


@dataclass(frozen=True, slots=True)
class Column:
    """One exported column: its key (as in `--columns`), its header and how to read a record."""

    key: str
    header: str
    value: Callable[[Structure], Cell]
    confidential: bool = False  # only exported with include_confidential
    default: bool = True  # chosen unless asked for by key (machine formats a person need not read)


_LABELS = {
    kind: {t.slug: t.label for t in vocabulary.terms(kind)}
    for kind in ("type", "support", "public", "modality", "visibility", "status")
}


def label(kind: str, slug: str) -> str:
    """vocabulary.label through a dict (exports call it for every cell)."""
    return _LABELS[kind].get(slug, slug)


def _labels(kind: str, slugs: Sequence[str]) -> str:
    known = _LABELS[kind]
    return MULTI_SEPARATOR.join([known.get(s, s) for s in slugs])


def phones_text(s: Structure, confidential: bool) -> str:
    """Readable phones, "Standard : 02 62 12 34 56 | 119", in the local format.

    A number shown in international form ("+33 2 61...") gets the label "Tél." so that the cell never
    starts with "+", which a spreadsheet would read as a formula.
    """
    parts = []
    for p in s.phones:
        if p.confidential == confidential:
            text = shown(p, s.departement)
            label = p.label or ("Tél." if text.startswith(("+", "-", "=", "@")) else "")
            parts.append(f"{label} : {text}" if label else text)
    return MULTI_SEPARATOR.join(parts)


def phones_uri(s: Structure, include_confidential: bool) -> str:
    """Dialable phones as tel: URIs (E.164), "tel:+262262123456 | tel:119"."""
    return MULTI_SEPARATOR.join(
        f"tel:{p.number}" for p in s.phones if include_confidential or not p.confidential
    )


def area_text(area: Area) -> str:
    """The importer's "zone d'intervention" syntax: France | R84 | 974 | 97411."""
    parts = (["France"] if area.national else []) + [f"R{r}" for r in area.regions]
    return MULTI_SEPARATOR.join(parts + list(area.departements) + list(area.communes))


def _coord(v: float | None) -> str:
    return "" if v is None else f"{v:.6f}".rstrip("0").rstrip(".")


def _age(v: int | None) -> str:
    return "" if v is None else str(v)


COLUMNS: tuple[Column, ...] = (
    Column("identifiant", "identifiant", lambda s: s.id),
    Column("nom", "nom", lambda s: s.name),
    Column("type", "type", lambda s: label("type", s.type)),
    Column("accompagnements", "accompagnements", lambda s: _labels("support", s.supports)),
    Column("publics", "publics", lambda s: _labels("public", s.publics)),
    Column("modalites", "modalités", lambda s: _labels("modality", s.modalities)),
    Column("adresse", "adresse", lambda s: s.address),
    Column("complement_adresse", "complément d'adresse", lambda s: s.address2),
    Column("code_postal", "code postal", lambda s: s.postal_code),
    Column("commune", "commune", lambda s: s.commune),
    Column("code_insee", "code INSEE", lambda s: s.commune_code),
    Column("departement", "département", lambda s: s.departement),
    Column("latitude", "latitude", lambda s: _coord(s.latitude)),
    Column("longitude", "longitude", lambda s: _coord(s.longitude)),
    Column("telephones", "téléphones", lambda s: phones_text(s, False)),
    Column("telephones_pro", "téléphones professionnels", lambda s: phones_text(s, True), confidential=True),
    Column("telephones_tel", "téléphones à composer", lambda s: phones_uri(s, False)),
    Column("courriels", "courriels", lambda s: MULTI_SEPARATOR.join(s.emails)),
    Column("site_web", "site web", lambda s: s.website),
    Column("horaires", "heures d'ouverture", lambda s: summary_fr(s.opening_hours)),
    Column("horaires_osm", "horaires OSM", lambda s: s.opening_hours, default=False),
    Column("horaires_texte", "horaires texte", lambda s: s.hours_text),
    Column("description", "description", lambda s: s.description),
    Column("zone", "zone d'intervention", lambda s: area_text(s.area)),
    Column("age_min", "âge min", lambda s: _age(s.age_min)),
    Column("age_max", "âge max", lambda s: _age(s.age_max)),
    Column("visibilite", "visibilité", lambda s: label("visibility", s.visibility), confidential=True),
    Column(
        "adresse_confidentielle",
        "adresse confidentielle",
        lambda s: "oui" if s.address_visibility == VISIBILITY_PRO else "non",
        confidential=True,
    ),
    Column("date_maj", "date de mise à jour", lambda s: s.updated),
    Column("statut", "statut", lambda s: label("status", s.status)),
)

BY_KEY = {c.key: c for c in COLUMNS}


class UnknownColumnError(PareError):
    """A column key that `--columns` or the column chooser does not know."""

    def __init__(self, key: str) -> None:
        super().__init__(f"Colonne inconnue : « {key} ». Colonnes possibles : {', '.join(BY_KEY)}.")
        self.key = key


def select_columns(keys: Sequence[str] | None, include_confidential: bool) -> tuple[Column, ...]:
    """The columns asked for (all by default), in the order asked; confidential ones only when allowed."""
    if keys:
        chosen = []
        for k in keys:
            if k not in BY_KEY:
                raise UnknownColumnError(k)
            chosen.append(BY_KEY[k])
    else:
        chosen = [c for c in COLUMNS if c.default]
    if include_confidential:
        return tuple(_with_confidential_uris(chosen))
    return tuple(c for c in chosen if not c.confidential)


def _with_confidential_uris(cols: list[Column]) -> list[Column]:
    return [
        Column(c.key, c.header, lambda s: phones_uri(s, True)) if c.key == "telephones_tel" else c
        for c in cols
    ]
