"""What the user keeps: favourites, notes, contact lists, local structures, error reports (via the worker)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, Signal
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QMenu, QWidget

from ...core.directory import Directory
from ...core.records import Structure
from ...core.territories import Referential
from ..tasks import TaskRunner

if TYPE_CHECKING:
    from ..dialogs.local_structure import LocalStructureDialog


def _anchor() -> QPoint:
    """Where a menu opened from the keyboard appears: on the focused widget, else at the mouse."""
    focus = QApplication.focusWidget()
    return focus.mapToGlobal(focus.rect().center()) if focus is not None else QCursor.pos()


class UserActions(QObject):
    """Every write goes through the task runner; results come back as signals."""

    favourites_changed = Signal(object)  # frozenset[str]
    local_saved = Signal(object)  # Structure
    lists_changed = Signal()
    message = Signal(str)

    def __init__(self, directory: Directory, runner: TaskRunner, referential: Referential,
                 parent_widget: QWidget) -> None:
        super().__init__(parent_widget)
        self._directory = directory
        self._runner = runner
        self._ref = referential
        self._parent = parent_widget
        self.favourites: frozenset[str] = frozenset()
        self.last_menu: QMenu | None = None
        self.last_dialog: QWidget | None = None

    def load_favourites(self) -> None:
        self._runner.submit(self._directory.user.favourite_ids, on_done=self._set_favourites)

    def _set_favourites(self, ids: frozenset[str]) -> None:
        self.favourites = ids
        self.favourites_changed.emit(ids)

    # --- favourites and notes -------------------------------------------------------------------------
    def set_favourite(self, structure_id: str, on: bool) -> None:
        user = self._directory.user

        def work() -> frozenset[str]:
            user.set_favourite(structure_id, on)
            return user.favourite_ids()

        self._runner.submit(work, on_done=self._set_favourites)
        self.message.emit(self.tr("Ajoutée aux favoris") if on else self.tr("Retirée des favoris"))

    def toggle_favourite(self, structure_id: str) -> None:
        if structure_id:
            self.set_favourite(structure_id, structure_id not in self.favourites)

    def save_note(self, structure_id: str, text: str) -> None:
        self._runner.submit(self._directory.user.set_note, structure_id, text,
                            on_done=lambda _r: self.message.emit(self.tr("Note enregistrée")))

    # --- contact lists --------------------------------------------------------------------------------
    def add_to_list(self, ids: Sequence[str], at: QPoint | None = None) -> None:
        """Offer the lists in a menu (non-blocking), plus "Nouvelle liste…"."""
        if not ids:
            return
        ids = list(ids)
        self._runner.submit(self._directory.user.lists, on_done=lambda lists: self._list_menu(lists, ids, at))

    def _list_menu(self, lists: list, ids: list[str], at: QPoint | None) -> None:  # type: ignore[type-arg]
        menu = QMenu(self._parent)
        menu.setAccessibleName(self.tr("Choisir une liste de contacts"))
        for info in lists:
            text = self.tr("%1 (%2)").replace("%1", info.name).replace("%2", str(info.count))
            action = menu.addAction(text)
            action.triggered.connect(lambda _c=False, i=info: self._add(i.id, i.name, ids))
        if lists:
            menu.addSeparator()
        menu.addAction(self.tr("Nouvelle liste…"), lambda: self._ask_new_list(ids))
        self.last_menu = menu
        menu.popup(at or _anchor())

    def _ask_new_list(self, ids: list[str]) -> None:
        self.ask_text(self.tr("Nouvelle liste de contacts"), self.tr("Nom de la liste :"),
                      lambda name: self.create_list_with(name, ids))

    def create_list_with(self, name: str, ids: list[str]) -> None:
        user = self._directory.user

        def work() -> tuple[str, int]:
            list_id = user.create_list(name)
            return name, user.add_to_list(list_id, ids)

        self._runner.submit(work, on_done=self._added)

    def _add(self, list_id: int, name: str, ids: list[str]) -> None:
        self._runner.submit(self._directory.user.add_to_list, list_id, ids,
                            on_done=lambda n: self._added((name, n)))

    def _added(self, outcome: tuple[str, int]) -> None:
        name, n = outcome
        self.lists_changed.emit()
        text = self.tr("%1 structure(s) ajoutée(s) à « %2 »")
        self.message.emit(text.replace("%1", str(n)).replace("%2", name))

    # --- error reports --------------------------------------------------------------------------------
    def report_error(self, s: Structure) -> None:
        question = self.tr("Qu'est-ce qui est faux ou manquant dans la fiche « %1 » ?")
        self.ask_text(self.tr("Signaler une erreur"), question.replace("%1", s.name),
                      lambda text: self.queue_report(s, text), multiline=True)

    def queue_report(self, s: Structure, text: str) -> None:
        """Queue the report on the worker; the message says where it goes (sent, or kept here)."""
        from ...sync.settings import REPORT_URL

        directory = self._directory

        def work() -> bool:
            directory.user.queue_report(s.id, s.name, text)
            return bool(directory.meta(REPORT_URL))

        self._runner.submit(work, on_done=self._report_queued)

    def _report_queued(self, has_address: bool) -> None:
        if has_address:
            self.message.emit(self.tr("Signalement enregistré : il sera envoyé à l'équipe PARÉ à la "
                                      "prochaine synchronisation"))
        else:
            self.message.emit(self.tr("Signalement enregistré sur cet ordinateur (aucune adresse d'envoi "
                                      "n'est réglée) : exportez-le par Outils › Exporter les signalements…"))

    # --- local structures -----------------------------------------------------------------------------
    def edit_local(self, s: Structure | None = None) -> LocalStructureDialog:
        from ..dialogs.local_structure import LocalStructureDialog

        dialog = LocalStructureDialog(self._ref, s, self._parent)
        dialog.saved.connect(self.save_local)
        dialog.finished.connect(dialog.deleteLater)
        self.last_dialog = dialog
        dialog.open()
        return dialog

    def save_local(self, s: Structure) -> None:
        def done(saved: Structure) -> None:
            self.local_saved.emit(saved)
            self.message.emit(self.tr("Structure locale enregistrée"))

        self._runner.submit(self._directory.user.save_local, s, on_done=done)

    # --- helpers --------------------------------------------------------------------------------------
    def ask_text(self, title: str, label: str, then: Callable[[str], None], multiline: bool = False) -> None:
        """A non-blocking text prompt (open(), never exec(): tests and the event loop keep running)."""
        dialog = QInputDialog(self._parent)
        dialog.setWindowTitle(title)
        dialog.setLabelText(label)
        dialog.setAccessibleName(title)
        dialog.setOkButtonText(self.tr("Valider"))
        dialog.setCancelButtonText(self.tr("Annuler"))
        if multiline:
            dialog.setOption(QInputDialog.InputDialogOption.UsePlainTextEditForTextInput)
        else:
            dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)

        def accepted(text: str) -> None:
            if text.strip():
                then(text.strip())

        dialog.textValueSelected.connect(accepted)
        dialog.finished.connect(dialog.deleteLater)
        self.last_dialog = dialog
        dialog.open()
