"""UI state in QSettings (window, splitters, last filters, professional mode); domain data stays in SQLite."""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from typing import Any

from PySide6.QtCore import QSettings

from ..core.records import SearchQuery
from .search.near_box import Near

ORGANISATION = "Droit d'Enfance"
APPLICATION = "PARÉ Desktop"

KEY_GEOMETRY = "window/geometry"
KEY_STATE = "window/state"
KEY_SPLITTER = "window/splitter"
KEY_HEADER = "results/header"
KEY_QUERY = "search/last_query"
KEY_NEAR = "search/near"
KEY_PRO = "mode/professional"

_SAVED_FIELDS = ("text", "territories", "regions", "types", "supports", "publics", "modalities", "open_now",
                 "near", "radius_km", "sort")


def app_settings() -> QSettings:
    """The user's settings (INI format, user scope); tests redirect it with QSettings.setPath."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION)


def save_query(settings: QSettings, q: SearchQuery, near: Near | None) -> None:
    data = {k: v for k, v in asdict(q).items() if k in _SAVED_FIELDS}
    settings.setValue(KEY_QUERY, json.dumps(data, ensure_ascii=False))
    settings.setValue(KEY_NEAR, json.dumps(asdict(near), ensure_ascii=False) if near else "")


def load_query(settings: QSettings) -> tuple[SearchQuery, Near | None]:
    """The last query, tolerant of anything odd in the file (then: an empty query)."""
    q = SearchQuery()
    near: Near | None = None
    try:
        data: dict[str, Any] = json.loads(str(settings.value(KEY_QUERY, "") or "{}"))
        kwargs: dict[str, Any] = {}
        for key in _SAVED_FIELDS:
            if key not in data:
                continue
            value = data[key]
            if isinstance(value, list):
                value = tuple(value)
            kwargs[key] = value
        q = replace(q, **kwargs)
        raw = str(settings.value(KEY_NEAR, "") or "")
        if raw:
            near = Near(**json.loads(raw))
    except (ValueError, TypeError):
        return SearchQuery(), None
    if q.near is not None and near is None:
        q = replace(q, near=None, radius_km=None)
    return q, near


def load_bool(settings: QSettings, key: str, default: bool = False) -> bool:
    value = settings.value(key, default)
    if isinstance(value, str):
        return value.lower() in ("true", "1", "yes")
    return bool(value)
