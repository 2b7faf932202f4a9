"""A quick proof that a data·inclusion item passes the schema, for the plain shapes most items have.

`surely_valid` answers True only when the v1 pydantic model would accept the item (plain strings within
their lengths, ASCII codes, enum values, simple https addresses, a past ISO date); anything else, it
answers False and the model itself decides and words the errors (di_validate.schema_problems). The
model costs ~11 µs an item; this check ~2 µs. tests/core/importers/test_di_fast.py holds the two to
the same verdicts. What to check is worked out once per shape of item (its keys, the types of its values):
a check whose verdict the type alone gives (any text, a null) is left out; verdicts on lists of texts are
remembered.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from datetime import date
from enum import Enum
from typing import Any, Literal

from data_inclusion.schema import v1

Check = Callable[[Any], bool]
Truth = Callable[[Any], object]  # a check whose verdict is the truth of what it returns

_POSTAL = re.compile(r"[0-9]{5}")
_INSEE = re.compile(r"[0-9A-Za-z_]{5}")
_SIRET = re.compile(r"[0-9]{14}")
_ZONE = re.compile(r"[0-9A-Za-z_]{2,3}|[0-9A-Za-z_]{5}|[0-9]{9}|france")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# http(s), a lower-case host of plain labels ending in letters, an optional plain path: what the URL
# parser behind pydantic's HttpUrl always accepts (no port, query, user, IDN or percent sign)
_URL = re.compile(r"https?://(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){1,8}[a-z]{2,63}(?:/[A-Za-z0-9._~/-]*)?")
_OLDEST = date(2000, 1, 1)
_NONE = type(None)
#: the types of value a check accepts whatever the value (a check not named here: none)
_ACCEPTS: dict[Check, tuple[type, ...]] = {}
#: what a check amounts to for a text (its verdict as the truth of what this returns), when cheaper
_ON_TEXT: dict[Check, Truth] = {}


def _accepting(check: Check, *types: type) -> Check:
    _ACCEPTS[check] = types
    return check


def _text(value: Any) -> bool:
    return value.__class__ is str


def _opt_text(value: Any) -> bool:
    return value is None or value.__class__ is str


def _length(low: int, high: int, optional: bool) -> Check:
    def check(value: Any) -> bool:
        if value is None:
            return optional
        return value.__class__ is str and low <= len(value) <= high
    return _accepting(check, _NONE) if optional else check


def _pattern(pattern: re.Pattern[str]) -> Check:
    def check(value: Any) -> bool:
        return value is None or (value.__class__ is str and pattern.fullmatch(value) is not None)
    _ON_TEXT[check] = pattern.fullmatch
    return _accepting(check, _NONE)


def _date(value: Any) -> bool:
    return value.__class__ is str and _past_date(value)


@functools.lru_cache(maxsize=4096)  # a file's dates repeat; a date in the past stays so
def _past_date(value: str) -> bool:
    if not _DATE.fullmatch(value):
        return False
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return False
    return _OLDEST <= day < date.today()  # today itself: the model's own clock decides


def _number(value: Any) -> bool:
    return value is None or value.__class__ is float or (value.__class__ is int and abs(value) < 2**53)


def _url(value: Any) -> bool:
    if value is None:
        return True
    return value.__class__ is str and _url_text(value)


@functools.lru_cache(maxsize=4096)  # a file's addresses repeat (a network's site)
def _url_text(value: str) -> bool:
    return len(value) <= 2083 and _URL.fullmatch(value) is not None


def _no_email(value: Any) -> bool:
    return value is None  # an address: di_validate.plain_email vouches for it (then skips it) or the model


def _values(enum: type[Enum]) -> frozenset[str]:
    return frozenset(str(e.value) for e in enum)


def _one_of(enum: type[Enum]) -> Check:
    allowed = _values(enum)
    check = _accepting(lambda value: value is None or (value.__class__ is str and value in allowed), _NONE)
    _ON_TEXT[check] = allowed.__contains__
    return check


def _set_of(enum: type[Enum], non_empty: bool = False) -> Check:
    allowed = _values(enum)

    def check(value: Any) -> bool:
        if value is None:
            return True
        if value.__class__ is not list or (non_empty and not value):
            return False
        try:  # JSON values: only a string equals a string
            return allowed.issuperset(value)
        except TypeError:  # an object or a list among them
            return False
    return _accepting(check, _NONE)


_public_values = _set_of(v1.Public, non_empty=True)


def _publics(value: Any) -> bool:
    if not _public_values(value):
        return False
    return value is None or "tous-publics" not in value or len(set(value)) == 1


def _zones(value: Any) -> bool:
    if value is None:
        return True
    if value.__class__ is not list or not value:
        return False
    for v in value:  # noqa: SIM110 (a loop: all() over a generator costs twice as much)
        if v.__class__ is not str or _ZONE.fullmatch(v) is None:
            return False
    return True


def _volume(value: Any) -> bool:
    return value is None or ((value.__class__ is float or value.__class__ is int) and 0 <= value < 2**53)


def _weeks(value: Any) -> bool:
    return value is None or (value.__class__ is int and 1 <= value < 2**53)


for _check, _types in ((_text, (str,)), (_opt_text, (_NONE, str)), (_number, (_NONE, float)),
                       (_url, (_NONE,)), (_no_email, (_NONE,)), (_publics, (_NONE,)), (_zones, (_NONE,)),
                       (_volume, (_NONE,)), (_weeks, (_NONE,))):
    _accepting(_check, *_types)
_ON_TEXT.update({_date: _past_date, _url: _url_text})


def _remembered(check: Check) -> Check:
    """`check` of a list, its verdict remembered for each list of texts (a file repeats its lists)."""
    said: dict[tuple[str, ...], bool] = {}

    def remembered(value: Any) -> bool:
        if value.__class__ is not list:
            return check(value)
        try:
            "".join(value)  # raises unless every element is a text: lists equal as tuples are equal
        except TypeError:
            return check(value)
        key = tuple(value)
        verdict = said.get(key)
        if verdict is None:
            if len(said) >= 10_000:
                said.clear()  # ever new lists: memory stays bounded
            verdict = said[key] = check(value)
        return verdict
    remembered.__wrapped__ = check  # type: ignore[attr-defined]
    return _accepting(remembered, *_ACCEPTS.get(check, ()))


_COMMON: dict[str, Check] = {
    "source": _text, "id": _text, "nom": _length(3, 150, False), "date_maj": _date, "lien_source": _url,
    "commune": _opt_text, "code_postal": _pattern(_POSTAL), "code_insee": _pattern(_INSEE),
    "adresse": _opt_text, "complement_adresse": _opt_text, "longitude": _number, "latitude": _number,
    "telephone": _opt_text, "courriel": _no_email, "horaires_accueil": _opt_text,
}
STRUCTURE: dict[str, Check] = {
    **_COMMON, "description": _length(5, 10000, True), "siret": _pattern(_SIRET), "site_web": _url,
    "accessibilite_lieu": _url, "reseaux_porteurs": _remembered(_set_of(v1.ReseauPorteur)),
}
SERVICE: dict[str, Check] = {
    **_COMMON, "structure_id": _text, "description": _length(5, 10000, False),
    "type": _one_of(v1.TypeService), "thematiques": _remembered(_set_of(v1.Thematique)),
    "frais": _one_of(v1.Frais),
    "frais_precisions": _opt_text, "publics": _remembered(_publics), "publics_precisions": _opt_text,
    "conditions_acces": _opt_text, "modes_accueil": _remembered(_set_of(v1.ModeAccueil)),
    "zone_eligibilite": _remembered(_zones),
    "contact_nom_prenom": _opt_text, "lien_mobilisation": _url,
    "modes_mobilisation": _remembered(_set_of(v1.ModeMobilisation, non_empty=True)),
    "mobilisable_par": _remembered(_set_of(v1.PersonneMobilisatrice, non_empty=True)),
    "mobilisation_precisions": _opt_text,
    "volume_horaire_hebdomadaire": _volume, "nombre_semaines": _weeks,
}


def _required(model: Any) -> frozenset[str]:
    return frozenset(name for name, f in model.model_fields.items() if f.is_required())


def _usable(checks: Mapping[str, Check], model: Any) -> bool:
    """The checks cover the model's fields exactly (a schema release adding one turns them off)."""
    return set(checks) == set(model.model_fields) and not model.model_config.get("extra")


