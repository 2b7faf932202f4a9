"""Menus, toolbar and shortcuts of the main window (menus are attributes: other views add actions)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QToolBar

if TYPE_CHECKING:
    from .main_window import MainWindow


def _action(w: MainWindow, text: str, shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
            tip: str = "") -> QAction:
    action = QAction(text, w)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    if tip:
        action.setToolTip(tip)
        action.setStatusTip(tip)
    w.addAction(action)
    return action


def build_menus(w: MainWindow) -> None:
    tr = w.tr
    w.action_new_local = _action(w, tr("&Nouvelle structure locale…"), "Ctrl+N",
                                 tr("Ajouter un contact que l'annuaire national n'a pas"))
    w.action_new_local.triggered.connect(lambda: w.actions_.edit_local(None))
    w.action_quit = _action(w, tr("&Quitter"), QKeySequence.StandardKey.Quit)
    w.action_quit.triggered.connect(w.close)
    w.action_find = _action(w, tr("&Rechercher"), "Ctrl+F", tr("Aller au champ de recherche"))
    w.action_find.triggered.connect(w.focus_search)
    w.action_clear = _action(w, tr("&Effacer les filtres"), "Ctrl+L", tr("Retirer tous les filtres"))
    w.action_clear.triggered.connect(w.clear_filters)
    w.action_favourite = _action(w, tr("&Favori"), "Ctrl+D", tr("Ajouter ou retirer des favoris"))
    w.action_favourite.triggered.connect(lambda: w.actions_.toggle_favourite(
        w.detail.structure.id if w.detail.structure else w.results.current_id()))
    w.action_add_list = _action(w, tr("&Ajouter à une liste…"), "Ctrl+Shift+L",
                                tr("Ajouter la fiche ou la sélection à une liste de contacts"))
    w.action_add_list.triggered.connect(lambda: w.actions_.add_to_list(
        w.results.selected_ids() or ([w.detail.structure.id] if w.detail.structure else [])))
    w.action_report = _action(w, tr("&Signaler une erreur…"), None,
                              tr("Signaler une information fausse ou manquante"))
    w.action_report.triggered.connect(lambda: w._report(""))
    w.action_edit_local = _action(w, tr("&Modifier la structure locale…"), "Ctrl+E")
    w.action_edit_local.triggered.connect(lambda: w._edit_local(""))
    w.action_filters = _action(w, tr("Panneau des &filtres"), "Ctrl+Shift+F")
    w.action_filters.setCheckable(True)
    w.action_filters.setChecked(True)
    w.action_filters.toggled.connect(w.filters_scroll.setVisible)
    w.action_pro = _action(w, tr("Mode &professionnel"), None,
                           tr("Afficher les informations réservées aux professionnels"))
    w.action_pro.setCheckable(True)
    w.action_pro.toggled.connect(w.set_pro_mode)
    w.action_help = _action(w, tr("&Guide d'utilisation"), QKeySequence.StandardKey.HelpContents,
                            tr("Badges, filtres, raccourcis, données de démonstration, synchronisation"))
    w.action_help.triggered.connect(w.show_help)
    w.action_about = _action(w, tr("À &propos de PARÉ Desktop…"))
    w.action_about.triggered.connect(w.show_about)

    bar = w.menuBar()
    w.menu_file = bar.addMenu(tr("&Fichier"))
    w.menu_file.addAction(w.action_new_local)
    w.menu_file.addSeparator()
    w.menu_file.addAction(w.action_quit)
    w.menu_edit = bar.addMenu(tr("É&dition"))
    for a in (w.action_find, w.action_clear):
        w.menu_edit.addAction(a)
    w.menu_structure = bar.addMenu(tr("&Structure"))
    for a in (w.action_favourite, w.action_add_list, w.action_report, w.action_edit_local):
        w.menu_structure.addAction(a)
    w.menu_view = bar.addMenu(tr("&Affichage"))
    w.menu_view.addAction(w.action_filters)
    w.menu_tools = bar.addMenu(tr("&Outils"))
    w.menu_tools.addAction(w.action_pro)
    w.menu_help = bar.addMenu(tr("&Aide"))
    w.menu_help.addAction(w.action_help)
    w.menu_help.addAction(w.action_about)

    w.toolbar = QToolBar(tr("Barre d'outils"), w)
    w.toolbar.setObjectName("main-toolbar")
    w.toolbar.setAccessibleName(tr("Barre d'outils"))
    w.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    w.toolbar.setMovable(False)
    for a in (w.action_new_local, w.action_favourite, w.action_add_list, w.action_report, w.action_clear):
        w.toolbar.addAction(a)
    w.addToolBar(Qt.ToolBarArea.TopToolBarArea, w.toolbar)

