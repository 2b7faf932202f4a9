"""The plain data·inclusion structure line, proved valid straight from its bytes by one msgspec decoding.

Most lines of a structures file are plain: v1 names only, texts within their lengths, a listed network,
codes and dates of the usual shape. `PlainStructure` is what di_fast.surely_valid checks, said as types
msgspec checks in C while it reads the line (types, lengths, bounds, enum values, no other key); what
msgspec cannot say (a pattern, a past date, a web address, an e-mail address) is asked of di_fast's and
di_validate's own checks. A line that decodes so is a structure the schema accepts, without a v0 name
and with a plain date: the scan needs nothing else from it (datainclusion.scan_datainclusion). Any other
line is read as JSON and checked the usual way. tests/core/importers/test_di_plain.py holds the decoding
to surely_valid's verdicts.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from data_inclusion.schema import v1

from pare_desktop.core.importers import di_fast
from pare_desktop.core.importers import di_tables as t
from pare_desktop.core.importers.di_validate import plain_email
from pare_desktop.core.importers.jsonio import decode_json

_Number = Annotated[int, msgspec.Meta(gt=-(2**53), lt=2**53)] | float | None  # di_fast._number
_Reseau = Literal[tuple(str(e.value) for e in v1.ReseauPorteur)]  # type: ignore[valid-type]


class PlainStructure(msgspec.Struct, forbid_unknown_fields=True):
    """A structure line of v1 names only (any other key: not plain), as di_fast.STRUCTURE checks it."""

    source: str
    id: str
    nom: Annotated[str, msgspec.Meta(min_length=3, max_length=150)]
    date_maj: str  # a past ISO date: _left
    description: Annotated[str, msgspec.Meta(min_length=5, max_length=10000)] | None = None
    lien_source: str | None = None  # a web address: _left
    siret: str | None = None  # 14 digits: _left
    commune: str | None = None
    code_postal: str | None = None  # 5 digits: _left
    code_insee: str | None = None  # _left
    adresse: str | None = None
    complement_adresse: str | None = None
    longitude: _Number = None
    latitude: _Number = None
    telephone: str | None = None
    courriel: str | None = None  # an address di_validate.plain_email vouches for: _left
    site_web: str | None = None  # _left
    horaires_accueil: str | None = None
    accessibilite_lieu: str | None = None  # _left
    reseaux_porteurs: list[_Reseau] | None = None  # type: ignore[valid-type]


_FIELDS = frozenset(PlainStructure.__struct_fields__)
#: the checks the decoding leaves to Python, each as what di_fast's check amounts to for a text
_TEXTS = {name: di_fast._ON_TEXT[di_fast.STRUCTURE[name]] for name in (
    "date_maj", "lien_source", "siret", "code_postal", "code_insee", "site_web", "accessibilite_lieu")}
_date, _address, _siret, _postal, _insee, _site, _access = _TEXTS.values()


def _left(s: PlainStructure) -> bool:
    """What the decoding could not check: patterns, the date, web and e-mail addresses."""
    return bool(_date(s.date_maj)
                and (s.code_postal is None or _postal(s.code_postal))
                and (s.code_insee is None or _insee(s.code_insee))
                and (s.site_web is None or _site(s.site_web))
                and (s.lien_source is None or _address(s.lien_source))
                and (s.siret is None or _siret(s.siret))
                and (s.accessibilite_lieu is None or _access(s.accessibilite_lieu))
                and (s.courriel is None or plain_email(s.courriel)))


class PlainDecoder:
    """Reads a line as a PlainStructure when it is one, else as JSON (raising where jsonio's decoding
    would). Lines are no longer tried once most are not plain, services' lines (naming "structure_id")
    left out of the count: a v0 file is then read with one decoding a line."""

    def __init__(self) -> None:
        self._typed = msgspec.json.Decoder(PlainStructure).decode
        self._plain = self._other = 0
        self.trying = True

    def __call__(self, raw: bytes) -> Any:
        if self.trying:
            try:
                s = self._typed(raw)
            except (ValueError, RecursionError):
                pass
            else:
                if _left(s):
                    self._plain += 1
                    return s
            if b'"structure_id"' not in raw:  # (a service: never plain, and soon refused, at that key)
                self._other += 1
                if self._other >= 1000 and self._other > self._plain:
                    self.trying = False
        return decode_json(raw)


def plain_decoder() -> PlainDecoder | None:
    """A decoder for the scan, or None when PlainStructure no longer says what di_fast checks (a schema
    release adding a field, a V0 name among v1's) or di_fast's checks are off."""
    checks, _, usable = di_fast._PLANS[False]
    if not usable or set(checks) != _FIELDS or set(v1.Structure.model_fields) != _FIELDS:
        return None
    if _FIELDS & (t.V0_KEYS | {"structure_id"}):
        return None
    return PlainDecoder()
