"""`pare-publish`: keygen, build and verify the signed static feed of the national directory."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from pare_desktop.cli.french import FrenchParser

from .errors import SyncError


def _parser() -> argparse.ArgumentParser:
    p = FrenchParser(prog="pare-publish", description="Publie le flux signé de l'annuaire PARÉ.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMANDE", parser_class=FrenchParser)
    k = sub.add_parser("keygen", help="créer une paire de clés Ed25519")
    k.add_argument("--out", required=True, metavar="DOSSIER", help="dossier où écrire les deux clés")
    b = sub.add_parser("build", help="publier la version suivante du flux")
    b.add_argument(
        "sources",
        nargs="+",
        metavar="SOURCE",
        help="fichiers (CSV, XLSX, data·inclusion, uMap, GeoJSON) ou base PARÉ (.sqlite)",
    )
    b.add_argument("--key", required=True, metavar="CLE_PRIVEE", help="clé privée de signature")
    b.add_argument("--out", required=True, metavar="DOSSIER_FLUX", help="dossier du flux à mettre à jour")
    b.add_argument(
        "--tier", choices=("public", "pro"), default="public", help="niveau du flux : public ou pro (public)"
    )
    b.add_argument(
        "--expires", type=int, default=30, metavar="JOURS", help="validité du manifeste (30 jours)"
    )
    b.add_argument("--dataset-id", metavar="ID", help="identifiant du jeu de données (pare-<tier>)")
    b.add_argument("--keep", type=int, default=30, metavar="N", help="deltas conservés (30)")
    v = sub.add_parser("verify", help="vérifier un flux de bout en bout")
    v.add_argument("feed", metavar="DOSSIER_FLUX", help="dossier du flux à vérifier")
    v.add_argument("--key", required=True, metavar="CLE_PUBLIQUE", help="clé publique du flux")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    try:
        if args.command == "keygen":
            from .keys import generate

            priv, pub = generate(Path(args.out))
            print(f"clé privée : {priv} (à garder secrète)\nclé publique : {pub}")
        elif args.command == "build":
            from .publish import build

            r = build(
                [Path(s) for s in args.sources],
                Path(args.key),
                Path(args.out),
                tier=args.tier,
                expires_days=args.expires,
                dataset_id=args.dataset_id,
                keep=args.keep,
            )
            m = r.manifest
            print(
                f"{m.dataset_id} version {m.version} : {m.record_count} structure(s), "
                f"{r.upserts} ajout(s) ou modification(s), {r.removals} retrait(s) ; "
                f"expire le {m.expires:%Y-%m-%d}"
            )
        else:
            from .feedcheck import verify_feed
            from .keys import load_public

            _, lines = verify_feed(Path(args.feed), [load_public(Path(args.key))])
            print("\n".join([*lines, "flux vérifié : tout est conforme"]))
    except SyncError as exc:
        sys.stderr.write(f"pare-publish : {exc.message}\n")
        return 1
    except OSError as exc:
        logging.getLogger("pare.publish").debug("file error", exc_info=exc)
        where = f" : « {exc.filename} »" if exc.filename else ""
        sys.stderr.write(f"pare-publish : fichier inaccessible{where}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
