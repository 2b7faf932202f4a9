"""One display path for errors: typed core errors worded in French, non-modal boxes, a global hook."""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QWidget

from ..core.progress import Cancelled

log = logging.getLogger("pare.ui.errors")


def _tr(text: str) -> str:
    return QCoreApplication.translate("errors", text)


def describe(exc: BaseException) -> tuple[str, bool]:
    """A French sentence for the user, and whether the error was expected (no traceback needed)."""
    from ..core.errors import SchemaTooNewError, is_locked
    from ..core.userdata import ListNameError

    message = getattr(exc, "message", None)
    if _is_pare_error(exc) and isinstance(message, str):
        return message, True
    if isinstance(exc, SchemaTooNewError):
        return _tr(
            "Ce fichier de données a été écrit par une version plus récente de PARÉ Desktop. "
            "Mettez l'application à jour : le fichier n'a pas été modifié."
        ), True
    if isinstance(exc, ListNameError):
        if exc.reason == "empty":
            return _tr("Donnez un nom à la liste."), True
        return _tr("Une liste porte déjà ce nom : « %1 ».").replace("%1", exc.name), True
    if isinstance(exc, Cancelled):
        return _tr("Opération annulée : rien n'a été modifié."), True
    if isinstance(exc, PermissionError):
        return _tr("Accès refusé au fichier : %1").replace("%1", str(exc.filename or exc)), True
    if isinstance(exc, FileNotFoundError):
        return _tr("Fichier introuvable : %1").replace("%1", str(exc.filename or exc)), True
    if isinstance(exc, OSError) and exc.errno == 28:
        return _tr("Le disque est plein : libérez de la place puis réessayez. Rien n'a été modifié."), True
    if is_locked(exc):
        return _tr("La base de données est occupée par une autre opération ; "
                   "réessayez dans un instant."), True
    return _tr("Une erreur inattendue s'est produite. Le détail ci-dessous peut être copié "
               "et transmis à l'équipe PARÉ."), False


def _is_pare_error(exc: BaseException) -> bool:
    try:
        from ..core.errors import PareError  # type: ignore[import-not-found,unused-ignore]
    except ImportError:  # core.errors arrives with the importers branch
        return type(exc).__name__.endswith("Error") and hasattr(exc, "message")
    return isinstance(exc, PareError)


def details(exc: BaseException) -> str:
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


class ErrorPresenter(QObject):
    """Shows errors in non-modal message boxes (kept referenced until closed); owns the global hook."""

    shown = Signal(str)  # the French message, for tests and the status bar
    _from_thread = Signal(object)

    def __init__(self, parent_widget: Callable[[], QWidget | None] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._parent_widget = parent_widget or (lambda: None)
        self._boxes: list[QMessageBox] = []
        self._previous_hook: Callable[..., object] | None = None
        self._previous_thread_hook: Callable[..., object] | None = None
        self._from_thread.connect(self.show_error, Qt.ConnectionType.QueuedConnection)

    @property
    def open_boxes(self) -> list[QMessageBox]:
        return [b for b in self._boxes if b.isVisible()]

    def report(self, exc: BaseException) -> None:
        """The runner's error handler: show, return nothing."""
        self.show_error(exc)

    @Slot(object)
    def show_error(self, exc: BaseException, title: str | None = None) -> QMessageBox:
        """Word `exc` in French and show it without blocking; unexpected ones are logged with details."""
        text, expected = describe(exc)
        if not expected:
            log.error("unexpected error", exc_info=exc)
        return self.show_message(text, title=title, detail=None if expected else details(exc),
                                 warning=not expected)

    def show_message(self, text: str, *, title: str | None = None, detail: str | None = None,
                     warning: bool = True) -> QMessageBox:
        icon = QMessageBox.Icon.Critical if detail else QMessageBox.Icon.Warning
        if not warning:
            icon = QMessageBox.Icon.Information
        box = QMessageBox(icon, title or self.tr("PARÉ Desktop"), text,
                          QMessageBox.StandardButton.Ok, self._parent_widget())
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.setAccessibleName(title or self.tr("Message"))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        if detail:
            box.setDetailedText(detail)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.finished.connect(lambda _r, b=box: self._forget(b))
        self._boxes.append(box)
        box.show()
        self.shown.emit(text)
        return box

    def _forget(self, box: QMessageBox) -> None:
        if box in self._boxes:
            self._boxes.remove(box)
        box.deleteLater()

    def close_all(self) -> None:
        for box in list(self._boxes):
            box.close()
            self._forget(box)

    # --- the global hook ------------------------------------------------------------------------------
    def install_excepthook(self) -> None:
        """Unexpected exceptions (GUI slots or threads) are logged and shown with copyable details."""
        self._previous_hook = sys.excepthook
        self._previous_thread_hook = threading.excepthook
        sys.excepthook = self._hook
        threading.excepthook = self._thread_hook

    def uninstall_excepthook(self) -> None:
        if self._previous_hook is not None:
            sys.excepthook = self._previous_hook
            threading.excepthook = self._previous_thread_hook  # type: ignore[assignment]
            self._previous_hook = self._previous_thread_hook = None

    def _hook(self, etype: type[BaseException], value: BaseException,
              tb: TracebackType | None) -> None:
        if issubclass(etype, KeyboardInterrupt):
            QCoreApplication.quit()
            return
        if value.__traceback__ is None:
            value = value.with_traceback(tb)
        self._dispatch(value)

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            self._dispatch(args.exc_value)

    def _dispatch(self, exc: BaseException) -> None:
        log.error("uncaught exception", exc_info=exc)
        if QCoreApplication.instance() is None:
            sys.__excepthook__(type(exc), exc, exc.__traceback__)
            return
        if threading.current_thread() is threading.main_thread():
            self.show_error(exc)
        else:
            self._from_thread.emit(exc)
