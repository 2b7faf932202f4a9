"""Regenerate resources/demo/demo.json (fictional records) and reference.json (real national lines).

Usage: python scripts/build_demo_data.py   (deterministic: a fixed seed and a fixed reference date)
"""

from __future__ import annotations

import json
import random
import sys
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pare_desktop.core.hours_fr import day_text, summary_fr, week_spans  # noqa: E402
from pare_desktop.core.phones import normalize_phone  # noqa: E402
from pare_desktop.core.records import (  # noqa: E402
    ORIGIN_DEMO,
    ORIGIN_REFERENCE,
    VISIBILITY_PRO,
    Area,
    Phone,
    Structure,
    make_id,
    structure_to_dict,
)
from pare_desktop.core.territories import Commune, Referential, Territory, referential  # noqa: E402
from pare_desktop.core.vocabulary import slugs  # noqa: E402

SEED = 20250401
TODAY = date(2025, 10, 1)  # fixed so that regenerating gives the same file
FICTION_BLOCKS = ("01 99 00", "02 61 91", "03 53 01", "04 65 71", "05 36 49")

#: A local listening line (« Écoute jeunes … ») is no national line: the real reference lines (119, 3018…)
#: show that type; the local ones are filed with the youth listening points (PAEJ, maisons des adolescents).
RECORD_TYPE = {"ligne-ecoute-nationale": "sante-ado-psy"}

