"""« Mon territoire »: asked once (skippable), remembered, the default filter, one click to all of France."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, Qt, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...core.records import SearchQuery
from ...core.territories import Referential

if TYPE_CHECKING:
    from ..main_window import MainWindow

KEY_MINE = "territory/mine"  # a département or collectivité code; "" for all of France
KEY_ASKED = "territory/asked"  # the first-start question was answered or skipped


def load_mine(settings: QSettings) -> str:
    return str(settings.value(KEY_MINE, "") or "")


class TerritoryDialog(QDialog):
    """Choose one's territory (or all of France). Non-modal: it never blocks the window."""

    chosen = Signal(str)  # a territory code, "" for all of France

    def __init__(self, referential: Referential, current: str, parent: QWidget | None = None,
                 *, first_start: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Mon territoire"))
        self.setAccessibleName(self.windowTitle())
        intro = QLabel(self.tr(
            "Où travaillez-vous ? Les recherches seront d'abord limitées à ce territoire ; les lignes "
            "nationales restent toujours affichées. Un clic sur « Toute la France » retire ce filtre, "
            "et le menu Outils › Mon territoire… permet d'en changer."), self)
        intro.setWordWrap(True)
        if first_start:
            intro.setText(self.tr("Bienvenue dans PARÉ Desktop.") + "\n\n" + intro.text())
        self.combo = QComboBox(self)
        self.combo.setAccessibleName(self.tr("Territoire"))
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.combo.addItem(self.tr("Toute la France (aucun filtre)"), "")
        for t in referential.departements():
            self.combo.addItem(f"{t.name} ({t.code})", t.code)
        completer = self.combo.completer()
        if completer is not None:
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        index = self.combo.findData(current)
        self.combo.setCurrentIndex(max(0, index))
        buttons = QDialogButtonBox(self)
        self.ok = buttons.addButton(self.tr("Choisir"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.later = buttons.addButton(self.tr("Plus tard") if first_start else self.tr("Annuler"),
                                       QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        label = QLabel(self.tr("&Territoire :"), self)
        label.setBuddy(self.combo)
        for w in (intro, label, self.combo):
            layout.addWidget(w)
        layout.addStretch(1)  # spare height below the field, not between the label and its field
        layout.addWidget(buttons)
        self.resize(460, 220)

    def code(self) -> str:
        """The chosen code, also when the user typed a name without picking it from the list."""
        text = self.combo.currentText().strip()
        index = self.combo.findText(text, Qt.MatchFlag.MatchFixedString)
        if index < 0 and text:  # typed "974" or "mayo": the first territory that contains it
            index = self.combo.findText(text, Qt.MatchFlag.MatchContains)
        return str(self.combo.itemData(index if index >= 0 else self.combo.currentIndex()) or "")

    def accept(self) -> None:
        self.chosen.emit(self.code())
        super().accept()


class MyTerritory(QObject):
    """The user's territory: a button beside the search field, a menu action, the default query."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._w = window
        self._settings = window.settings
        self._ref = window.referential
        self.dialog: TerritoryDialog | None = None
        self.button = QToolButton(window)
        self.button.setAccessibleName(self.tr("Mon territoire"))
        self.button.clicked.connect(self._clicked)
        self.action = QAction(self.tr("Mon &territoire…"), window)
        self.action.setStatusTip(self.tr("Choisir le territoire appliqué par défaut aux recherches"))
        self.action.triggered.connect(lambda: self.ask())
        window.menu_tools.addAction(self.action)
        window.current_query_changed.connect(self._update)
        self._update()

    @property
    def code(self) -> str:
        return load_mine(self._settings)

    def name(self, code: str | None = None) -> str:
        code = self.code if code is None else code
        t = self._ref.territory(code)
        return t.name if t else code

    def default_query(self) -> SearchQuery:
        """The query of a fresh start or of « Effacer les filtres »: my territory, if I chose one."""
        return SearchQuery(territories=(self.code,)) if self.code else SearchQuery()

    def is_applied(self) -> bool:
        q = self._w.search.query
        return bool(self.code) and q.territories == (self.code,) and not q.regions

    # --- asking ---------------------------------------------------------------------------------------
    def ask_first_time(self) -> TerritoryDialog | None:
        """At first start only (skippable): which territory do you work in?"""
        if str(self._settings.value(KEY_ASKED, "")) in ("true", "1", "True"):
            return None
        return self.ask(first_start=True)

    def ask(self, *, first_start: bool = False) -> TerritoryDialog:
        self._settings.setValue(KEY_ASKED, True)
        self.dialog = TerritoryDialog(self._ref, self.code, self._w, first_start=first_start)
        self.dialog.chosen.connect(self.set_mine)
        self.dialog.finished.connect(self.dialog.deleteLater)
        self.dialog.show()
        return self.dialog

    @Slot(str)
    def set_mine(self, code: str) -> None:
        """Remember the territory and apply it now (an empty code: all of France)."""
        self._settings.setValue(KEY_MINE, code)
        self._settings.sync()
        self._apply(code)
        self._update()

    # --- the button -----------------------------------------------------------------------------------
    def _clicked(self) -> None:
        if not self.code:
            self.ask()
        elif self.is_applied():
            self._apply("")
        else:
            self._apply(self.code)

    def _apply(self, code: str) -> None:
        q = self._w.search.query
        self._w.set_query(replace(q, territories=(code,) if code else (), regions=()))

    @Slot()
    def _update(self, _query: object = None) -> None:
        if not self.code:
            self.button.setText(self.tr("Mon territoire…"))
            self.button.setToolTip(self.tr("Choisir le territoire appliqué par défaut aux recherches"))
        elif self.is_applied():
            self.button.setText(self.tr("Toute la France"))
            self.button.setToolTip(self.tr("Retirer le filtre « %1 » : chercher dans toute la France")
                                   .replace("%1", self.name()))
        else:
            self.button.setText(self.tr("Mon territoire : %1").replace("%1", self.name()))
            self.button.setToolTip(self.tr("Revenir à mon territoire"))
