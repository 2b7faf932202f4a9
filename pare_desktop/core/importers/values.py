"""Parsing of single cell values: clean text, vocabulary terms, yes/no, numbers, dates, e-mails, sites."""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import date, datetime

from pare_desktop.core import vocabulary
from pare_desktop.core.importers.fields import header_key
from pare_desktop.core.text import shorten


class BadValue(ValueError):
    """A cell that cannot be read; the message is French and quotes the value."""


# Control characters (Unicode category Cc: U+0000-U+001F, U+007F-U+009F) other than tab and line feed;
# carriage returns are turned into line feeds first.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"\s+")
# Invisible characters that change how text reads or compares: zero-width spaces and joiners, the
# left-to-right/right-to-left marks, embeddings, overrides and isolates (U+202E turns "exe.doc" around).
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u061c\u180e]")


def clean(value: object, *, multiline: bool = False) -> str:
    """Text as text: NFC, control and invisible (bidi, zero-width) characters removed, single-line
    fields on one line, trimmed.

    In a multi-line field tabs and line breaks are kept; in a single-line field every run of white
    space (tabs and line breaks included) becomes one space. Other control characters are dropped.
    """
    text = "" if value is None else value if isinstance(value, str) else str(value)
    if not text:
        return ""
    if text.isprintable() and "  " not in text:  # no control character, no white space but single spaces
        return (text if text.isascii() else unicodedata.normalize("NFC", text)).strip()
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", _CONTROLS.sub("", text))
    if not multiline:
        text = _SPACES.sub(" ", text)
    return text.strip()


def quote(value: str) -> str:
    """A value echoed in a message: in « », cut to ~100 characters (« … » beyond)."""
    return f"« {shorten(value)} »"


# --- vocabulary ------------------------------------------------------------------------------------

@functools.cache
def _term_index(kind: str) -> dict[str, str]:
    index: dict[str, str] = {}
    for term in vocabulary.terms(kind):
        for form in (term.slug, term.label, term.short_label):
            index.setdefault(header_key(form), term.slug)
    return index


_EXTRA: dict[str, dict[str, str]] = {
    "visibility": {"professionnels": "pro", "professionnel": "pro", "pros": "pro", "tout public": "public",
                   "tous publics": "public", "publique": "public"},
    "status": {"actif": "active", "active": "active", "ouvert": "active", "ouverte": "active",
               "ferme": "closed", "fermee definitivement": "closed",
               "ferme temporairement": "temporarily_closed"},
}


@functools.lru_cache(maxsize=65536)
def term(kind: str, value: str) -> str | None:
    """The slug for a slug, a French label or a short label of vocabulary `kind` (accent-insensitive)."""
    key = header_key(value)
    return _term_index(kind).get(key) or _EXTRA.get(kind, {}).get(key)


def valid_values(kind: str) -> str:
    return ", ".join(t.slug for t in vocabulary.terms(kind))


@functools.lru_cache(maxsize=65536)  # cells repeat: a few combinations of the vocabulary
def terms_list(kind: str, cell: str) -> tuple[str, ...]:
    """Several terms in one cell, separated by | ; or , (a label holding commas is still recognised)."""
    found: list[str] = []
    for piece in re.split(r"[|;\n]", cell):
        tokens = [t.strip() for t in piece.split(",") if t.strip()]
        i = 0
        while i < len(tokens):
            for j in range(len(tokens), i, -1):
                slug = term(kind, ", ".join(tokens[i:j]))
                if slug:
                    if slug not in found:
                        found.append(slug)
                    i = j
                    break
            else:
                possible = valid_values(kind)
                raise BadValue(f"valeur inconnue : {quote(tokens[i])} (valeurs possibles : {possible})")
    return tuple(found)


# --- scalars ---------------------------------------------------------------------------------------

_YES = {"oui", "o", "yes", "y", "vrai", "true", "1", "x"}
_NO = {"non", "n", "no", "faux", "false", "0", ""}


def yes_no(value: str) -> bool:
    key = header_key(value)
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise BadValue(f"valeur non reconnue : {quote(value)} (attendu : oui ou non)")


def number(value: str, low: float, high: float) -> float:
    try:
        result = float(value.replace(",", ".").replace(" ", ""))
    except ValueError:
        raise BadValue(f"nombre invalide : {quote(value)}") from None
    if not low <= result <= high:
        raise BadValue(f"valeur hors limites : {quote(value)} (entre {low:g} et {high:g})")
    return result


def age(value: str) -> int:
    text = value.strip().removesuffix("ans").strip()
    if text.endswith(".0"):  # a spreadsheet number
        text = text[:-2]
    if not text.isdigit() or int(text) > 120:
        raise BadValue(f"âge invalide : {quote(value)} (un nombre entier d'années)")
    return int(text)


