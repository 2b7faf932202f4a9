"""Keyboard paths through the window: ↓ from the search field to the results, a shortcut to the note."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence

if TYPE_CHECKING:
    from .main_window import MainWindow

NOTE_SHORTCUT = "Ctrl+Shift+N"


class KeyboardPaths(QObject):
    """Installed once on the window; owns the « Note personnelle » action."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._w = window
        window.search_field.installEventFilter(self)
        self.action_note = QAction(self.tr("&Note personnelle"), window)
        self.action_note.setShortcut(QKeySequence(NOTE_SHORTCUT))
        self.action_note.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.action_note.setStatusTip(self.tr("Écrire dans la note personnelle de la fiche affichée"))
        self.action_note.triggered.connect(self.focus_note)
        window.addAction(self.action_note)
        window.menu_structure.addAction(self.action_note)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self._w.search_field and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Down
                and event.modifiers() == Qt.KeyboardModifier.NoModifier):
            return self.focus_results()
        return False

    def focus_results(self) -> bool:
        """↓ in the search field: into the list, on the current row or the first one."""
        table = self._w.results.table
        if self._w.results.is_empty_shown() or self._w.model.rowCount() == 0:
            return False
        table.setFocus(Qt.FocusReason.TabFocusReason)
        if not table.currentIndex().isValid():
            table.selectRow(0)
        return True

    def focus_note(self) -> None:
        """The note of the structure shown in the detail pane."""
        detail = self._w.detail
        if detail.structure is None:
            self._w.show_message(self.tr("Choisissez d'abord une structure dans la liste"))
            return
        detail.note.setFocus(Qt.FocusReason.ShortcutFocusReason)
        detail.ensureWidgetVisible(detail.note)
