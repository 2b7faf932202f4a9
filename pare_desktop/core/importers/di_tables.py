"""How data·inclusion vocabularies (v1, and v0 names) translate into the directory's own slugs."""

from __future__ import annotations

#: thématique (or its parent category) -> support slugs. A thématique absent here adds nothing.
THEMATIQUES: dict[str, tuple[str, ...]] = {
    "famille": ("soutien-parents-proches",),
    "famille--soutien-a-la-parentalite-et-a-leducation": ("soutien-parents-proches",),
    "famille--soutien-aidants": ("soutien-parents-proches",),
    "famille--surmonter-conflits-separation-violence": ("soutien-psychologique", "signalement-protection"),
    "sante": ("soins-sante",),
    "sante--acces-aux-soins": ("soins-sante",),
    "sante--sante-sexuelle": ("soins-sante",),
    "sante--addictions": ("soins-sante",),
    "sante--sante-mentale": ("soutien-psychologique",),
    "remobilisation--bien-etre-confiance-en-soi": ("soutien-psychologique",),
    "remobilisation": ("accompagnement-socio-educatif",),
    "remobilisation--lien-social": ("accompagnement-socio-educatif",),
    "remobilisation--activites-sportives-et-culturelles": ("accompagnement-socio-educatif",),
    "difficultes-administratives-ou-juridiques": ("accompagnement-socio-educatif",),
    "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives":
        ("accompagnement-socio-educatif",),
    "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits":
        ("accompagnement-juridique",),
    "difficultes-administratives-ou-juridiques--connaitre-ses-droits-face-a-une-discrimination":
        ("accompagnement-juridique",),
    "difficultes-administratives-ou-juridiques--prendre-en-compte-une-problematique-judiciaire":
        ("accompagnement-juridique",),
    "logement-hebergement": ("mise-a-l-abri",),
    "logement-hebergement--rechercher-une-solution-dhebergement-temporaire": ("mise-a-l-abri",),
}

#: type de service -> support slugs
TYPES_SERVICE: dict[str, tuple[str, ...]] = {
    "information": ("ecoute-information-orientation",),
    "accompagnement": ("accompagnement-socio-educatif",),
}

#: public (v1) or profil (v0) -> our publics
PUBLICS: dict[str, tuple[str, ...]] = {
    "jeunes": ("mineurs-en-risque", "jeunes-majeurs"),
    "jeunes-16-26": ("jeunes-majeurs",),
    "familles": ("parents-proches",),
    "familles-enfants": ("parents-proches",),
}

#: mode d'accueil -> modalities ("a-distance" adds "telephone" too when the record has a phone)
MODES_ACCUEIL: dict[str, tuple[str, ...]] = {
    "en-presentiel": ("accueil-physique",),
    "a-distance": ("en-ligne",),
}

#: the structure type, from the v0 "typologie", then the "reseaux_porteurs", then the thématiques
TYPOLOGIES: dict[str, str] = {
    "ASE": "protection-enfance", "CD": "protection-enfance", "CDAS": "protection-enfance",
    "DEPT": "protection-enfance", "MDS": "protection-enfance",
    "PJJ": "justice", "SPIP": "justice",
    "CAARUD": "addictions", "CSAPA": "addictions",
    "CHRS": "hebergement", "CHU": "hebergement", "CADA": "hebergement", "HUDA": "hebergement",
    "CPH": "hebergement", "RS_FJT": "hebergement", "PENSION": "hebergement",
    "CIDFF": "aide-victimes-droit", "PAD": "aide-victimes-droit",
    "PREVENTION": "prevention-specialisee",
    "CMP": "sante-ado-psy", "MDA": "sante-ado-psy",
    "CEGIDD": "sante-sexuelle", "CPEF": "sante-sexuelle", "PLANNING": "sante-sexuelle",
}
#: words or phrases in a structure's own name that say its type (a name alone is a weaker hint than the
#: typology or the services' thématiques: generic words such as « association » are not here)
NAME_HINTS: dict[str, str] = {
    "ase": "protection-enfance", "aide sociale a l enfance": "protection-enfance",
    "crip": "protection-enfance",
    "pmi": "protection-enfance", "maison des solidarites": "protection-enfance",
    "pjj": "justice", "protection judiciaire de la jeunesse": "justice", "spip": "justice",
    "tribunal": "justice",
    "gendarmerie": "forces-ordre", "commissariat": "forces-ordre", "police": "forces-ordre",
    "maison de protection des familles": "forces-ordre",
    "uaped": "sante-hopital", "centre hospitalier": "sante-hopital", "chu": "sante-hopital",
    "hopital": "sante-hopital",
    "maison des adolescents": "sante-ado-psy", "mda": "sante-ado-psy", "cmp": "sante-ado-psy",
    "cmpp": "sante-ado-psy", "centre medico psychologique": "sante-ado-psy",
    "cegidd": "sante-sexuelle", "planning familial": "sante-sexuelle", "cpef": "sante-sexuelle",
    "csapa": "addictions", "caarud": "addictions", "consultation jeunes consommateurs": "addictions",
    "chrs": "hebergement", "siao": "hebergement", "foyer de jeunes travailleurs": "hebergement",
    "fjt": "hebergement", "centre d hebergement": "hebergement",
    "prevention specialisee": "prevention-specialisee", "club de prevention": "prevention-specialisee",
    "cidff": "aide-victimes-droit", "france victimes": "aide-victimes-droit", "point justice":
    "aide-victimes-droit", "maison de justice et du droit": "aide-victimes-droit",
    "aide aux victimes": "aide-victimes-droit",
    "college": "education-nationale", "lycee": "education-nationale",
}
RESEAUX: dict[str, str] = {
    "ase": "protection-enfance", "departements": "protection-enfance", "maisons-des-solidarites":
    "protection-enfance", "delegataire-conseil-departemental": "protection-enfance",
    "pjj": "justice", "spip": "justice",
    "caarud": "addictions", "csapa": "addictions",
    "chrs": "hebergement", "chu": "hebergement", "cada": "hebergement", "huda": "hebergement",
    "cph": "hebergement", "siao": "hebergement", "residences-fjt": "hebergement",
    "cidff": "aide-victimes-droit", "points-justice": "aide-victimes-droit",
    "cmp": "sante-ado-psy",
}
THEMATIQUE_TYPES: dict[str, str] = {
    "sante--sante-sexuelle": "sante-sexuelle",
    "sante--addictions": "addictions",
    "sante--sante-mentale": "sante-ado-psy",
    "logement-hebergement--rechercher-une-solution-dhebergement-temporaire": "hebergement",
    "difficultes-administratives-ou-juridiques--prendre-en-compte-une-problematique-judiciaire":
        "aide-victimes-droit",
}
#: when nothing above applies (data·inclusion has no field for our structure types): « Non classé »
DEFAULT_TYPE = "non-classe"

#: v0 names -> v1 names
V0_RENAMES: dict[str, str] = {"profils": "publics"}
V0_KEYS = frozenset({"typologie", "profils", "zone_diffusion_type", "zone_diffusion_code",
                     "zone_diffusion_nom", "presentation_resume", "presentation_detail",
                     "horaires_ouverture"})
