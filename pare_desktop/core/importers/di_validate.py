"""Checking data·inclusion records with the schema's own pydantic models, errors worded in French."""

from __future__ import annotations

from typing import Any

import pydantic
from data_inclusion.schema import v1

#: fields we read leniently ourselves in v0 files (their v0 values are not v1 enum values)
_V0_LENIENT = ("thematiques", "publics", "profils", "types", "type", "zone_eligibilite", "modes_accueil",
               "frais", "mobilisable_par", "modes_mobilisation", "reseaux_porteurs")


def _french(error: Any) -> str:
    kind = error.get("type", "")
    value = error.get("input")
    shown = f" : « {value} »" if isinstance(value, str | int | float) and not isinstance(value, bool) else ""
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
        return str(error.get("msg", "")).removeprefix("Value error, ")
    return f"valeur invalide{shown}"


def schema_problems(item: dict[str, Any], *, service: bool, v0: bool) -> list[tuple[str, str]]:
    """(field, French reason) for each way `item` breaks the v1 Structure or Service model."""
    data = {k: v for k, v in item.items() if not (v0 and k in _V0_LENIENT)}
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
