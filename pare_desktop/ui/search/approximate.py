"""How the window says that results were found by forgiving a typo (« psycologue » → psychologue)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def approximate_tip(words: tuple[str, ...]) -> str:
    """The count label's tooltip: which words were matched approximately; "" when the search was exact."""
    if not words:
        return ""
    quoted = ", ".join(f"« {w} »" for w in words)
    return QCoreApplication.translate(
        "approximate", "Aucune structure ne contient exactement %1 : ces résultats tolèrent une faute de "
        "frappe. Vérifiez l'orthographe si ce n'est pas ce que vous cherchiez.").replace("%1", quoted)
