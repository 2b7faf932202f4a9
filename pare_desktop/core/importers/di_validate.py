"""Checking data·inclusion records with the schema's own pydantic models, errors worded in French."""

from __future__ import annotations

import functools
import re
from typing import Any

import email_validator
import pydantic
from data_inclusion.schema import v1

from pare_desktop.core.importers.di_fast import surely_valid
from pare_desktop.core.text import shorten

#: fields we read leniently ourselves in v0 files (their v0 values are not v1 enum values)
_V0_LENIENT = ("thematiques", "publics", "profils", "types", "type", "zone_eligibilite", "modes_accueil",
               "frais", "mobilisable_par", "modes_mobilisation", "reseaux_porteurs")


def _french(error: Any) -> str:
    kind = error.get("type", "")
    value = error.get("input")
    shown = f" : « {shorten(str(value))} »" if isinstance(value, str | float) or (
        isinstance(value, int) and not isinstance(value, bool) and abs(value) < 10**100) else ""
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "champ obligatoire manquant"
    if kind == "string_too_short":
        return f"texte trop court (au moins {ctx.get('min_length')} caractères){shown}"
    if kind == "string_too_long":
        return f"texte trop long (au plus {ctx.get('max_length')} caractères)"
    if kind in ("string_pattern_mismatch", "string_type"):
        return f"format invalide{shown}"
    if kind == "enum":
        return f"valeur inconnue{shown}"
    if kind.startswith(("date_", "datetime_")):
        return f"date invalide{shown}"
    if kind.startswith("url_"):
        return f"adresse web invalide{shown}"
    if kind.startswith(("float_", "int_")):
        return f"nombre invalide{shown}"
    if kind == "value_error":
        message = str(error.get("msg", ""))
        if message.startswith("value is not a valid email address"):  # pydantic's own, in English
            return f"adresse de courriel invalide{shown}"
        return message.removeprefix("Value error, ")  # the schema's validators word theirs in French
    return f"valeur invalide{shown}"


# An e-mail address of this plain ASCII shape is always accepted by the schema's `EmailStr` check
# (email-validator, ~100 µs a call): the check is skipped for it, any other value is checked in full.
_PLAIN_EMAIL = re.compile(r"[A-Za-z0-9_+-]{1,64}(?:\.[A-Za-z0-9_+-]{1,64})*@"
                          r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")


def plain_email(value: object) -> bool:
    """Whether `value` is an e-mail address the schema accepts without asking email-validator."""
    if not isinstance(value, str):
        return False
    names = email_validator.SPECIAL_USE_DOMAIN_NAMES
    if names != _ASKED[0]:  # the list changed (a caller may edit it): what was said no longer holds
        _ASKED[:] = [list(names), {}]
    said: dict[str, bool] = _ASKED[1]
    plain = said.get(value)
    if plain is None:
        if len(said) >= 10_000:
            said.clear()
        plain = said[value] = _plain_email(value, names)
    return plain


#: the special-use names plain_email last saw, and its answers for them (a file repeats addresses)
_ASKED: list[Any] = [None, {}]


def _plain_email(value: str, special_use: list[str]) -> bool:
    if len(value) > 254 or "--" in value.partition("@")[2]:
        return False
    if not _PLAIN_EMAIL.fullmatch(value) or len(value.partition("@")[0]) > 64:
        return False
    return not _special_use(tuple(special_use)).search(value)


@functools.cache
def _special_use(names: tuple[str, ...]) -> re.Pattern[str]:
    """Addresses in a special-use domain ("test", "local"... or a subdomain), refused by email-validator."""
    return re.compile(f"[@.](?:{'|'.join(re.escape(n) for n in names) or '(?!)'})$")


_SKIPPED = {(v0, plain): frozenset((_V0_LENIENT if v0 else ()) + (("courriel",) if plain else ()))
            for v0 in (False, True) for plain in (False, True)}


def schema_problems(item: dict[str, Any], *, service: bool, v0: bool) -> list[tuple[str, str]]:
    """(field, French reason) for each way `item` breaks the v1 Structure or Service model."""
    courriel = item.get("courriel")
    if surely_valid(item, service=service, skip=_SKIPPED[v0, courriel is not None and plain_email(courriel)]):
        return []  # the plain shape most items have: the model would say nothing (di_fast)
    data = {k: v for k, v in item.items() if k not in _V0_LENIENT} if v0 else item.copy()
    if plain_email(data.get("courriel")):
        data["courriel"] = None  # valid: spare the model its slow e-mail check
    model: type[pydantic.BaseModel] = v1.Service if service else v1.Structure
    if service and v0 and "description" not in data:
        data["description"] = "(sans description)"  # optional in v0
    try:
        model.model_validate(data)
    except pydantic.ValidationError as exc:
        out: list[tuple[str, str]] = []
        for error in exc.errors():
            loc = error.get("loc") or ("?",)
            name = str(loc[0])
            if name not in [f for f, _ in out]:
                out.append((name, _french(error)))
        return out
    return []