# type slug -> (name templates, description, supports, publics, modalities)
TYPES: dict[str, tuple[tuple[str, ...], str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "ligne-ecoute-nationale": (
        ("Écoute jeunes {dep}",),
        "Ligne d'écoute anonyme pour les jeunes et leurs proches.",
        ("ecoute-information-orientation", "soutien-psychologique"),
        ("mineurs-en-risque", "mineurs-victimes", "parents-proches"),
        ("telephone", "tchat", "anonymat", "gratuit"),
    ),
    "urgence": (
        ("Accueil d'urgence pédiatrique de {commune}",),
        "Urgences pédiatriques : accueil sans rendez-vous, orientation vers l'UAPED.",
        ("soins-sante", "signalement-protection"),
        ("mineurs-victimes",),
        ("accueil-physique", "acces-direct", "gratuit"),
    ),
    "protection-enfance": (
        ("CRIP {dep}", "Maison des solidarités de {commune}", "Service ASE de {commune}"),
        "Recueil des informations préoccupantes, évaluation et mesures de protection.",
        ("signalement-protection", "accompagnement-socio-educatif", "appui-professionnels"),
        ("mineurs-victimes", "mineurs-en-risque", "professionnels"),
        ("telephone", "accueil-physique", "sur-rendez-vous", "gratuit"),
    ),
    "justice": (
        ("Unité éducative de milieu ouvert de {commune}", "Parquet des mineurs de {commune}"),
        "Suivi éducatif et judiciaire des mineurs, protection judiciaire de la jeunesse.",
        ("accompagnement-juridique", "accompagnement-socio-educatif"),
        ("mineurs-victimes", "mineurs-en-risque"),
        ("accueil-physique", "sur-orientation"),
    ),
    "forces-ordre": (
        ("Maison de protection des familles de {dep}", "Brigade de protection des familles de {commune}"),
        "Audition adaptée des mineurs victimes, prévention et appui aux professionnels.",
        ("signalement-protection", "prevention-jeunes", "formation-professionnels"),
        ("mineurs-victimes", "professionnels"),
        ("accueil-physique", "telephone", "gratuit"),
    ),
    "sante-hopital": (
        ("UAPED du centre hospitalier de {commune}",),
        "Unité d'accueil pédiatrique enfants en danger : soins, recueil de la parole, audition.",
        ("soins-sante", "soutien-psychologique", "signalement-protection"),
        ("mineurs-victimes",),
        ("accueil-physique", "sur-orientation", "gratuit"),
    ),
    "sante-ado-psy": (
        ("Maison des adolescents de {commune}", "CMP infanto-juvénile de {commune}"),
        "Accueil, écoute et soins pour les 11-25 ans et leurs parents, avec ou sans rendez-vous.",
        ("soutien-psychologique", "ecoute-information-orientation", "soutien-parents-proches"),
        ("mineurs-en-risque", "jeunes-majeurs", "parents-proches"),
        ("accueil-physique", "telephone", "acces-direct", "gratuit", "anonymat"),
    ),
    "sante-sexuelle": (
        ("CeGIDD de {commune}", "Centre de santé sexuelle de {commune}"),
        "Dépistage, contraception, information sur la vie affective et sexuelle, gratuit et anonyme.",
        ("soins-sante", "prevention-jeunes"),
        ("mineurs-en-risque", "jeunes-majeurs"),
        ("accueil-physique", "acces-direct", "gratuit", "anonymat"),
    ),
    "addictions": (
        ("CSAPA jeunes consommateurs de {commune}", "CAARUD de {commune}"),
        "Consultations jeunes consommateurs, réduction des risques, accompagnement des familles.",
        ("soins-sante", "reperage-aller-vers", "soutien-parents-proches"),
        ("mineurs-en-risque", "jeunes-majeurs", "parents-proches"),
        ("accueil-physique", "aller-vers", "gratuit", "anonymat"),
    ),
    "association-specialisee": (
        ("Association Horizon Jeunes {dep}", "Collectif Boussole {commune}"),
        "Association spécialisée dans l'accompagnement des mineurs en situation "
        "d'exploitation sexuelle ou de prostitution.",
        ("accompagnement-socio-educatif", "reperage-aller-vers", "formation-professionnels"),
        ("mineurs-victimes", "mineurs-en-risque", "professionnels"),
        ("accueil-physique", "aller-vers", "telephone", "gratuit"),
    ),
    "prevention-specialisee": (
        ("Équipe de prévention spécialisée de {commune}", "Promeneurs du net {dep}"),
        "Éducateurs de rue et présence éducative en ligne auprès des 11-25 ans.",
        ("reperage-aller-vers", "prevention-jeunes", "accompagnement-socio-educatif"),
        ("mineurs-en-risque", "jeunes-majeurs"),
        ("aller-vers", "en-ligne", "gratuit"),
    ),
    "hebergement": (
        ("Foyer d'accueil d'urgence de {commune}", "Mise à l'abri jeunes {dep}"),
        "Mise à l'abri et hébergement de mineurs, éloignement possible. Adresse communiquée aux "
        "professionnels.",
        ("mise-a-l-abri", "accompagnement-socio-educatif"),
        ("mineurs-victimes", "mineurs-en-risque"),
        ("sur-orientation", "telephone"),
    ),
    "education-nationale": (
        ("Service social en faveur des élèves – {dep}",),
        "Assistantes sociales scolaires : repérage, information préoccupante, prévention.",
        ("prevention-jeunes", "signalement-protection", "appui-professionnels"),
        ("mineurs-en-risque", "professionnels"),
        ("accueil-physique", "sur-rendez-vous"),
    ),
    "aide-victimes-droit": (
        ("Association d'aide aux victimes de {commune}", "Point-justice de {commune}"),
        "Accueil des victimes, information juridique, accompagnement au procès.",
        ("accompagnement-juridique", "soutien-psychologique", "soutien-parents-proches"),
        ("mineurs-victimes", "parents-proches"),
        ("accueil-physique", "telephone", "sur-rendez-vous", "gratuit"),
    ),
    "coordination-reseau": (
        ("Coordination territoriale PARÉ {dep}", "Réseau jeunesse en danger {commune}"),
        "Coordination des acteurs locaux, formation et appui aux professionnels.",
        ("coordination-reseau", "formation-professionnels", "appui-professionnels"),
        ("professionnels",),
        ("telephone", "en-ligne", "sur-rendez-vous"),
    ),
}
HOURS = (
    "Mo-Fr 09:00-17:00",
    "24/7",
    "Mo-Fr 08:30-12:00,13:30-17:00; Sa 09:00-12:00",
    "Mo-Fr 09:00-18:00",
    "Tu-Sa 10:00-19:00",
    "Mo,We,Fr 14:00-18:00",
    "Mo-Th 09:00-12:30,14:00-17:30; Fr 09:00-12:30",
    "Mo-Fr 08:00-20:00; Sa,Su 10:00-18:00",
    "We 13:30-18:30; Sa 10:00-16:00",
    "",
)
STREETS = (
    "rue de la République",
    "avenue Jean-Jaurès",
    "place de la Mairie",
    "rue des Écoles",
    "boulevard Victor-Hugo",
    "rue du Général-de-Gaulle",
    "chemin des Écoliers",
    "rue Pasteur",
)
MAINLAND_NOTE = (
    "Numéro de démonstration pris dans un bloc métropolitain réservé à la fiction : aucun bloc "
    "fictif n'existe pour ce territoire."
)


def hours_note(opening_hours: str, sid: str) -> str:
    """A free-text note on the hours that says no more than the structured hours (the demo never contradicts
    itself): an appointment day taken among the open days, in core.hours_fr's words."""
    if not opening_hours:
        return "Horaires non communiqués : appelez avant de venir."
    week = week_spans(opening_hours)
    if week is None:
        return ""
    if all(day == [(0, 1440)] for day in week):
        return f"Accueil {summary_fr(opening_hours)}, sans rendez-vous."
    open_days = [d for d, spans in enumerate(week) if spans]
    day = random.Random(sid).choice(open_days)  # its own stream: the other demo values stay as they were
    return f"Sur rendez-vous {day_text(opening_hours, day)}."


class Builder:
    """Draws demo records with one seeded random generator."""

    def __init__(self, ref: Referential) -> None:
        self.ref = ref
        self.rng = random.Random(SEED)
        self.used_numbers: set[str] = set()
        self.count = 0

    def phone(self, dep: Territory, label: str) -> Phone:
        while True:
            block = self.rng.choice(FICTION_BLOCKS)
            raw = f"{block} {self.rng.randrange(100):02d} {self.rng.randrange(100):02d}"
            if raw not in self.used_numbers:
                self.used_numbers.add(raw)
                break
        if dep.overseas:  # a mainland block, dialled internationally from overseas
            raw = "+33 " + raw[1:]
        return normalize_phone(raw, dep.code, label=label)

    def record(self, dep: Territory, type_slug: str, commune: Commune) -> Structure:
        rng = self.rng
        self.count += 1
        templates, description, supports, publics, modalities = TYPES[type_slug]
        name = rng.choice(templates).format(dep=dep.name, commune=commune.name) + " (démo)"
        extra = rng.sample(slugs("support"), 1)
        sid = f"{dep.code}-{self.count:03d}"
        area = Area()
        roll = rng.random()
        if type_slug in ("protection-enfance", "education-nationale", "coordination-reseau") or roll < 0.2:
            area = Area(departements=(dep.code,))
        elif roll < 0.3 and dep.region:
            area = Area(regions=(dep.region,))
        elif roll < 0.45:
            neighbours = [c.code for c in self.ref.communes_of(dep.code)[:6]]
            area = Area(
                communes=tuple(sorted(set([commune.code, *rng.sample(neighbours, min(2, len(neighbours)))])))
            )
        text = f"{description} Structure fictive (données de démonstration)."
        if dep.overseas:
            text += " " + MAINLAND_NOTE
        phones = [self.phone(dep, "Accueil")]
        if rng.random() < 0.25:
            phones.append(replace(self.phone(dep, "Ligne des professionnels"), confidential=True))
        age = rng.choice([(None, None), (11, 25), (None, 18), (13, 21), (None, None)])
        stale = rng.random() < 0.15
        updated = TODAY - timedelta(days=rng.randrange(400, 900) if stale else rng.randrange(5, 300))
        address = f"{rng.randrange(1, 120)} {rng.choice(STREETS)}"  # the seeded stream's order is kept
        opening_hours = "24/7" if type_slug == "hebergement" else rng.choice(HOURS)
        return Structure(
            id=make_id("demo", sid),
            source="demo",
            source_id=sid,
            name=name,
            type=RECORD_TYPE.get(type_slug, type_slug),
            description=text,
            address=address,
            postal_code=commune.postal_codes[0] if commune.postal_codes else "",
            commune=commune.name,
            commune_code=commune.code,
            departement=dep.code,
            region=dep.region,
            latitude=commune.latitude,
            longitude=commune.longitude,
            position_exact=False,
            timezone=dep.timezone,
            phones=tuple(phones),
            emails=(f"contact-{sid}@example.org",),
            website=f"https://example.org/demo/{sid}",
            opening_hours=opening_hours,
            hours_text=hours_note(opening_hours, sid) if rng.choice([False, False, True]) else "",
            supports=tuple(dict.fromkeys([*supports, *extra])),
            publics=publics,
            age_min=age[0],
            age_max=age[1],
            modalities=modalities,
            area=area,
            visibility=VISIBILITY_PRO if rng.random() < 0.07 else "public",
            address_visibility=VISIBILITY_PRO if type_slug == "hebergement" else "public",
            updated=updated,
            status="temporarily_closed" if rng.random() < 0.03 else "active",
            origin=ORIGIN_DEMO,
        )


def build_demo(ref: Referential) -> list[Structure]:
    builder = Builder(ref)
    types = list(TYPES)
    records: list[Structure] = []
    turn = 0
    for dep in ref.departements():
        per = 3 if not dep.overseas else (9 if dep.kind == "departement" else 4)
        communes = ref.communes_of(dep.code)
        top = [c for c in communes if c.exact][:8] or communes[:8]
        for _ in range(per):
            records.append(builder.record(dep, types[turn % len(types)], builder.rng.choice(top)))
            turn += 1
    return records


REFERENCE: tuple[tuple[str, str, str, str, str, str, str], ...] = (
    # (source_id, name, type, number, description, hours, website)
    (
        "119",
        "Allô Enfance en danger – 119",
        "ligne-ecoute-nationale",
        "119",
        "Service national d'accueil téléphonique de l'enfance en danger : pour les enfants, les jeunes, "
        "les parents et toute personne inquiète pour un mineur. "
        "Gratuit, 24 h/24, 7 j/7, y compris outre-mer.",
        "24/7",
        "https://www.allo119.gouv.fr",
    ),
    (
        "116000",
        "116 000 Enfants disparus",
        "ligne-ecoute-nationale",
        "116000",
        "Numéro européen d'urgence pour les disparitions de mineurs (fugues, enlèvements) : écoute et "
        "accompagnement des familles. Gratuit, 24 h/24.",
        "24/7",
        "https://www.116000enfantsdisparus.fr",
    ),
    (
        "3018",
        "3018 – e-Enfance / Net Écoute",
        "ligne-ecoute-nationale",
        "3018",
        "Numéro national contre les violences numériques (cyberharcèlement, chantage à la webcam, "
        "exposition de contenus intimes) : écoute, conseil et signalement aux plateformes. "
        "Gratuit et anonyme.",
        "",
        "https://e-enfance.org",
    ),
    (
        "3020",
        "3020 – Non au harcèlement",
        "ligne-ecoute-nationale",
        "3020",
        "Numéro national contre le harcèlement entre élèves : écoute, conseil et orientation des élèves, "
        "des parents et des professionnels. Gratuit.",
        "",
        "https://www.nonauharcelement.education.gouv.fr",
    ),
    (
        "17",
        "Police-secours – 17",
        "forces-ordre",
        "17",
        "Appel d'urgence police ou gendarmerie : danger immédiat, violence en cours. Gratuit, 24 h/24.",
        "24/7",
        "",
    ),
    (
        "112",
        "Numéro d'urgence européen – 112",
        "urgence",
        "112",
        "Numéro d'urgence européen, joignable depuis tout téléphone : police, secours, SAMU. "
        "Gratuit, 24 h/24.",
        "24/7",
        "",
    ),
    (
        "15",
        "SAMU – 15",
        "urgence",
        "15",
        "Aide médicale urgente : détresse vitale, urgence médicale. Gratuit, 24 h/24.",
        "24/7",
        "",
    ),
    (
        "114",
        "114 – Urgence par SMS, visio, tchat",
        "urgence",
        "114",
        "Numéro d'urgence pour les personnes sourdes, malentendantes ou ne pouvant pas parler : par SMS, "
        "visio ou tchat, relais vers police, gendarmerie, SAMU ou pompiers. Gratuit, 24 h/24.",
        "24/7",
        "https://www.info.urgence114.fr",
    ),
)


def build_reference() -> list[Structure]:
    out = []
    for sid, name, type_slug, number, description, hours, website in REFERENCE:
        supports: tuple[str, ...] = ("ecoute-information-orientation", "signalement-protection")
        if sid in ("3018", "3020"):
            supports = (*supports, "soutien-parents-proches", "prevention-jeunes")
        out.append(
            Structure(
                id=make_id("reference", sid),
                source="reference",
                source_id=sid,
                name=name,
                type=type_slug,
                description=description,
                phones=(normalize_phone(number, ""),),
                website=website,
                opening_hours=hours,
                hours_text="" if hours else "Horaires : voir le site officiel.",
                supports=supports,
                publics=("mineurs-victimes", "mineurs-en-risque", "parents-proches", "professionnels"),
                modalities=(
                    "telephone",
                    "gratuit",
                    *(("tchat", "en-ligne") if sid in ("3018", "3020", "114") else ()),
                ),
                area=Area(national=True),
                updated=TODAY,
                origin=ORIGIN_REFERENCE,
            )
        )
    return out


def dump(path: Path, records: list[Structure]) -> None:
    data = [structure_to_dict(s) for s in records]
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main() -> int:
    out = ROOT / "resources" / "demo"
    out.mkdir(parents=True, exist_ok=True)
    demo = build_demo(referential())
    dump(out / "demo.json", demo)
    dump(out / "reference.json", build_reference())
    print(f"{len(demo)} demo records, {len(REFERENCE)} reference records")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
