"""French typography for printed text: non-breaking spaces before : ; ! ? and inside « », dates in words."""

from __future__ import annotations

import re
from datetime import date

NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space (before ; ! ? and inside guillemets)

_BEFORE_COLON = re.compile(r"[ \t]+:(?=\s|$)")
_BEFORE_TALL = re.compile(r"[ \t]+([;!?])")
_AFTER_OPEN = re.compile(r"«[ \t]*")
_BEFORE_CLOSE = re.compile(r"[ \t]*»")
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def french(text: str, narrow: str = NNBSP) -> str:
    """Spaces before : ; ! ? and inside « » made non-breaking (a space already typed is kept, not added
    elsewhere: "https://" and "10:30" stay as they are)."""
    text = _BEFORE_COLON.sub(NBSP + ":", text)
    text = _BEFORE_TALL.sub(lambda m: narrow + m[1], text)
    text = _AFTER_OPEN.sub("«" + narrow, text)
    return _BEFORE_CLOSE.sub(narrow + "»", text)


def long_date(d: date) -> str:
    """12 mars 2025 (1er for the first of the month)."""
    day = "1er" if d.day == 1 else str(d.day)
    return f"{day}{NBSP}{MONTHS[d.month - 1]} {d.year}"
