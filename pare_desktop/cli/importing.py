"""`pare import FILE [--replace] [--dry-run] [--json]`, `pare import --undo`: publisher data from a file
(or, with --local, the user's own contacts), previewed before it is applied and undoable."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from .common import CliError, Context

if TYPE_CHECKING:
    from ..core.changes import ApplyOutcome
    from ..core.imports import ImportPreview

FORMATS = ("auto", "csv", "xlsx", "datainclusion", "umap", "geojson")


def register(sub: Any) -> None:
    p = sub.add_parser(
        "import",
        help="importer un fichier (CSV, XLSX, data·inclusion, uMap, GeoJSON), ou annuler le dernier import",
    )
    p.add_argument("file", metavar="FICHIER", nargs="?")
    p.add_argument("--format", choices=FORMATS, default="auto", help="format du fichier (auto)")
    p.add_argument("--source", metavar="NOM", help="nom de la source (par défaut : celle du fichier)")
    p.add_argument(
        "--replace",
        action="store_true",
        help="remplacer l'annuaire : retire les structures absentes du fichier et les fiches de "
        "démonstration (par défaut : ajout et mise à jour seulement)",
    )
    p.add_argument(
        "--dry-run", action="store_true", help="montrer ce que l'import ferait, sans rien modifier"
    )
    p.add_argument("--json", action="store_true", help="résultat en JSON")
    p.add_argument("--undo", action="store_true", help="annuler le dernier import (données de l'éditeur)")
    p.add_argument("--local", action="store_true", help="contacts locaux du coordinateur")
    p.add_argument("--skip-invalid", action="store_true", help="importer les lignes valides seulement")
    p.add_argument("--rejects", metavar="FICHIER", help="écrire les lignes rejetées (avec --skip-invalid)")
    p.set_defaults(handler=import_file)


def import_file(ctx: Context, args: argparse.Namespace) -> int:
    from ..core.changes import MODE_ADD, MODE_REPLACE
    from ..core.importers import read_file, write_rejects

    if args.undo:
        if args.file or args.replace or args.dry_run or args.local:
            raise CliError("--undo s'utilise seul : « pare import --undo »")
        return _undo(ctx, args)
    if not args.file:
        raise CliError("indiquez le fichier à importer (ou --undo pour annuler le dernier import)")
    path = Path(args.file)
    if not path.is_file():
        raise CliError(f"fichier introuvable : « {path} »")
    if args.rejects and not args.skip_invalid:
        raise CliError("--rejects s'utilise avec --skip-invalid")
    if args.local and (args.replace or args.dry_run):
        raise CliError("--replace et --dry-run ne s'appliquent pas aux contacts locaux")
    origin = "local" if args.local else "publisher"
    mode = MODE_REPLACE if args.replace else MODE_ADD
    # a data·inclusion file is streamed: read once for the preview (which learns its rejects), once to apply
    batch = read_file(path, args.format, source=args.source, origin=origin, stream=True)
    preview = ctx.directory().preview_import(batch, mode) if hasattr(batch, "chunks") else None
    if batch.rejects and not args.skip_invalid and not args.dry_run:  # a dry run shows them instead
        _refuse(path, batch.rejects, batch.valid)
    if batch.rejects and args.rejects:
        write_rejects(Path(args.rejects), batch)
    if not batch.valid:
        _print_notes(batch, sys.stderr)  # why nothing is valid, even without --rejects
        raise CliError(f"{path.name} : aucune structure valide à importer")
    directory = ctx.directory()
    if args.local:
        batch = replace(batch, records=tuple(replace(s, origin="local") for s in batch.records))
        n = directory.import_batch(batch).added
        print(f"{path.name} : {n} contact(s) local(aux) importé(s).")
        return 0
    preview = preview or directory.preview_import(batch, mode)
    if args.dry_run:
        _report(path, preview, preview.counts, args.json)
        _print_warnings(batch, sys.stderr if args.json else sys.stdout)
        if batch.rejects and not args.skip_invalid:
            print(f"Sans --skip-invalid, cet import serait refusé : « pare import {path} --skip-invalid » "
                  "importe les lignes valides.", file=sys.stderr if args.json else sys.stdout)
        return 0
    outcome = replace(directory.apply_changes(preview.changes), unmatched=preview.unmatched)
    _report(path, preview, outcome, args.json)
    _print_warnings(batch, sys.stderr if args.json else sys.stdout)
    return 0


def _refuse(path: Path, rejects: Any, valid: int) -> None:
    first = rejects[0]
    n = len({r.location for r in rejects})
    more = f" (et {len(rejects) - 1} autre(s) problème(s))" if len(rejects) > 1 else ""
    advice = (
        f" Pour importer les {valid} structure(s) valide(s) seulement : "
        f"« pare import {path} --skip-invalid » (ajoutez « --rejects rejets.csv » pour garder les lignes "
        "écartées)."
        if valid
        else " Aucune ligne n'est valide."
    )
    raise CliError(
        f"{path.name} : {n} ligne(s) refusée(s), rien n'a été importé — "
        f"{first.location}, champ « {first.field} » : {first.reason}{more}.{advice}"
    )


def _report(path: Path, preview: ImportPreview, c: ApplyOutcome, as_json: bool) -> None:
    from ..core.text import shorten

    if as_json:
        doc = {
            "file": path.name,
            "mode": preview.mode,
            "dry_run": c.dry_run,
            "new": c.added,
            "updated": c.updated,
            "unchanged": c.unchanged,
            "withdrawn": c.absent,
            "kept_withdrawn": c.withdrawn,
            "demo_retired": c.demo_retired,
            "demo_superseded": c.superseded,
            "unmatched_services": preview.unmatched,
            "rejected": [
                {"location": r.location, "field": r.field, "reason": r.reason} for r in preview.rejects
            ],
        }
        print(json.dumps(doc, ensure_ascii=False, indent=1))
        return
    head = "aperçu, rien n'est modifié" if c.dry_run else "importé"
    mode = "remplacement de l'annuaire" if preview.mode == "replace" else "ajout et mise à jour"
    print(f"{path.name} ({mode}) — {head} :")
    lines = [
        (c.added, "nouvelle(s) structure(s)"),
        (c.updated, "mise(s) à jour"),
        (c.unchanged, "inchangée(s)"),
        (c.absent, "retirée(s) car absente(s) du fichier"),
        (len({r.location for r in preview.rejects}), "ligne(s) rejetée(s)"),
    ]
    for n, text in lines:
        if n or text.startswith(("nouvelle", "mise")):
            print(f"  {n} {text}")
    if c.withdrawn:
        print(f"  {c.withdrawn} fiche(s) gardée(s) mais marquée(s) « retirée » : vous les avez annotées")
    if c.demo_retired:
        print(f"  {c.demo_retired} fiche(s) de démonstration retirée(s)")
    elif preview.mode != "replace":
        print("  les fiches de démonstration restent (--replace pour remplacer tout l'annuaire)")
    if c.superseded:
        print(f"  {c.superseded} fiche(s) de démonstration remplacée(s) par le fichier : vos notes suivent")
    if preview.unmatched:
        print(f"  {preview.unmatched} service(s) sans structure connue")
    for r in preview.rejects[:20]:
        print(f"  rejet — {shorten(r.location)}, {shorten(r.field, 40)} : {shorten(r.reason, 300)}")
    if not c.dry_run:
        print("Pour revenir en arrière : « pare import --undo ».")


def _undo(ctx: Context, args: argparse.Namespace) -> int:
    outcome = ctx.directory().undo_last_import()
    if args.json:
        doc = {"source": outcome.source, "restored": outcome.restored, "removed": outcome.removed}
        print(json.dumps(doc, ensure_ascii=False, indent=1))
    else:
        print(
            f"Dernier import annulé (source « {outcome.source} ») : {outcome.restored} fiche(s) rétablie(s), "
            f"{outcome.removed} fiche(s) ajoutée(s) par l'import retirée(s). Vos notes, favoris et listes "
            "sont intacts."
        )
    return 0


def _print_notes(batch: Any, out: TextIO) -> None:
    """The first rejects with their reasons, then the warnings (values classified « Non classé »...)."""
    from ..core.text import shorten

    for r in batch.rejects[:20]:
        print(f"  rejet — {shorten(r.location)}, {shorten(r.field, 40)} : {shorten(r.reason, 300)}", file=out)
    if len(batch.rejects) > 20:
        print(f"  … et {len(batch.rejects) - 20} autre(s) problème(s) (--rejects FICHIER pour tous les voir)",
              file=out)
    _print_warnings(batch, out)


def _print_warnings(batch: Any, out: TextIO) -> None:
    for warning in getattr(batch, "warnings", ()):
        print(f"  attention — {warning}", file=out)