_PLANS = {
    False: (STRUCTURE, _required(v1.Structure), _usable(STRUCTURE, v1.Structure)),
    True: (SERVICE, _required(v1.Service), _usable(SERVICE, v1.Service)),
}


def surely_valid(item: Mapping[str, Any], *, service: bool, skip: frozenset[str] = frozenset()) -> bool:
    """True only if the v1 model accepts `item` (its keys in `skip` left out, as di_validate does for v0
    files); False when it may not."""
    checks, required, usable = _PLANS[service]
    if not usable:
        return False
    # what to check depends only on the item's keys and the types of its values: worked out once per shape
    shape = (service, skip, tuple(item), tuple(map(type, item.values())))
    plan = _SHAPES.get(shape)
    if plan is None:
        if len(_SHAPES) >= 1000:
            _SHAPES.clear()  # a file of ever new shapes: memory stays bounded
        plan = _SHAPES[shape] = _plan(checks, required, skip, shape[2], shape[3])
    if plan is False:
        return False
    for name, check in plan:  # noqa: SIM110 (a loop: all() over a generator costs twice as much)
        if not check(item[name]):
            return False
    return True


_SHAPES: dict[tuple[Any, ...], tuple[tuple[str, Truth], ...] | Literal[False]] = {}


def _plan(checks: Mapping[str, Check], required: frozenset[str], skip: frozenset[str],
          keys: tuple[str, ...], types: tuple[type, ...]) -> tuple[tuple[str, Truth], ...] | Literal[False]:
    """The checks an item of these keys and value types needs (False: it surely fails one), leaving out
    those whose verdict its type alone gives (a text where any text will do, a null where null will), a
    text's check as what it amounts to for a text (_ON_TEXT)."""
    kinds = dict(zip(keys, types, strict=True))
    if any(kinds.get(name, _NONE) is _NONE for name in required - skip):
        return False  # a required field missing or null
    return tuple((name, _ON_TEXT.get(checks[name], checks[name]) if kind is str else checks[name])
                 for name, kind in kinds.items()
                 if name in checks and name not in skip and kind not in _ACCEPTS.get(checks[name], ()))
