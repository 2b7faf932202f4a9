"""The filters of a search, described in French for an export's title page and information sheet."""

from __future__ import annotations

from pare_desktop.core import vocabulary
from pare_desktop.core.records import SearchQuery
from pare_desktop.core.territories import referential


def describe_query(q: SearchQuery) -> tuple[str, ...]:
    """One French line per filter used ("Territoire : La Réunion (974)"...); empty when none."""
    out: list[str] = []
    if q.text.strip():
        out.append(f"Texte : « {q.text.strip()} »")
    if q.territories:
        ref = referential()
        names = []
        for code in q.territories:
            t = ref.territory(code)
            names.append(f"{t.name} ({code})" if t else code)
        out.append("Territoire : " + ", ".join(names))
    for kind, title, values in (
        ("type", "Type", q.types),
        ("support", "Accompagnement", q.supports),
        ("public", "Public", q.publics),
        ("modality", "Modalité", q.modalities),
    ):
        if values:
            out.append(f"{title} : " + ", ".join(vocabulary.label(kind, v) for v in values))
    if q.open_now:
        out.append("Ouvertes maintenant")
    if q.near is not None:
        radius = f" dans un rayon de {q.radius_km:g} km" if q.radius_km else ""
        out.append(f"Autour de {q.near[0]:.4f}, {q.near[1]:.4f}{radius}")
    if not q.include_national:
        out.append("Sans les structures nationales")
    return tuple(out)
