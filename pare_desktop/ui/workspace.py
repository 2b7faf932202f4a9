"""The views beside the result list — map, dashboard, contact lists — and the file actions, wired to
the main window: the one place that knows how they talk to each other."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ..core.directory import Directory
from ..core.records import SearchQuery, Structure
from .dialogs.publisher_import import PublisherImport
from .lists.panel import ListsPanel
from .main_window import MainWindow
from .map.settings_dialog import MapSettingsDialog, load_map_settings
from .sync.controller import SyncController
from .tasks import TaskRunner

if TYPE_CHECKING:
    from .dashboard.panel import DashboardWidget
    from .dialogs.export import ExportDialog
    from .map.view import MapPanel


def _holder(parent: QWidget) -> QWidget:
    """An empty tab page; its view is built the first time the tab is shown (fast start-up)."""
    page = QWidget(parent)
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    return page


class Workspace(QObject):
    """Owns the extra views and keeps them in step with the window's query, results and selection."""

    def __init__(
        self,
        window: MainWindow,
        directory: Directory,
        runner: TaskRunner,
        settings: QSettings,
        *,
        auto_sync: bool = True,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.directory = directory
        self.runner = runner
        self.settings = settings
        self._ids: Sequence[str] = ()
        self._query = SearchQuery()
        self._map_stale = True
        self._dashboard_stale = True

        # The map (QtWebEngine, folium) and the dashboard (pyqtgraph) are built on first use.
        self._map: MapPanel | None = None
        self._dashboard: DashboardWidget | None = None
        self.map_tab = window.add_view(_holder(window), self.tr("Carte"))
        self.dashboard_tab = window.add_view(_holder(window), self.tr("Tableau de bord"))
        self.lists = ListsPanel(directory, runner, window)
        self.lists.setAccessibleName(self.tr("Listes de contacts"))
        self.lists_tab = window.add_view(self.lists, self.tr("Listes de contacts"))
        self.importer = PublisherImport(window, directory, runner)
        self.data_dir = directory.path.parent
        self.sync = SyncController(
            directory, self.data_dir, runner, self, parent_widget=lambda: window, auto=auto_sync
        )
        self._build_actions()
        self._connect()

    # --- views built on first use ---------------------------------------------------------------------
    @property
    def map(self) -> MapPanel:
        if self._map is None:
            from .map.view import MapPanel

            mbtiles, online = load_map_settings(self.settings)
            panel = MapPanel(mbtiles=mbtiles, online_background=online)
            panel.setAccessibleName(self.tr("Carte des structures"))
            panel.structure_clicked.connect(self._map_clicked)
            self._install(self.map_tab, panel)
            self._map = panel
            self._show_around(self._query)
        return self._map

    @property
    def dashboard(self) -> DashboardWidget:
        if self._dashboard is None:
            from .dashboard.panel import DashboardWidget

            dashboard = DashboardWidget(self.directory, self.runner)
            dashboard.setAccessibleName(self.tr("Tableau de bord de la couverture"))
            dashboard.query_requested.connect(self._dashboard_query)
            self._install(self.dashboard_tab, dashboard)
            self._dashboard = dashboard
        return self._dashboard

    def _install(self, tab: int, view: QWidget) -> None:
        page = self.window.tabs.widget(tab)
        layout = page.layout() if page is not None else None
        assert layout is not None, "a view tab is an empty page with a layout"
        layout.addWidget(view)

    # --- wiring ---------------------------------------------------------------------------------------
    def _build_actions(self) -> None:
        w = self.window
        self.action_export = QAction(self.tr("E&xporter les résultats…"), w)
        self.action_export.setShortcut(QKeySequence("Ctrl+Shift+E"))
        self.action_export.setStatusTip(
            self.tr("CSV, Excel, vCard, PDF ou GeoJSON des résultats ou de la sélection")
        )
        self.action_export.triggered.connect(self.open_export)
        self.action_import = QAction(self.tr("&Importer un annuaire…"), w)
        self.action_import.setStatusTip(
            self.tr("Charger un fichier CSV, Excel, data·inclusion, uMap ou GeoJSON")
        )
        self.action_import.triggered.connect(self.importer.ask)
        self.action_import_local = QAction(self.tr("Importer des &contacts locaux…"), w)
        self.action_import_local.triggered.connect(self._ask_import_local)
        self.action_export_list = QAction(self.tr("Exporter / imprimer une &liste…"), w)
        self.action_export_list.setStatusTip(self.tr("La liste de contacts choisie, dans son ordre"))
        self.action_export_list.triggered.connect(self.export_list)
        self.action_map_settings = QAction(self.tr("&Fonds de carte…"), w)
        self.action_map_settings.triggered.connect(self.open_map_settings)
        first = w.menu_file.actions()[0]  # "Nouvelle structure locale…"
        undo = self.importer.undo_action
        for action in (self.action_import, undo, self.action_import_local, self.action_export,
                       self.action_export_list):
            w.menu_file.insertAction(first, action)
        w.menu_file.insertSeparator(first)
        self.action_sync_settings = QAction(self.tr("Paramètres de &synchronisation…"), w)
        self.action_sync_settings.triggered.connect(self.open_sync_settings)
        self.sync.action.setShortcut(QKeySequence("F5"))
        w.menu_file.insertAction(first, self.sync.action)
        w.menu_tools.addAction(self.action_sync_settings)
        w.menu_tools.addAction(self.sync.history_action)
        w.menu_tools.addAction(self.sync.export_reports_action)
        w.menu_tools.addAction(self.action_map_settings)
        w.toolbar.insertAction(w.toolbar.actions()[0], self.sync.action)
        w.toolbar.addAction(self.action_export)
        for a in (
            self.action_export,
            self.action_export_list,
            self.action_import,
            self.action_import_local,
            self.action_map_settings,
            self.sync.action,
            self.sync.history_action,
            self.action_sync_settings,
        ):
            w.addAction(a)

    def _connect(self) -> None:
        w = self.window
        w.results_changed.connect(self._results_changed)
        w.current_query_changed.connect(self._query_changed)
        w.structure_selected.connect(self._structure_selected)
        w.dataset_changed.connect(self._dataset_changed)
        w.tabs.currentChanged.connect(self._tab_changed)
        self.lists.structure_activated.connect(self._list_activated)
        self.importer.imported.connect(w.refresh)
        self.sync.dataset_changed.connect(self._synced)
        self.sync.dataset_changed.connect(self.importer.refresh_undo_state)  # a sync makes an import final
        self.sync.outcome_ready.connect(w.show_message)

    # --- keeping views in step (lazily: a hidden view is refreshed when shown) ----------------------
    @Slot(object)
    def _results_changed(self, ids: Sequence[str]) -> None:
        self._ids = ids  # a lazy view of up to 100k ids: nothing is copied here
        self._map_stale = True
        if self.window.tabs.currentIndex() == self.map_tab:
            self._update_map()

    @Slot(object)
    def _query_changed(self, query: SearchQuery) -> None:
        self._query = query
        self._dashboard_stale = True
        if self._map is not None:
            self._show_around(query)
        if self.window.tabs.currentIndex() == self.dashboard_tab:
            self._update_dashboard()

    def _show_around(self, query: SearchQuery) -> None:
        """The map follows the question: its territory, its « près de » circle, or what it found."""
        self.map.follow(query)

    @Slot(int)
    def _tab_changed(self, index: int) -> None:
        # The dashboard and the lists need the width; the detail pane comes back with the list and map.
        self.window.detail.setVisible(index not in (self.dashboard_tab, self.lists_tab))
        if index == self.map_tab and self._map_stale:
            self._update_map()
        elif index == self.dashboard_tab and self._dashboard_stale:
            self._update_dashboard()
        elif index == self.lists_tab:
            self.lists.reload()

    def _update_map(self) -> None:
        """Show the current results on the map; ids are listed and records fetched on the worker."""
        self._map_stale = False
        view, known, directory, panel = self._ids, self.map.known_ids(), self.directory, self.map

        def fetch() -> tuple[list[str], list[Structure], str]:
            ids = list(view)
            records = directory.get_many([i for i in ids if i not in known])
            return ids, records, panel.payload_for(records)  # the page's JSON, built here too

        def shown(found: tuple[list[str], list[Structure], str]) -> None:
            ids, records, payload = found
            self.map.add_records(records, payload)
            self.map.show_results(ids)

        self.runner.submit(fetch, on_done=shown, key="map-records")

    def _update_dashboard(self) -> None:
        self._dashboard_stale = False
        self.dashboard.set_query(self._query)

    @Slot(str)
    def _structure_selected(self, structure_id: str) -> None:
        if structure_id and self.window.tabs.currentIndex() == self.map_tab:
            self.map.focus_structure(structure_id)

    @Slot(object)
    def _dataset_changed(self, _info: object) -> None:
        if self._map is not None:
            self._map.forget_records()
        self._map_stale = self._dashboard_stale = True
        self._tab_changed(self.window.tabs.currentIndex())

    @Slot()
    def _synced(self) -> None:
        """New data arrived: a pro-tier feed (the user's token) turns professional mode on."""
        if self.sync.feed_tier == "pro" and not self.directory.pro_mode:
            self.window.set_pro_mode(True)
        self.window.refresh()

    @Slot(str)
    def _map_clicked(self, structure_id: str) -> None:
        self.window.select_structure(structure_id)

    @Slot(object)
    def _dashboard_query(self, query: SearchQuery) -> None:
        self.window.set_query(query)
        self.window.tabs.setCurrentIndex(0)

    @Slot(str)
    def _list_activated(self, structure_id: str) -> None:
        self.window.tabs.setCurrentIndex(0)
        self.window.select_structure(structure_id)

    # --- actions ----------------------------------------------------------------------------------------
    @Slot()
    def open_export(self) -> ExportDialog:
        from ..core.export.filters import describe_query
        from .dialogs.export import ExportDialog

        selected = self.window.selected_ids()
        ids = selected if len(selected) > 1 else list(self._ids)
        title = self.tr("sélection") if len(selected) > 1 else self.tr("résultats de la recherche")
        self.export_dialog = ExportDialog(
            self.directory, self.runner, ids, title, describe_query(self._query), self.window
        )
        self.export_dialog.show()
        return self.export_dialog

    @Slot()
    def export_list(self) -> object:
        """File › Export a list: the Lists tab comes forward with the export of its current list."""
        self.window.tabs.setCurrentIndex(self.lists_tab)
        return self.lists.open_export()

    def _ask_import_local(self) -> None:
        from .dialogs.files import ask_open_path

        path = ask_open_path(self.window, self.tr("Importer des contacts locaux"),
                             self.tr("Tableurs (*.csv *.xlsx)"), self.settings)
        if path is not None:
            self.window.tabs.setCurrentIndex(self.lists_tab)
            self.lists.import_local(path)

    @Slot()
    def open_sync_settings(self) -> None:
        """The settings are read on the worker; `sync.settings_shown` carries the dialog."""
        self.sync.open_settings()

    @Slot(list, bool)
    def _backgrounds_changed(self, files: list[Path], online: bool) -> None:
        if self._map is not None:  # else the map reads the settings when it is first built
            self._map.set_backgrounds(files, online)

    def shutdown(self) -> None:
        self.sync.shutdown()

    @Slot()
    def open_map_settings(self) -> MapSettingsDialog:
        self.map_settings = MapSettingsDialog(self.settings, self.window)
        self.map_settings.changed.connect(self._backgrounds_changed)
        self.map_settings.show()
        return self.map_settings
