"""The `pare` command line: global options, one module per group of subcommands, French errors."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence

from .. import __version__
from .common import CliError, Context

#: Modules that add subcommands: each has `register(subparsers) -> None`, setting `handler` defaults.
SUBCOMMAND_MODULES = ("query", "importing", "exporting", "mapping", "syncing", "gui")

Handler = Callable[[Context, argparse.Namespace], int]


class _FrenchParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"pare : erreur : {message}\n")
        sys.exit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _FrenchParser(
        prog="pare",
        description="PARÉ Desktop — l'annuaire hors ligne des structures d'aide aux mineurs.",
    )
    parser.add_argument("--version", action="version", version=f"PARÉ Desktop {__version__}")
    parser.add_argument("--data-dir", metavar="DOSSIER", help="dossier des données (base, journaux)")
    parser.add_argument("--pro", action="store_true", help="mode professionnel : données confidentielles")
    parser.add_argument("--verbose", action="store_true", help="journal détaillé sur la sortie d'erreur")
    parser.add_argument("--self-test", action="store_true", help="vérifie l'installation puis quitte")
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE", parser_class=_FrenchParser)
    for name in SUBCOMMAND_MODULES:
        importlib.import_module(f"{__name__}.{name}").register(sub)
    return parser


def run(argv: Sequence[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(list(argv))
    from ..core.errors import PareError

    ctx = Context.from_args(args)
    handler: Handler | None = getattr(args, "handler", None)
    if args.self_test:
        handler = importlib.import_module(f"{__name__}.gui").self_test
    elif handler is None:
        handler = importlib.import_module(f"{__name__}.gui").start_gui
    try:
        return handler(ctx, args)
    except CliError as exc:
        sys.stderr.write(f"pare : {exc.message}\n")
        return 2
    except PareError as exc:
        sys.stderr.write(f"pare : {exc.message}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("pare : interrompu.\n")
        return 130
    finally:
        ctx.close()