_DATE_FR = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_DATE_ISO = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")
_DATE_WORDS = re.compile(r"^(\d{1,2})(?:er)?[ -]([a-zéû]+)\.?[ -](\d{4}|\d{2})$")
_MONTHS = {"janv": 1, "janvier": 1, "jan": 1, "fevr": 2, "fevrier": 2, "fev": 2, "feb": 2, "mars": 3,
           "mar": 3, "avr": 4, "avril": 4, "apr": 4, "mai": 5, "may": 5, "juin": 6, "jun": 6, "juil": 7,
           "juillet": 7, "jul": 7, "aout": 8, "aug": 8, "sept": 9, "septembre": 9, "sep": 9, "oct": 10,
           "octobre": 10, "nov": 11, "novembre": 11, "dec": 12, "decembre": 12}
_EXCEL_EPOCH = date(1899, 12, 30)


def _year(text: str) -> int:
    """A four-digit year, or a two-digit one as spreadsheets save it (« 26 » -> 2026, « 98 » -> 1998)."""
    year = int(text)
    if len(text) == 2:
        year += 2000 if year <= date.today().year % 100 + 20 else 1900
    return year


def parse_date(value: str) -> date:
    """JJ/MM/AAAA or JJ/MM/AA (with / - or ., a time after it is ignored), AAAA-MM-JJ or an ISO date-time,
    « 1 nov. 2026 », « 01-nov-26 », or a spreadsheet's day number (« 46327 »): what LibreOffice and
    Excel write when they save a CSV."""
    if len(value) == 10 and value[4] == "-":  # AAAA-MM-JJ, most dates of a file: the same few, remembered
        return _iso_date(value)
    return _parse_date(value)


@functools.lru_cache(maxsize=4096)
def _iso_date(value: str) -> date:
    return _parse_date(value)  # never a two-digit year: nothing here depends on today


def _parse_date(value: str) -> date:
    text = value.strip()
    try:
        if m := _DATE_FR.match(text):
            return date(_year(m[3]), int(m[2]), int(m[1]))
        if m := _DATE_ISO.match(text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if (m := _DATE_WORDS.match(fold_month(text))) and m[2] in _MONTHS:
            return date(_year(m[3]), _MONTHS[m[2]], int(m[1]))
        if text.isdigit() and 20000 <= int(text) <= 80000:
            return date.fromordinal(_EXCEL_EPOCH.toordinal() + int(text))
    except ValueError:
        pass
    raise BadValue(f"date invalide : {quote(value)} (attendu : JJ/MM/AAAA ou AAAA-MM-JJ)")


def fold_month(text: str) -> str:
    """Lower case, accents removed (« févr. » -> « fevr. »)."""
    return "".join(c for c in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(c))


def cell_from_python(value: object) -> str:
    """A spreadsheet or JSON scalar as the text a user would have typed."""
    if value.__class__ is str:  # most cells: no isinstance chain
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- codes, e-mails, web -----------------------------------------------------------------------------

def digits_code(value: str, length: int) -> str:
    """A numeric code a spreadsheet may have shortened: "1000" -> "01000" (postal or INSEE code)."""
    text = value.replace(" ", "")
    if text.endswith(".0"):
        text = text[:-2]
    if text.isdigit() and len(text) == length - 1:
        text = "0" + text
    return text


_EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")


_NOT_AN_ADDRESS = re.compile(r"[-–—_.:+&*]*|et|ou|and", re.IGNORECASE)


@functools.lru_cache(maxsize=8192)  # a tuple of strings: the same cell, the same answer
def emails(cell: str) -> tuple[str, ...]:
    """Addresses separated by spaces, ; , | / or written « a@x.fr - b@y.fr », « a@x.fr et b@y.fr »."""
    found: list[str] = []
    for part in re.split(r"[\s;,|/]+", cell):
        part = part.strip().removeprefix("mailto:").strip("<>()")
        if _NOT_AN_ADDRESS.fullmatch(part):  # "-", "et": what separates two addresses
            continue
        if not _EMAIL.match(part):
            raise BadValue(f"adresse e-mail invalide : {quote(part)}")
        if part not in found:
            found.append(part)
    return tuple(found)


@functools.lru_cache(maxsize=8192)
def website(value: str) -> str:
    """An http(s) address; "www.exemple.fr" gets https://; any other scheme (javascript:...) is refused."""
    text = value.strip()
    if not text:
        return ""
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", text):
        if not re.match(r"^https?://[^\s]+$", text, re.IGNORECASE):
            raise BadValue(f"adresse de site web invalide : {quote(value)} (http:// ou https:// attendu)")
        return text
    if re.match(r"^[\w.-]+\.[a-zA-Z]{2,}(/[^\s]*)?$", text):
        return "https://" + text
    raise BadValue(f"adresse de site web invalide : {quote(value)}")
