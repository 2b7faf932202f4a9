"""argparse in French: usage, headings, help option and error sentences (for `pare` and `pare-publish`)."""

from __future__ import annotations

import argparse
import sys
from typing import Any, NoReturn


class FrenchFormatter(argparse.HelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "utilisation : " if prefix is None else prefix)


class FrenchParser(argparse.ArgumentParser):
    """argparse with its own words in French (usage, headings, help option, errors)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", FrenchFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "arguments"
        self._optionals.title = "options"
        self.add_argument("-h", "--help", action="help", help="affiche cette aide et quitte")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        program = self.prog.split()[0] if self.prog else "pare"
        sys.stderr.write(f"{program} : erreur : {french_error(message)}\n")
        sys.exit(2)


def french_error(message: str) -> str:
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
