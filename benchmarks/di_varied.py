"""A varied data·inclusion file: every common phone form, hours, places and v0 names, some items refused.

    write_varied(path, n)  # n structures (each with 0-2 services) as JSON lines, deterministic

Unlike bench_import's file (one phone number, eight hours strings for 100,000 records), values mostly
differ from record to record, as in a real export: the per-record costs are not hidden by caches.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

_THEMES = ("famille--soutien-a-la-parentalite-et-a-leducation", "sante--acces-aux-soins",
           "sante--sante-mentale", "sante--addictions", "remobilisation--lien-social",
           "logement-hebergement--rechercher-une-solution-dhebergement-temporaire",
           "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits",
           )
_PUBLICS = ("jeunes", "familles", "femmes", "etudiants", "personnes-en-situation-de-handicap")
_MODES = ("en-presentiel", "a-distance")
_TYPOLOGIES = ("CCAS", "CSAPA", "MDA", "ASSO", "", "", "", "")
_RESEAUX = ("cmp", "france-travail", "", "", "")
_HOURS = ("Mo-Fr 09:00-12:00,13:30-17:00; PH off", "Mo-Fr 08:00-17:00", "24/7", "Mo-Sa 10:00-19:00",
          "Mo,We,Fr 14:00-18:00", "Tu-Sa 09:00-18:00; PH off", "Mo-Fr 08:30-12:30", "Mo-Su 08:00-20:00",
          "sur rendez-vous le mercredi", "Lundi au vendredi de 9h à 17h", "Mo-Fr 09:00-12:00; Sa 10:00-12:00",
          "Mo-Th 08:30-12:00,13:30-17:30; Fr 08:30-12:00", None, None, "")
_NAMES = ("Maison des adolescents", "Point écoute jeunes", "Association", "Espace santé jeunes", "CSAPA",
          "Centre d'accueil", "Service d'aide aux victimes", "Mission locale", "Foyer", "Relais parents",
          "CCAS", "Centre médico-psychologique", "Prévention spécialisée", "Collectif")
# the overseas block each département's numbers start with (fixed line, mobile)
_OVERSEAS = {"971": ("0590", "0690"), "972": ("0596", "0696"), "973": ("0594", "0694"),
             "974": ("0262", "0692"), "976": ("0269", "0639")}
_OVERSEAS_CODE = {"971": "590", "972": "596", "973": "594", "974": "262", "976": "262"}


def _digits(rng: random.Random, n: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(n))


def _pairs(digits: str, sep: str) -> str:
    return sep.join(digits[i:i + 2] for i in range(0, len(digits), 2))


def phone(rng: random.Random, departement: str) -> str:
    """One number as people write them: spaced, dotted, dashed, packed, « +33 », « 0033 », « (0) »,
    overseas blocks, short numbers, two numbers in one cell, a label, now and then one that is invalid."""
    if departement in _OVERSEAS and rng.random() < 0.8:
        block = rng.choice(_OVERSEAS[departement])
        rest = _digits(rng, 6)
        form = rng.randrange(4)
        if form == 0:
            return f"{block} {_pairs(rest, ' ')}"
        if form == 1:
            return f"+{_OVERSEAS_CODE[departement]} {block[1:]} {_pairs(rest, ' ')}"
        if form == 2:
            return f"{block}{rest}"
        return f"{block[:2]} {block[2:]} {_pairs(rest, ' ')}"
    if departement in ("988", "987") and rng.random() < 0.8:
        return _pairs(_digits(rng, 6), " ") if departement == "988" else "40 " + _pairs(_digits(rng, 6), " ")
    first = rng.choice("1234567") if rng.random() < 0.85 else rng.choice("89")
    if first == "8":
        first = rng.choice(("800", "805", "809"))[0]
    national = "0" + first + _digits(rng, 8)
    if national.startswith("08"):
        national = "080" + rng.choice("059") + _digits(rng, 6)
    nsn = national[1:]
    form = rng.randrange(14)
    if form == 0:
        return _pairs(national, " ")
    if form == 1:
        return _pairs(national, ".")
    if form == 2:
        return _pairs(national, "-")
    if form == 3:
        return national
    if form == 4:
        return f"+33 {nsn[0]} {_pairs(nsn[1:], ' ')}"
    if form == 5:
        return f"+33{nsn}"
    if form == 6:
        return f"+33 (0){nsn[0]} {_pairs(nsn[1:], ' ')}"
    if form == 7:
        return f"0033 {nsn[0]} {_pairs(nsn[1:], ' ')}"
    if form == 8:
        return f"{_pairs(national, ' ')} / {_pairs('0' + rng.choice('67') + _digits(rng, 8), ' ')}"
    if form == 9:
        return f"Standard : {_pairs(national, ' ')}"
    if form == 10:
        return rng.choice(("3919", "119", "115", "116 006", "3114"))
    if form == 11:
        return nsn  # a spreadsheet's integer
    if form == 12:
        return f"{_pairs(national, chr(0xa0))}"  # non-breaking spaces
    return rng.choice(("12345", "01 23", "n/c", "00 00 00 00 00", _pairs(national, " ")))


def _structure(rng: random.Random, i: int, communes: list[Any]) -> dict[str, Any]:
    c = rng.choice(communes)
    name = f"{rng.choice(_NAMES)} {c.name} {i}"
    date_maj = f"202{rng.randrange(6)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
    item: dict[str, Any] = {"source": "varied", "id": f"s{i}", "nom": name, "date_maj": date_maj,
                            "description": f"Accueil et accompagnement à {c.name}.",
                            "adresse": f"{rng.randrange(1, 200)} rue {rng.choice(_NAMES)}",
                            "courriel": f"contact{i}@example.org", "site_web": f"https://example{i % 97}.org",
                            "reseaux_porteurs": [r for r in (rng.choice(_RESEAUX),) if r]}
    where = rng.randrange(10)
    if where < 6:  # INSEE code, postal code and name
        item.update(code_insee=c.code, code_postal=c.postal_codes[0] if c.postal_codes else None,
                    commune=c.name)
    elif where == 6:  # name and postal code
        item.update(commune=c.name, code_postal=c.postal_codes[0] if c.postal_codes else None)
    elif where == 7:  # INSEE code only
        item.update(code_insee=c.code)
    elif where == 8 and c.latitude is not None:  # a position only
        item.update(latitude=round(c.latitude + rng.uniform(-0.01, 0.01), 6),
                    longitude=round(c.longitude + rng.uniform(-0.01, 0.01), 6))
    else:
        item.update(commune=c.name, code_postal=c.postal_codes[0] if c.postal_codes else None,
                    code_insee=c.code)
    if rng.random() < 0.5 and c.latitude is not None and "latitude" not in item:
        item.update(latitude=round(c.latitude + rng.uniform(-0.01, 0.01), 6),
                    longitude=round(c.longitude + rng.uniform(-0.01, 0.01), 6))
    if rng.random() < 0.9:
        item["telephone"] = phone(rng, c.departement)
    hours = rng.choice(_HOURS)
    if hours is not None:
        item["horaires_accueil"] = hours
    typologie = rng.choice(_TYPOLOGIES)
    if typologie:
        item["typologie"] = typologie
    if rng.random() < 0.1:  # v0 names
        item.pop("description", None)
        item["presentation_resume"] = "Écoute des jeunes."
        item["date_maj"] += "T10:00:00Z"
        if "horaires_accueil" in item:
            item["horaires_ouverture"] = item.pop("horaires_accueil")
    if rng.random() < 0.02:  # refused: a bad e-mail, a short name
        item["courriel"] = "pas un courriel"
    if rng.random() < 0.01:
        item["nom"] = "X"
    return item


def _service(rng: random.Random, i: int, j: int, departement: str) -> dict[str, Any]:
    item: dict[str, Any] = {
        "source": "varied", "id": f"s{i}-svc{j}", "structure_id": f"s{i}", "nom": "Accompagnement",
        "type": rng.choice(("accompagnement", "information", "aide-materielle")),
        "description": "Accompagnement des jeunes.", "date_maj": "2025-03-01",
        "thematiques": rng.sample(_THEMES, rng.randrange(1, 3)),
        "publics": rng.sample(_PUBLICS, rng.randrange(1, 3)),
        "modes_accueil": rng.sample(_MODES, rng.randrange(1, 3)),
        "zone_eligibilite": rng.choice((["france"], [departement], [departement, "75"])),
    }
    if rng.random() < 0.3:
        item["frais"] = rng.choice(("gratuit", "payant"))
    if rng.random() < 0.3:
        item["mobilisable_par"] = rng.choice((["usagers"], ["professionnels"], ["usagers", "professionnels"]))
    if rng.random() < 0.1:
        item["telephone"] = "01 99 00 00 00"
    return item


def write_varied(path: Path, n: int, seed: int = 14) -> None:
    """`n` structures, each followed by 0 to 2 services; a few services point to no structure."""
    from pare_desktop.core.territories import referential

    rng = random.Random(seed)
    ref = referential()
    communes = [c for d in ref.departements() for c in ref.communes_of(d.code)]
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            structure = _structure(rng, i, communes)
            out.write(json.dumps(structure, ensure_ascii=False) + "\n")
            dep = structure.get("code_insee", "75")[:2]
            for j in range(rng.choice((0, 1, 1, 1, 2))):
                out.write(json.dumps(_service(rng, i, j, dep), ensure_ascii=False) + "\n")
            if rng.random() < 0.005:
                out.write(json.dumps(_service(rng, n + i, 0, dep), ensure_ascii=False) + "\n")
