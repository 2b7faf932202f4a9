"""Starting the window, and `pare --self-test`."""

from __future__ import annotations

import argparse
from typing import Any

from .common import CliError, Context


def register(sub: Any) -> None:
    """The window starts when no subcommand is given."""


def start_gui(ctx: Context, args: argparse.Namespace) -> int:
    raise CliError("la fenêtre n'est pas encore disponible ; utilisez « pare search »")


def self_test(ctx: Context, args: argparse.Namespace) -> int:
    raise CliError("l'auto-test n'est pas encore disponible")
