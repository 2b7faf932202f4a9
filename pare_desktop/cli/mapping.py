"""`pare map --out FICHIER.html [filtres]`: the map of a search as one self-contained HTML file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .common import CliError, Context, add_filter_arguments, query_from_args


def register(sub: Any) -> None:
    p = sub.add_parser("map", help="exporter la carte d'une recherche en un fichier HTML autonome")
    add_filter_arguments(p)
    p.add_argument("--out", required=True, metavar="FICHIER.html", help="fichier HTML à écrire")
    p.add_argument("--include-confidential", action="store_true",
                   help="positions exactes des adresses confidentielles (mode professionnel seulement)")
    p.set_defaults(handler=export_map)


def export_map(ctx: Context, args: argparse.Namespace) -> int:
    from ..map.export import write_html
    from ..map.framing import frame_for
    from ..map.payload import default_open_state

    out = Path(args.out).expanduser()
    if out.suffix.lower() not in (".html", ".htm"):
        raise CliError("--out : le fichier doit se terminer par .html")
    if not out.parent.is_dir():
        raise CliError(f"--out : le dossier « {out.parent} » n'existe pas")
    query = query_from_args(args)
    directory = ctx.directory()
    result = directory.search(query)
    if args.include_confidential and not ctx.pro_mode:
        raise CliError("--include-confidential demande le mode professionnel (pare --pro map ...)")
    from ..core.export import prepare_records

    # a page is shared like an export: confidential data only when asked for (docs/export.md)
    records = prepare_records(directory.get_many(result.ids), args.include_confidential)
    size = write_html(records, out, open_state=default_open_state(), frame=frame_for(query))
    located = sum(1 for s in records if s.has_position and not s.is_national)
    sys.stdout.write(
        f"Carte écrite : {out} ({size // 1024} Ko) — {len(records)} structures, "
        f"{located} sur la carte, {len(records) - located} nationales ou sans localisation.\n"
    )
    return 0
