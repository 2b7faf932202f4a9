"""Deterministic synthetic structures over every territory, for benchmarks (fast: 100k in a few seconds)."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from pare_desktop.core import vocabulary
from pare_desktop.core.records import Area, Phone, Structure
from pare_desktop.core.search.build import TerritoryNames

# code;name;région;lat;lon;time zone (empty: Europe/Paris). Rough centres; the referential will replace this.
_DEPS = """01;Ain;84;46.1;5.3|02;Aisne;32;49.5;3.6|03;Allier;84;46.4;3.2
|04;Alpes-de-Haute-Provence;93;44.1;6.2|05;Hautes-Alpes;93;44.7;6.3|06;Alpes-Maritimes;93;43.9;7.2|07;Ardèche;84;44.8;4.4|08;Ardennes;44;49.6;4.7
|09;Ariège;76;42.9;1.5|10;Aube;44;48.3;4.1|11;Aude;76;43.1;2.4|12;Aveyron;76;44.3;2.6|13;Bouches-du-Rhône;93;43.5;5.1
|14;Calvados;28;49.1;-0.4|15;Cantal;84;45.0;2.7|16;Charente;75;45.7;0.2|17;Charente-Maritime;75;45.8;-0.7
|18;Cher;24;47.1;2.5|19;Corrèze;75;45.4;1.9|2A;Corse-du-Sud;94;41.9;8.9|2B;Haute-Corse;94;42.4;9.2
|21;Côte-d'Or;27;47.4;4.8|22;Côtes-d'Armor;53;48.4;-2.8|23;Creuse;75;46.1;2.0|24;Dordogne;75;45.1;0.7
|25;Doubs;27;47.2;6.4|26;Drôme;84;44.7;5.2|27;Eure;28;49.1;1.0|28;Eure-et-Loir;24;48.4;1.4|29;Finistère;53;48.2;-4.1
|30;Gard;76;44.0;4.2|31;Haute-Garonne;76;43.4;1.2|32;Gers;76;43.7;0.5|33;Gironde;75;44.8;-0.6|34;Hérault;76;43.6;3.4
|35;Ille-et-Vilaine;53;48.2;-1.6|36;Indre;24;46.8;1.6|37;Indre-et-Loire;24;47.3;0.7|38;Isère;84;45.3;5.6
|39;Jura;27;46.7;5.7|40;Landes;75;43.9;-0.8|41;Loir-et-Cher;24;47.6;1.4|42;Loire;84;45.7;4.2|43;Haute-Loire;84;45.1;3.8
|44;Loire-Atlantique;52;47.3;-1.7|45;Loiret;24;47.9;2.3|46;Lot;76;44.6;1.6|47;Lot-et-Garonne;75;44.4;0.5
|48;Lozère;76;44.5;3.5|49;Maine-et-Loire;52;47.4;-0.6|50;Manche;28;49.1;-1.3|51;Marne;44;49.0;4.2
|52;Haute-Marne;44;48.1;5.2|53;Mayenne;52;48.1;-0.6|54;Meurthe-et-Moselle;44;48.8;6.1|55;Meuse;44;49.0;5.4
|56;Morbihan;53;47.8;-2.8|57;Moselle;44;49.0;6.7|58;Nièvre;27;47.1;3.5|59;Nord;32;50.4;3.2|60;Oise;32;49.4;2.4
|61;Orne;28;48.6;0.1|62;Pas-de-Calais;32;50.5;2.3|63;Puy-de-Dôme;84;45.7;3.1|64;Pyrénées-Atlantiques;75;43.3;-0.8
|65;Hautes-Pyrénées;76;43.1;0.2|66;Pyrénées-Orientales;76;42.6;2.5|67;Bas-Rhin;44;48.7;7.6|68;Haut-Rhin;44;47.9;7.2
|69;Rhône;84;45.8;4.6|70;Haute-Saône;27;47.6;6.1|71;Saône-et-Loire;27;46.6;4.5|72;Sarthe;52;48.0;0.2
|73;Savoie;84;45.5;6.4|74;Haute-Savoie;84;46.0;6.4|75;Paris;11;48.86;2.35|76;Seine-Maritime;28;49.7;1.0
|77;Seine-et-Marne;11;48.6;3.0|78;Yvelines;11;48.8;1.9|79;Deux-Sèvres;75;46.5;-0.3|80;Somme;32;49.9;2.3
|81;Tarn;76;43.8;2.1|82;Tarn-et-Garonne;76;44.1;1.3|83;Var;93;43.4;6.2|84;Vaucluse;93;44.0;5.2|85;Vendée;52;46.7;-1.3
|86;Vienne;75;46.6;0.5|87;Haute-Vienne;75;45.9;1.2|88;Vosges;44;48.2;6.4|89;Yonne;27;47.8;3.6
|90;Territoire de Belfort;27;47.6;6.9|91;Essonne;11;48.5;2.2|92;Hauts-de-Seine;11;48.85;2.2
|93;Seine-Saint-Denis;11;48.9;2.5|94;Val-de-Marne;11;48.78;2.47|95;Val-d'Oise;11;49.1;2.2
|971;Guadeloupe;01;16.2;-61.5;America/Guadeloupe|972;Martinique;02;14.6;-61.0;America/Martinique
|973;Guyane;03;4.9;-52.3;America/Cayenne|974;La Réunion;04;-21.1;55.5;Indian/Reunion
|976;Mayotte;06;-12.8;45.2;Indian/Mayotte|975;Saint-Pierre-et-Miquelon;;46.8;-56.2;America/Miquelon
|977;Saint-Barthélemy;;17.9;-62.8;America/St_Barthelemy|978;Saint-Martin;;18.07;-63.05;America/Marigot
|984;Terres australes et antarctiques françaises;;-49.3;69.2;Indian/Kerguelen
|986;Wallis-et-Futuna;;-13.3;-176.2;Pacific/Wallis|987;Polynésie française;;-17.5;-149.6;Pacific/Tahiti
|988;Nouvelle-Calédonie;;-22.3;166.5;Pacific/Noumea|989;Clipperton;;10.3;-109.2;Pacific/Tahiti"""
_REGIONS = {
    "01": "Guadeloupe", "02": "Martinique", "03": "Guyane", "04": "La Réunion", "06": "Mayotte",
    "11": "Île-de-France", "24": "Centre-Val de Loire", "27": "Bourgogne-Franche-Comté", "28": "Normandie",
    "32": "Hauts-de-France", "44": "Grand Est", "52": "Pays de la Loire", "53": "Bretagne",
    "75": "Nouvelle-Aquitaine", "76": "Occitanie", "84": "Auvergne-Rhône-Alpes",
    "93": "Provence-Alpes-Côte d'Azur", "94": "Corse",
}
_WORD_TEXT = (
    "accueil écoute enfance jeunesse mineurs victimes protection prévention famille parents soutien aide "
    "orientation accompagnement santé psychologique juridique hébergement urgence réseau maison centre "
    "service association point relais espace mission dispositif équipe mobile quartier numérique rue "
    "éducatif social médical judiciaire signalement exploitation sexuelle prostitution risque adolescent "
    "jeune majeur professionnel formation information confidentiel gratuit anonyme rendez-vous permanence "
    "soirée week-end nuit départemental territorial local national solidarité insertion logement droit "
    "victime écoute-ados femmes familles œuvre collectif foyer lieu refuge abri sécurité confiance"
)
_WORDS = tuple(_WORD_TEXT.split())
_HEADS = ("Maison des adolescents", "Point écoute jeunes", "Association", "Espace santé jeunes",
          "Centre d'accueil", "Service d'aide aux victimes", "Équipe mobile", "CSAPA", "CeGIDD",
          "Unité d'accueil pédiatrique", "Brigade de protection des familles", "Foyer", "Mission locale",
          "Collectif", "Relais parents", "Prévention spécialisée")
_HOURS = ("Mo-Fr 09:00-12:00,13:30-17:00; PH off", "Mo-Fr 08:00-17:00", "24/7", "Mo-Sa 10:00-19:00",
          "Mo,We,Fr 14:00-18:00", "Tu-Sa 09:00-18:00; PH off", "Mo-Fr 08:30-12:30", "Mo-Su 08:00-20:00", "")


def territory_names() -> TerritoryNames:
    """Names of the synthetic table's départements and régions, and the région of each département."""
    deps: dict[str, str] = {}
    region_of: dict[str, str] = {}
    for code, name, region, *_ in (row.strip().split(";") for row in _DEPS.split("|")):
        deps[code] = name
        if region:
            region_of[code] = region
    return TerritoryNames(deps, dict(_REGIONS), region_of)


