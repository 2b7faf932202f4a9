"""Data shown as text in item-view roles that Qt may read as HTML (tooltips, "What's this?")."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt

#: The roles whose text Qt renders as rich text when it looks like HTML (Qt::mightBeRichText).
INTERPRETED_ROLES = frozenset(int(r) for r in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.WhatsThisRole))


def tooltip(text: str | None) -> str | None:
    """A tooltip that shows `text` as it is: Qt would render « <b>x</b> » in bold and load « <img> ».

    Text that cannot be taken for HTML is returned unchanged; other text is escaped into a paragraph.
    """
    if not text or not GuiQt.mightBeRichText(text):
        return text
    return GuiQt.convertFromPlainText(text)
