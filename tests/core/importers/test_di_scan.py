"""The first pass over a data·inclusion file: services' offers read by parts, once per distinct raw values."""

from __future__ import annotations

import random
from typing import Any

from pare_desktop.core.importers.datainclusion import _OfferReader, _service_offer

#: values a service's fields may hold: equal keys of different types (1, 1.0, True), lists of anything
ODD: list[Any] = [
    None, "", "france", "75", "75056", "2A", "99100", "sante--sante-mentale", "jeunes", "gratuit", "usagers",
    "professionnels", "a-distance", "en-presentiel", "accompagnement", "pays", "region", "departement",
    "commune", 1, 1.0, True, 0, False, 0.0, 75, 75.0, 975.0, 12345, {"a": 1}, [], ["75"], [75], [75.0],
    ["france", "976"], ["a-distance"], ["a-distance", None], ["usagers", "professionnels"],
    ["professionnels"],
    ["sante--sante-mentale", "famille--soutien-a-la-parentalite-et-a-leducation"], ["jeunes", "familles"],
    [True], [1], [1.0], [["75"]], [{"a": 1}], "75; 2A, france", ("75",),
]
FIELDS = ("nom", "telephone", "thematiques", "type", "types", "publics", "profils", "modes_accueil", "frais",
          "mobilisable_par", "zone_eligibilite", "zone_diffusion_type", "zone_diffusion_code")


def test_offers_are_those_read_one_by_one_equal_ones_held_once() -> None:
    rng = random.Random(3)
    reader = _OfferReader()
    held: dict[Any, Any] = {}
    for _ in range(20000):
        service = {name: rng.choice(ODD) for name in rng.sample(FIELDS, rng.randrange(1, len(FIELDS)))}
        offer = reader.offer(service)
        expected = _service_offer(service)
        assert repr(offer) == repr(expected), service
        assert held.setdefault(expected, offer) is offer  # equal offers: one object
