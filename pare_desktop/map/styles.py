"""Marker colours per structure type, and the legend built from them."""

from __future__ import annotations

from pare_desktop.core import vocabulary

#: One colour per structure type slug (colour-blind-friendly where possible, distinct on a light map).
TYPE_COLOURS: dict[str, str] = {
    "ligne-ecoute-nationale": "#6a3d9a",
    "urgence": "#e31a1c",
    "protection-enfance": "#1f78b4",
    "justice": "#444444",
    "forces-ordre": "#00205b",
    "sante-hopital": "#33a02c",
    "sante-ado-psy": "#8fbf3f",
    "sante-sexuelle": "#d6388a",
    "addictions": "#b15928",
    "association-specialisee": "#ff7f00",
    "prevention-specialisee": "#f0b400",
    "hebergement": "#17a5a5",
    "education-nationale": "#4b6cc9",
    "aide-victimes-droit": "#9e4fb8",
    "coordination-reseau": "#7f7f7f",
    "non-classe": "#b0b0b0",
}
OTHER_COLOUR = "#000000"


def type_table() -> list[dict[str, str]]:
    """Every structure type with its French short label and colour, in vocabulary order."""
    return [
        {"slug": t.slug, "label": t.short_label, "colour": TYPE_COLOURS.get(t.slug, OTHER_COLOUR)}
        for t in vocabulary.STRUCTURE_TYPES
    ]
