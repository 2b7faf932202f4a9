"""The `pare` command line: global options, one module per group of subcommands, French errors."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from .. import __version__
from .common import CliError, Context
from .french import FrenchParser

#: Modules that add subcommands: each has `register(subparsers) -> None`, setting `handler` defaults.
SUBCOMMAND_MODULES = ("query", "importing", "exporting", "mapping", "syncing", "gui")

Handler = Callable[[Context, argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = FrenchParser(
        prog="pare",
        description="PARÉ Desktop — l'annuaire hors ligne des structures d'aide aux mineurs.",
    )
    parser.add_argument("--version", action="version", version=f"PARÉ Desktop {__version__}",
                        help="affiche la version et quitte")
    _add_global_options(parser, None)
    parser.add_argument("--self-test", action="store_true", help="vérifie l'installation puis quitte")
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE", parser_class=FrenchParser)
    for name in SUBCOMMAND_MODULES:
        importlib.import_module(f"{__name__}.{name}").register(sub)
    for subparser in sub.choices.values():  # `pare search ecoute --data-dir X` works as well
        _add_global_options(subparser, argparse.SUPPRESS)
    return parser


def _add_global_options(parser: argparse.ArgumentParser, default: Any) -> None:
    """--data-dir, --pro, --verbose: before or after the subcommand (SUPPRESS: only when given)."""
    kw = {} if default is None else {"default": default}
    parser.add_argument("--data-dir", metavar="DOSSIER", help="dossier des données (base, journaux)", **kw)
    parser.add_argument(
        "--pro", action="store_true", help="mode professionnel : données confidentielles", **kw
    )
    parser.add_argument(
        "--verbose", action="store_true", help="journal détaillé sur la sortie d'erreur", **kw
    )


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
    except BrokenPipeError:  # « pare search | head »: the reader has what it wanted; say nothing
        _silence_stdout()
        return 141  # 128 + SIGPIPE, as for any command whose reader went away
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


def _silence_stdout() -> None:
    """After a closed pipe, point standard output at /dev/null so that the final flush stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (tests) or already closed
        pass
