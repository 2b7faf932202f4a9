"""`pare import FILE`: publisher data (or, with --local, the user's own contacts) from a file."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from .common import CliError, Context

FORMATS = ("auto", "csv", "xlsx", "datainclusion", "umap", "geojson")


def register(sub: Any) -> None:
    p = sub.add_parser("import", help="importer un fichier (CSV, XLSX, data·inclusion, uMap, GeoJSON)")
    p.add_argument("file", metavar="FICHIER")
    p.add_argument("--format", choices=FORMATS, default="auto", help="format du fichier (auto)")
    p.add_argument("--source", metavar="NOM", help="nom de la source (par défaut : celle du fichier)")
    p.add_argument("--local", action="store_true", help="contacts locaux du coordinateur")
    p.add_argument("--skip-invalid", action="store_true", help="importer les lignes valides seulement")
    p.add_argument("--rejects", metavar="FICHIER", help="écrire les lignes rejetées (avec --skip-invalid)")
    p.set_defaults(handler=import_file)


def import_file(ctx: Context, args: argparse.Namespace) -> int:
    from ..core.errors import require_valid
    from ..core.importers import read_file, write_rejects

    path = Path(args.file)
    if not path.is_file():
        raise CliError(f"fichier introuvable : « {path} »")
    if args.rejects and not args.skip_invalid:
        raise CliError("--rejects s'utilise avec --skip-invalid")
    origin = "local" if args.local else "publisher"
    batch = read_file(path, args.format, source=args.source, origin=origin)
    if not args.skip_invalid:
        require_valid(batch)
    elif batch.rejects and args.rejects:
        write_rejects(Path(args.rejects), batch)
    if not batch.records:
        _print_notes(batch, sys.stderr)  # why nothing is valid, even without --rejects
        raise CliError(f"{path.name} : aucune structure valide à importer")
    if args.local:
        batch = replace(batch, records=tuple(replace(s, origin="local") for s in batch.records))
    outcome = ctx.directory().import_batch(batch)
    print(
        f"{path.name} : {outcome.added} structure(s) ajoutée(s), {outcome.updated} mise(s) à jour"
        + (f", {len(batch.rejects)} ligne(s) rejetée(s)" if batch.rejects else "")
        + (f" ; {outcome.demo_retired} fiche(s) de démonstration retirée(s)" if outcome.demo_retired else "")
        + (f" ; {outcome.unmatched} service(s) sans structure connue" if outcome.unmatched else "")
        + "."
    )
    _print_notes(batch, sys.stdout)
    return 0


def _print_notes(batch: Any, out: TextIO) -> None:
    """The first rejects with their reasons, then the warnings (values classified « Non classé »...)."""
    for r in batch.rejects[:20]:
        print(f"  rejet — {r.location}, {r.field} : {r.reason}", file=out)
    if len(batch.rejects) > 20:
        print(f"  … et {len(batch.rejects) - 20} autre(s) problème(s) (--rejects FICHIER pour tous les voir)",
              file=out)
    for warning in getattr(batch, "warnings", ()):
        print(f"  attention — {warning}", file=out)
