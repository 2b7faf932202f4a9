"""Records for export tests: demo ones and hostile ones (formulas, markup, quotes, separators)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from pare_desktop.core.demo import load_demo, load_reference
from pare_desktop.core.records import Phone, Structure

HOSTILE_NAME = '=HYPERLINK("http://evil.example","clic"); <b>gras</b>, « Noël »'
HOSTILE_DESCRIPTION = (
    "<script>alert(1)</script> & <i>x</i>\nligne 2 ; a, b \\ c\n@SUM(A1) +1 -2 \"citation\" 'apostrophe'"
)


def _base() -> Structure:
    return next(
        s
        for s in load_demo()
        if s.departement == "974" and s.visibility == "public" and s.address_visibility == "public"
    )


@pytest.fixture()
def hostile() -> Structure:
    return replace(
        _base(),
        id="demo:hostile",
        source_id="hostile",
        name=HOSTILE_NAME,
        description=HOSTILE_DESCRIPTION,
        address='+33 rue "des Écoliers"',
        address2="-bât. B; porte 2",
        hours_text="=1+1",
        phones=(
            Phone("+262262123456", "0262 12 34 56", "Standard"),
            Phone("+33261917770", "+33 2 61 91 77 70"),
            Phone("+262262999999", "0262 99 99 99", "Nuit", confidential=True),
        ),
        updated=date(2024, 5, 17),
    )


@pytest.fixture()
def records(hostile: Structure) -> list[Structure]:
    demo = [s for s in load_demo() if s.visibility == "public"][:40]
    pro = next(s for s in load_demo() if s.visibility == "pro")
    return [hostile, *load_reference()[:3], *demo, pro]