def _table() -> list[tuple[str, str, str, float, float, str]]:
    rows = []
    for row in _DEPS.split("|"):
        code, name, region, lat, lon, *tz = row.strip().split(";")
        rows.append((code, name, region, float(lat), float(lon), tz[0] if tz else "Europe/Paris"))
    return rows


def synthetic_structures(n: int, seed: int = 0) -> list[Structure]:
    """`n` varied, deterministic structures over all territories (~2 % national, some areas)."""
    rng = np.random.default_rng(seed)
    table = _table()
    weights = np.array([1.0 if len(t[0]) == 2 else 0.6 for t in table])
    types = vocabulary.slugs("type")
    supports, publics, modalities = (vocabulary.slugs(k) for k in ("support", "public", "modality"))
    regions = list(_REGIONS)
    base = date(2025, 6, 1)
    place = rng.choice(len(table), size=n, p=weights / weights.sum()).tolist()
    other = rng.integers(len(table), size=n).tolist()
    n_desc = rng.integers(12, 61, size=n)
    desc_words = np.array(_WORDS, dtype=object)[rng.integers(len(_WORDS), size=int(n_desc.sum()))].tolist()
    desc_ends = np.cumsum(n_desc).tolist()
    name_words = rng.integers(len(_WORDS), size=(n, 3)).tolist()
    n_name = rng.integers(1, 4, size=n).tolist()
    heads = rng.integers(len(_HEADS), size=n).tolist()
    u = rng.random((n, 4)).tolist()
    ints = rng.integers(0, 1 << 30, size=(n, 8)).tolist()
    jitter = rng.uniform(-0.4, 0.4, size=(n, 2)).tolist()
    out: list[Structure] = []
    start = 0
    for i in range(n):
        code, dep_name, region, lat, lon, tz = table[place[i]]
        r_nat, r_area, r_pro, r_upd = u[i]
        k = ints[i]
        words = desc_words[start:desc_ends[i]]
        start = desc_ends[i]
        name = f"{_HEADS[heads[i]]} {' '.join(_WORDS[w] for w in name_words[i][:n_name[i]])} {dep_name}"
        if r_nat < 0.02:
            area = Area(national=True)
        elif r_area < 0.10:
            area = Area(departements=(code, table[other[i]][0]))
        elif r_area < 0.14:
            area = Area(regions=(regions[k[0] % len(regions)],))
        elif r_area < 0.18:
            area = Area(communes=(f"{code}{k[1] % 400 + 1:0{5 - len(code)}d}",))
        else:
            area = Area()
        out.append(Structure(
            id=f"synth:{i}", source="synth", source_id=str(i), name=name.capitalize(),
            type=types[k[2] % len(types)], description=" ".join(words).capitalize() + ".",
            commune=f"Commune {k[3] % 300 + 1}", departement=code, region=region,
            latitude=lat + jitter[i][0], longitude=lon + jitter[i][1], timezone=tz,
            phones=(Phone("+33199000000", "01 99 00 00 00"),), opening_hours=_HOURS[k[4] % len(_HOURS)],
            supports=_pick(supports, k[5], 4), publics=_pick(publics, k[6], 3),
            modalities=_pick(modalities, k[7], 4), area=area,
            visibility="pro" if r_pro < 0.05 else "public",
            updated=base - timedelta(days=k[0] % 900) if r_upd < 0.95 else None,
        ))
    return out


def _pick(values: tuple[str, ...], bits: int, most: int) -> tuple[str, ...]:
    """1..`most` distinct values chosen from the random integer `bits`."""
    count = bits % most + 1
    first = (bits >> 3) % len(values)
    step = (bits >> 9) % (len(values) - 1) + 1 if len(values) > 1 else 1
    return tuple(dict.fromkeys(values[(first + j * step) % len(values)] for j in range(count)))
