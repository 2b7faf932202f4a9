"""`pare sync`: pull the signed feed (settings remembered), or export the queued error reports."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .common import CliError, Context


def register(sub: Any) -> None:
    p = sub.add_parser("sync", help="mettre à jour l'annuaire depuis le flux signé PARÉ")
    p.add_argument("--feed", metavar="URL", help="adresse du flux (mémorisée)")
    p.add_argument("--key", metavar="CLE_PUBLIQUE", help="clé publique du flux (mémorisée)")
    p.add_argument(
        "--token", metavar="JETON", help="jeton d'accès au flux professionnel (mémorisé en sécurité)"
    )
    p.add_argument("--forget-token", action="store_true", help="oublier le jeton d'accès")
    p.add_argument(
        "--report-url", metavar="URL", help="adresse d'envoi des signalements (mémorisée ; '' : aucune)"
    )
    p.add_argument(
        "--delai",
        type=float,
        metavar="SECONDES",
        help="durée maximale d'une synchronisation, téléchargements compris (mémorisée ; 180 par défaut)",
    )
    p.add_argument(
        "--export-reports",
        metavar="FICHIER",
        help="exporter les signalements en attente (.csv ou .json) sans synchroniser",
    )
    p.set_defaults(handler=sync)


class _StderrProgress:
    """Prints each new step on stderr; the command line cannot cancel (Ctrl+C interrupts)."""

    def __init__(self) -> None:
        self._last = ""

    def set_progress(self, done: int, total: int) -> None:
        pass

    def set_status(self, text: str) -> None:
        if text != self._last:
            self._last = text
            sys.stderr.write(f"{text}\n")

    def is_cancelled(self) -> bool:
        return False


def sync(ctx: Context, args: argparse.Namespace) -> int:
    from ..sync.client import SyncClient
    from ..sync.errors import NotConfiguredError
    from ..sync.reports import export_reports
    from ..sync.settings import TokenStore, load_settings, save_settings

    directory = ctx.directory()
    if args.export_reports:
        n = export_reports(directory, Path(args.export_reports))
        print(f"{n} signalement(s) exporté(s) dans « {args.export_reports} ».")
        return 0
    if args.key and not Path(args.key).is_file():
        raise CliError(f"clé publique introuvable : « {args.key} »")
    if args.feed is not None and args.feed and not args.feed.startswith(("http://", "https://")):
        raise CliError(f"--feed : adresse http(s) attendue, pas « {args.feed[:100]} »")
    if args.delai is not None and not 1 <= args.delai <= 86_400:
        raise CliError("--delai : une durée entre 1 et 86 400 secondes est attendue")
    save_settings(
        directory,
        feed_url=args.feed,
        key_path=Path(args.key) if args.key else None,
        report_url=args.report_url,
        deadline_s=args.delai,
    )
    tokens = TokenStore(ctx.data_dir)
    if args.forget_token:
        tokens.clear()
    if args.token:
        tokens.set(args.token)
    outcome = SyncClient(directory, load_settings(directory, ctx.data_dir)).run(_StderrProgress())
    if not outcome.ok:
        hint = " (ou : pare sync --feed ADRESSE)" if isinstance(outcome.error, NotConfiguredError) else ""
        sys.stderr.write(f"pare : {outcome.message}{hint}\n")
        return 2
    print(
        outcome.message
        + (f" ; {outcome.reports_sent} signalement(s) envoyé(s)" if outcome.reports_sent else "")
    )
    return 0
