"""Starting the window, `pare screenshot OUTDIR`, and `pare --self-test`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .common import CliError, Context


def register(sub: Any) -> None:
    """The window starts when no subcommand is given; `screenshot` renders the main views to PNG."""
    p = sub.add_parser("screenshot", help="enregistre des captures de la fenêtre (PNG, hors écran)")
    p.add_argument("outdir", metavar="DOSSIER", help="dossier où écrire les images")
    p.add_argument("--width", type=int, default=1366, help="largeur de la fenêtre (1366 par défaut)")
    p.add_argument("--height", type=int, default=768, help="hauteur de la fenêtre (768 par défaut)")
    p.set_defaults(handler=screenshot)


def start_gui(ctx: Context, args: argparse.Namespace) -> int:
    from .. import paths
    from ..app import run
    from ..logs import setup_logging

    setup_logging(paths.log_dir(ctx.data_dir), verbose=ctx.verbose)
    return run(ctx.db_path, pro=True if ctx.pro_mode else None)


def screenshot(ctx: Context, args: argparse.Namespace) -> int:
    """Render on a fresh demo database (never the user's), with throw-away settings."""
    from ..ui.screenshots import render_screenshots

    outdir = Path(args.outdir)
    try:
        written = render_screenshots(outdir, size=(args.width, args.height))
    except OSError as exc:
        raise CliError(f"impossible d'écrire les captures dans {outdir} : {exc}") from exc
    for path in written:
        print(path)
    return 0


def self_test(ctx: Context, args: argparse.Namespace) -> int:
    from ..selftest import run

    return run(ctx, args)
