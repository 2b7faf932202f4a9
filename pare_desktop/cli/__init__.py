"""The `pare` command line: global options, one module per group of subcommands, French errors."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Callable, Sequence
from typing import Any

from .. import __version__
from .common import CliError, Context

#: Modules that add subcommands: each has `register(subparsers) -> None`, setting `handler` defaults.
SUBCOMMAND_MODULES = ("query", "importing", "exporting", "mapping", "syncing", "gui")

Handler = Callable[[Context, argparse.Namespace], int]


class _FrenchFormatter(argparse.HelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "utilisation : " if prefix is None else prefix)


class _FrenchParser(argparse.ArgumentParser):
    """argparse with its own words in French (usage, headings, help option, errors)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _FrenchFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "arguments"
        self._optionals.title = "options"
        self.add_argument("-h", "--help", action="help", help="affiche cette aide et quitte")

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"pare : erreur : {_french_error(message)}\n")
        sys.exit(2)


def _french_error(message: str) -> str:
    """argparse's own error sentences, in French."""
    replacements = (
        ("the following arguments are required:", "arguments obligatoires manquants :"),
        ("unrecognized arguments:", "arguments non reconnus :"),
        ("invalid choice:", "choix invalide :"),
        ("choose from", "valeurs possibles :"),
        ("expected one argument", "une valeur est attendue"),
        ("invalid int value:", "nombre entier invalide :"),
        ("invalid float value:", "nombre invalide :"),
        ("argument ", "option "),
    )
    for en, fr in replacements:
        message = message.replace(en, fr)
    return message


def build_parser() -> argparse.ArgumentParser:
    parser = _FrenchParser(
        prog="pare",
        description="PARÉ Desktop — l'annuaire hors ligne des structures d'aide aux mineurs.",
    )
    parser.add_argument("--version", action="version", version=f"PARÉ Desktop {__version__}",
                        help="affiche la version et quitte")
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
    except OSError as exc:  # a file the command could not read or write: French, exit 2, details logged
        from ..core.errors import os_reason

        logging.getLogger("pare.cli").debug("file error", exc_info=True)
        where = f" : « {exc.filename} »" if exc.filename else ""
        sys.stderr.write(f"pare : {os_reason(exc)}{where}.\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("pare : interrompu.\n")
        return 130
    finally:
        ctx.close()
