"""Generic words alone never classify a longer value: a local « point écoute » is no national line."""

from __future__ import annotations

import pytest

from pare_desktop.core.importers.classify import classify


@pytest.mark.parametrize(("value", "slug"), [
    ("Association de quartier", None),  # not an « association spécialisée (exploitation sexuelle) »
    ("Point accueil écoute jeunes", "sante-ado-psy"),  # not a national listening line
    ("Centre social et familles", None),
    ("Écoute", "ligne-ecoute-nationale"),  # a whole value still matches (a uMap layer named so)
    ("Lignes nationales", "ligne-ecoute-nationale"),
    ("Brigade de gendarmerie de Kourou", "forces-ordre"),  # specific single words still found inside
    ("Hébergement d'urgence", "hebergement"),
    ("CMP enfants et adolescents", "sante-ado-psy"),
    ("Association spécialisée prostitution", "association-specialisee"),
])
def test_value_to_type(value: str, slug: str | None) -> None:
    assert classify("type", value) == slug
