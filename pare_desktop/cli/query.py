"""`pare search`, `pare show` and `pare stats`."""

from __future__ import annotations

import argparse
from typing import Any

from ..core.nearby import NearHint, distance_text, near_hint
from .common import CliError, Context, add_filter_arguments, near_place, query_from_args, write_json


def register(sub: Any) -> None:
    p = sub.add_parser("search", help="chercher dans l'annuaire")
    add_filter_arguments(p)
    p.add_argument("--limit", type=int, default=50, metavar="N", help="nombre maximum de résultats (50)")
    p.add_argument("--json", action="store_true",
                   help="sortie JSON : la liste des résultats ; avec --near et --radius, un objet "
                        "{results, near} où near dit combien de structures locales sont dans le rayon et, "
                        "s'il n'y en a aucune, les plus proches et les rayons à essayer")
    p.set_defaults(handler=search)

    p = sub.add_parser("show", help="afficher une structure")
    p.add_argument("id", metavar="ID")
    p.add_argument("--json", action="store_true", help="sortie JSON")
    p.set_defaults(handler=show)

    p = sub.add_parser("stats", help="chiffres de l'annuaire par territoire et type")
    add_filter_arguments(p)
    p.add_argument("--json", action="store_true", help="sortie JSON")
    p.set_defaults(handler=stats)


def search(ctx: Context, args: argparse.Namespace) -> int:
    if args.limit is not None and args.limit < 1:
        raise CliError("--limit doit être un entier positif")
    query = query_from_args(args, limit=args.limit)
    directory = ctx.directory()
    result = directory.search(query)
    records = directory.get_many(result.ids)
    distances = dict(zip(result.ids, result.distances_km, strict=False)) if result.distances_km else {}
    hint = near_hint(directory, query)
    place = near_place(args.near)[2] if hint is not None else ""
    if args.json:
        out = []
        for s in records:
            item: dict[str, Any] = {
                "id": s.id,
                "name": s.name,
                "departement": s.departement,
                "region": s.region,
                "commune": s.commune,
                "types": [s.type],
                "supports": list(s.supports),
                "publics": list(s.publics),
                "national": s.is_national,
                "origin": s.origin,
                "phones": [p.number for p in s.phones],
            }
            if query.near is not None:
                d = distances.get(s.id)
                item["distance_km"] = None if d is None else round(d, 2)
            out.append(item)
        write_json(out if hint is None else {"results": out, "near": hint.to_json(place)})
        return 0
    from ..core import hours, vocabulary

    for s in records:
        where = "national" if s.is_national else f"{s.commune} ({s.departement})"
        dist = distances.get(s.id)
        extra = f" — {distance_text(dist)}" if dist is not None else ""
        if query.open_now and hours.is_open(s.opening_hours, s.timezone) is None:  # kept, said apart
            extra += " — horaires non renseignés"
        print(f"{s.name} · {vocabulary.short_label('type', s.type)} · {where}{extra}  [{s.id}]")
    shown = len(records)
    print(f"{shown} résultat(s) affiché(s) sur {result.total}.")
    if result.approximate:  # found by forgiving a typo: say which words
        words = ", ".join(f"« {w} »" for w in result.approximate)
        print(f"Orthographe approchée : aucune structure ne contient exactement {words}.")
    if hint is not None and hint.applies:
        print_hint(hint, place)
    return 0


def print_hint(hint: NearHint, place: str) -> None:
    """« Près de » with nothing local: the window's notice, as text."""
    print(hint.sentence(place))
    for s, km in hint.nearest:
        print(f"  {s.name} · {s.commune} ({s.departement}) — {distance_text(km)}  [{s.id}]")
    if hint.wider_km:
        radii = [str(km) for km in hint.wider_km]
        listed = radii[0] if len(radii) == 1 else f"{', '.join(radii[:-1])} ou {radii[-1]}"
        print(f"Élargir : --radius {listed}.")


def show(ctx: Context, args: argparse.Namespace) -> int:
    from ..core.phones import shown
    from ..core.records import structure_to_dict

    s = ctx.directory().get(args.id)
    if s is None:
        raise CliError(f"aucune structure ne porte l'identifiant « {args.id} »")
    if args.json:
        write_json(structure_to_dict(s))
        return 0
    from ..core import vocabulary

    print(s.name)
    if s.withdrawn:
        print("  Retirée de l'annuaire : conservée parce que vous avez des notes ou des listes à son sujet.")
    print(f"  Type : {vocabulary.label('type', s.type)}")
    if s.address:
        print(f"  Adresse : {s.address} {s.address2} {s.postal_code} {s.commune}".rstrip())
    elif s.commune:
        print(f"  Commune : {s.commune} ({s.departement})")
    for p in s.phones:
        print(f"  Téléphone{(' (' + p.label + ')') if p.label else ''} : {shown(p, s.departement)}")
    for e in s.emails:
        print(f"  Courriel : {e}")
    if s.website:
        print(f"  Site : {s.website}")
    from ..core.hours_fr import hours_line

    if text := hours_line(s.opening_hours, s.hours_text):
        print(f"  Horaires : {text}")
    if s.supports:
        print("  Accompagnements : " + ", ".join(vocabulary.label("support", x) for x in s.supports))
    if s.publics:
        print("  Publics : " + ", ".join(vocabulary.label("public", x) for x in s.publics))
    if s.description:
        print(f"  {s.description}")
    if s.updated:
        print(f"  Mise à jour : {s.updated.strftime('%d/%m/%Y')}")
    return 0


def stats(ctx: Context, args: argparse.Namespace) -> int:
    from ..core.stats import COUNT_DEFINITION, TERRITORY_CAVEAT, coverage_stats

    figures = coverage_stats(ctx.directory(), query_from_args(args))
    if args.json:
        write_json(figures.to_json())
        return 0
    print(f"Structures : {figures.total} (dont {figures.national} lignes nationales, comptées à part)")
    print(COUNT_DEFINITION)
    print("\nPar territoire (structures situées ou intervenant sur place, hors lignes nationales)")
    print(TERRITORY_CAVEAT)
    for title, overseas in (("Métropole", False), ("Outre-mer", True)):
        rows = [t for t in figures.territories if (t.key in figures.overseas) == overseas]
        distinct = figures.overseas_total if overseas else figures.mainland_total
        print(f"  {title} : {distinct} structures "
              f"({sum(t.count for t in rows)} en comptant chaque territoire servi)")
        for t in rows:
            if t.count:
                print(f"    {t.key:>4} {t.label} : {t.count}")
        empty = [t.key for t in rows if not t.count]
        if empty:
            print(f"    sans structure ({len(empty)}) : {', '.join(empty)}")
    for heading, counts in (("Par type de structure", figures.types),
                            ("Par type d'accompagnement", figures.supports),
                            ("Ancienneté de la mise à jour", figures.ages)):
        print(f"\n{heading}")
        for c in counts:
            print(f"  {c.label} : {c.count}")
    print("\nTerritoires sans structure locale, par type d'accompagnement")
    for s in figures.supports:
        gaps = figures.gaps(s.key)
        print(f"  {s.label} : {len(gaps)}" + (f" — {', '.join(g.key for g in gaps)}" if gaps else ""))
    return 0
