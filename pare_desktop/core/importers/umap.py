"""uMap exports: a whole map backup or one layer; the layer name may carry the structure type."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from pare_desktop.core.errors import ImportFormatError
from pare_desktop.core.importers.batch import ImportBatch
from pare_desktop.core.importers.classify import classify
from pare_desktop.core.importers.features import feature_list, features_to_batch
from pare_desktop.core.importers.jsonio import load_json

#: where a layer keeps its settings: uMap ≥ 2 ("properties"), then older versions.
SETTINGS_KEYS = ("properties", "_umap_options", "_storage")


def layer_settings(layer: dict[str, Any]) -> dict[str, Any]:
    for key in SETTINGS_KEYS:
        value = layer.get(key)
        if isinstance(value, dict) and value:
            return value
    return {}


def type_from_layer_name(name: str) -> str:
    """The structure type a layer name names (« Santé sexuelle », « Hébergement / mise à l'abri »), or ""."""
    return classify("type", name) or ""


def is_umap(data: Any) -> bool:
    """A map backup, or a layer carrying uMap settings."""
    if not isinstance(data, dict):
        return False
    return data.get("type") == "umap" or "_umap_options" in data or "_storage" in data or (
        data.get("type") == "FeatureCollection" and isinstance(data.get("properties"), dict)
        and "name" in data["properties"])


def _layers(path: Path, data: Any) -> list[dict[str, Any]]:
    if isinstance(data, dict) and data.get("type") == "umap":
        layers = data.get("layers")
        if not isinstance(layers, list):
            raise ImportFormatError(f"La carte uMap « {path.name} » n'a pas de calques (« layers »).",
                                    path=str(path))
        return [layer for layer in layers if isinstance(layer, dict)]
    return [data] if isinstance(data, dict) else []


def remote_data(settings: dict[str, Any]) -> str:
    """The address a layer loads its features from (uMap's « données distantes »), or ""."""
    remote = settings.get("remoteData")
    url = remote.get("url") if isinstance(remote, dict) else None
    return url.strip() if isinstance(url, str) else ""


def _remote_warning(label: str, settings: dict[str, Any]) -> str:
    remote = settings.get("remoteData")
    fmt = remote.get("format") if isinstance(remote, dict) else None
    shown = f" (format {fmt})" if isinstance(fmt, str) and fmt else ""
    return (f"Le {label} charge ses données depuis une adresse distante, « {remote_data(settings)} » : "
            "elles ne sont pas dans la sauvegarde de la carte et n'ont pas été importées. Téléchargez ce "
            f"fichier{shown} et importez-le à son tour.")


def read_umap(path: Path, *, source: str, origin: str,
              types: Mapping[str, str] | None = None) -> ImportBatch:
    layers = _layers(path, load_json(path))
    if not layers:
        raise ImportFormatError(f"Le fichier « {path.name} » n'est pas un export uMap.", path=str(path))
    several = len(layers) > 1
    warnings: list[str] = []
    for index, layer in enumerate(layers, start=1):
        settings = layer_settings(layer)
        if remote_data(settings) and not layer.get("features"):
            name = str(settings.get("name") or "")
            warnings.append(_remote_warning(f"calque « {name} »" if name else f"calque {index}", settings))

    def items() -> Iterator[tuple[str, Any, str]]:
        for index, layer in enumerate(layers, start=1):
            settings = layer_settings(layer)
            if remote_data(settings) and not layer.get("features"):
                continue  # told in the warnings
            name = str(settings.get("name") or "")
            # the layer's name is the type of its features that have none (classified, else « Non classé »)
            default_type = name.strip()
            features = feature_list(path, layer, "calque")
            label = f"calque « {name} »" if name else f"calque {index}"
            for i, feature in enumerate(features, start=1):
                where = f"{label}, élément {i}" if several or name else f"élément {i} (feature)"
                yield where, feature, default_type

    return features_to_batch(items(), source=source, origin=origin, fmt="umap", warnings=warnings,
                             types=types)
