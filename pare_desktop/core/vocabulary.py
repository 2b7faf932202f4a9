"""The directory's controlled vocabulary: stable slug ids with French labels."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Term:
    """One value of a vocabulary: a stable slug and its French label."""

    slug: str
    label: str
    short: str = ""

    @property
    def short_label(self) -> str:
        return self.short or self.label


STRUCTURE_TYPES: tuple[Term, ...] = (
    # short label without « nationale »: the « national » badge says it, and it never reads beside a commune
    Term("ligne-ecoute-nationale", "Ligne d'écoute nationale", "Ligne d'écoute"),
    Term("urgence", "Urgence"),
    Term("protection-enfance", "Protection de l'enfance (CRIP, ASE, PMI)", "Protection de l'enfance"),
    Term("justice", "Justice (parquet des mineurs, PJJ, juge des enfants)", "Justice"),
    Term("forces-ordre", "Forces de l'ordre (brigades et maisons de protection des familles)",
         "Forces de l'ordre"),
    Term("sante-hopital", "Santé – hôpital (UAPED)", "Hôpital (UAPED)"),
    Term("sante-ado-psy", "Santé – adolescents et psychisme (maisons des adolescents, CMP)",
         "Adolescents et psychisme"),
    Term("sante-sexuelle", "Santé sexuelle (CeGIDD)", "Santé sexuelle"),
    Term("addictions", "Addictions (CSAPA, CAARUD)", "Addictions"),
    Term("association-specialisee", "Association spécialisée (exploitation sexuelle, prostitution)",
         "Association spécialisée"),
    Term("prevention-specialisee", "Prévention spécialisée et aller-vers (rue, numérique)",
         "Prévention spécialisée"),
    Term("hebergement", "Hébergement, mise à l'abri, éloignement", "Hébergement"),
    Term("education-nationale", "Éducation nationale"),
    Term("aide-victimes-droit", "Aide aux victimes et accès au droit", "Aide aux victimes"),
    Term("coordination-reseau", "Coordination et réseau territorial", "Coordination"),
    Term("non-classe", "Non classé"),
)
#: The type of an imported record whose file names no type we recognise (see importers/classify.py).
UNCLASSIFIED_TYPE = "non-classe"

SUPPORT_TYPES: tuple[Term, ...] = (
    Term("ecoute-information-orientation", "Écoute, information, orientation", "Écoute"),
    Term("reperage-aller-vers", "Repérage et aller-vers", "Aller-vers"),
    Term("accompagnement-socio-educatif", "Accompagnement socio-éducatif", "Socio-éducatif"),
    Term("soutien-parents-proches", "Soutien aux parents et proches", "Parents et proches"),
    Term("soins-sante", "Soins et santé", "Soins"),
    Term("soutien-psychologique", "Soutien psychologique et psychotrauma", "Psychotrauma"),
    Term("accompagnement-juridique", "Accompagnement juridique et judiciaire", "Juridique"),
    Term("signalement-protection", "Signalement et protection", "Signalement"),
    Term("mise-a-l-abri", "Mise à l'abri, hébergement, éloignement", "Mise à l'abri"),
    Term("prevention-jeunes", "Prévention auprès des jeunes", "Prévention"),
    Term("formation-professionnels", "Formation des professionnels", "Formation"),
    Term("appui-professionnels", "Appui aux professionnels", "Appui aux pros"),
    Term("coordination-reseau", "Coordination et mise en réseau", "Coordination"),
)

PUBLICS: tuple[Term, ...] = (
    Term("mineurs-victimes", "Mineurs victimes"),
    Term("mineurs-en-risque", "Mineurs en risque"),
    Term("jeunes-majeurs", "Jeunes majeurs (18–25 ans)", "Jeunes majeurs"),
    Term("parents-proches", "Parents et proches"),
    Term("professionnels", "Professionnels"),
)

MODALITIES: tuple[Term, ...] = (
    Term("accueil-physique", "Accueil physique"),
    Term("telephone", "Téléphone"),
    Term("tchat", "Tchat, messagerie", "Tchat"),
    Term("en-ligne", "En ligne"),
    Term("aller-vers", "Aller-vers"),
    Term("acces-direct", "Accès direct"),
    Term("sur-orientation", "Sur orientation"),
    Term("sur-rendez-vous", "Sur rendez-vous"),
    Term("gratuit", "Gratuit"),
    Term("anonymat", "Anonymat possible"),
)

VISIBILITIES: tuple[Term, ...] = (
    Term("public", "Public"),
    Term("pro", "Professionnels uniquement"),
)

STATUSES: tuple[Term, ...] = (
    Term("active", "En activité"),
    Term("temporarily_closed", "Fermée temporairement"),
    Term("closed", "Fermée"),
)

_ALL = {
    "type": STRUCTURE_TYPES,
    "support": SUPPORT_TYPES,
    "public": PUBLICS,
    "modality": MODALITIES,
    "visibility": VISIBILITIES,
    "status": STATUSES,
}


def terms(kind: str) -> tuple[Term, ...]:
    """Every term of one vocabulary: 'type', 'support', 'public', 'modality', 'visibility', 'status'."""
    return _ALL[kind]


def slugs(kind: str) -> tuple[str, ...]:
    return tuple(t.slug for t in _ALL[kind])


_LABELS = {kind: {t.slug: t.label for t in all_terms} for kind, all_terms in _ALL.items()}
_SHORT_LABELS = {kind: {t.slug: t.short_label for t in all_terms} for kind, all_terms in _ALL.items()}


def label(kind: str, slug: str) -> str:
    """The French label of a slug, or the slug itself when it is unknown."""
    return _LABELS[kind].get(slug, slug)


def short_label(kind: str, slug: str) -> str:
    """The short French label of a slug (vCard categories, narrow columns), or the slug when unknown."""
    return _SHORT_LABELS[kind].get(slug, slug)
