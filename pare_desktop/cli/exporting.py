"""`pare export`: search results, a contact list or the favourites as CSV, XLSX, vCard, PDF or GeoJSON."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .common import CliError, Context, add_filter_arguments, query_from_args

if TYPE_CHECKING:
    from ..core.records import SearchQuery, Structure

FORMATS = ("csv", "xlsx", "vcard", "pdf", "geojson")


def register(sub: Any) -> None:
    p = sub.add_parser("export", help="exporter des structures (CSV, XLSX, vCard, PDF, GeoJSON)")
    p.add_argument("--format", choices=FORMATS, required=True, help="format du fichier")
    add_filter_arguments(p)
    p.add_argument("--list", metavar="NOM", help="une liste de contacts (au lieu d'une recherche)")
    p.add_argument("--favorites", "--favoris", action="store_true", help="les favoris")
    p.add_argument(
        "--columns", metavar="COL,COL", help="colonnes (CSV, XLSX, GeoJSON), séparées par des virgules"
    )
    p.add_argument(
        "--include-confidential",
        action="store_true",
        help="inclure les données confidentielles (mode professionnel seulement)",
    )
    p.add_argument("--separator", choices=(";", ","), default=";", help="séparateur CSV (;)")
    p.add_argument("--vcard-version", choices=("4.0", "3.0"), default="4.0", help="version vCard (4.0)")
    p.add_argument("--title", metavar="TITRE", help="titre de l'export (PDF, XLSX)")
    p.add_argument("-o", "--output", required=True, metavar="FICHIER", help="fichier à écrire")
    p.set_defaults(handler=export_command)


def export_command(ctx: Context, args: argparse.Namespace) -> int:
    from ..core.export import ExportOptions, export
    from ..core.export.columns import BY_KEY
    from ..core.export.filters import describe_query

    if args.include_confidential and not ctx.pro_mode:
        raise CliError("--include-confidential demande le mode professionnel (pare --pro export ...)")
    if args.list and args.favorites:
        raise CliError("--list et --favorites ne vont pas ensemble")
    columns = None
    if args.columns:
        columns = tuple(c.strip() for c in args.columns.split(",") if c.strip())
        unknown = [c for c in columns if c not in BY_KEY]
        if unknown:
            raise CliError(
                f"--columns : colonne inconnue « {unknown[0]} ». Colonnes possibles : {', '.join(BY_KEY)}"
            )
    if args.output == "-":  # would write a file named « - » in the current folder
        raise CliError("« -o - » : l'export s'écrit dans un fichier, pas sur la sortie standard ; indiquez "
                       "un nom de fichier, par exemple « -o annuaire.csv »")
    out = Path(args.output)
    if not out.parent.is_dir():
        raise CliError(f"dossier introuvable : « {out.parent} »")
    query = query_from_args(args)
    filters = list(describe_query(query))
    found = _quick_read(ctx, args, query, filters)
    title, records, version = found if found is not None else _search_and_read(ctx, args, query, filters)
    options = ExportOptions(
        columns=columns,
        include_confidential=args.include_confidential,
        pro_mode=ctx.pro_mode,
        separator=args.separator,
        vcard_version=args.vcard_version,
        title=args.title or title,
        filters=tuple(filters),
        dataset_version=version,
        keep_order=bool(args.list),  # a list prints in the user's order
    )
    n = export(records, args.format, out, options)
    left_out = len(records) - n
    sys.stdout.write(
        f"{out.name} : {n} structure(s) exportée(s)"
        + (f", {left_out} confidentielle(s) laissée(s) de côté" if left_out else "")
        + ".\n"
    )
    return 0


def _needs_search(args: argparse.Namespace, query: SearchQuery) -> bool:
    """Whether the records come from a search: filters, or the whole directory in another order than by
    name. A list or the favourites without filters, or everything by name, are read without the index."""
    from ..core.records import SORT_NAME, SORT_RELEVANCE

    if args.list or args.favorites:
        return not query.is_empty
    return not (query.is_empty and query.include_national and query.sort in (SORT_RELEVANCE, SORT_NAME))


def _quick_read(
    ctx: Context, args: argparse.Namespace, query: SearchQuery, filters: list[str]
) -> tuple[str, list[Structure], str] | None:
    """Title, records and data version read without SQLAlchemy, numpy or the search index (core/reader.py):
    the same records, privacy and order as `_search_and_read`; None when a search is needed, or when the
    database must first be created, upgraded or seeded (the Directory does it)."""
    if _needs_search(args, query):
        return None
    reader = ctx.reader()
    if reader is None:
        return None
    with reader:
        if args.list:
            found = reader.list_by_name(args.list)
            if found is None:
                raise _no_such_list(args.list, [name for _, name in reader.lists()])
            filters.insert(0, f"Liste : {found[1]}")
            return found[1], reader.get_many(reader.list_ids(found[0])), reader.dataset_version()
        if args.favorites:
            filters.insert(0, "Favoris")
            return "Favoris", reader.get_many(sorted(reader.favourite_ids())), reader.dataset_version()
        return "Annuaire PARÉ", reader.all_visible(), reader.dataset_version()


def _search_and_read(
    ctx: Context, args: argparse.Namespace, query: SearchQuery, filters: list[str]
) -> tuple[str, list[Structure], str]:
    """Title, records and data version through the Directory: a list, the favourites or a search."""
    directory = ctx.directory()
    if args.list:
        info = directory.user.list_by_name(args.list)
        if info is None:
            raise _no_such_list(args.list, [i.name for i in directory.user.lists()])
        title = info.name
        ids: list[str] | None = directory.user.list_ids(info.id)
    elif args.favorites:
        title, ids = "Favoris", sorted(directory.user.favourite_ids())
    else:
        title, ids = "Annuaire PARÉ", None
    if ids is not None:
        if not query.is_empty:  # a list filtered by the search filters: keep the list's order
            from dataclasses import replace

            found = set(directory.search(replace(query, ids=tuple(ids))).ids)
            ids = [x for x in ids if x in found]
        records = directory.get_many(ids)
        filters.insert(0, f"Liste : {title}" if args.list else "Favoris")
    else:
        records = directory.get_many(directory.search(query).ids)
    data = directory.dataset_info()
    version = str(data.version) if data.version is not None else ("démonstration" if data.is_demo else "")
    return title, records, version


def _no_such_list(asked: str, names: list[str]) -> CliError:
    shown = ", ".join(f"« {name} »" for name in names) or "aucune"
    return CliError(f"liste introuvable : « {asked} » (listes : {shown})")
