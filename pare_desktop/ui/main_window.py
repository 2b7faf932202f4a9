"""The main window: search, filters, results tabs, detail pane, menus; the surface other views plug into."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QSettings, Qt, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from ..core.directory import DatasetInfo, Directory
from ..core.records import SearchQuery, Structure
from ..core.territories import Referential
from . import settings as keys
from .detail.pane import DetailPane
from .detail.user_actions import UserActions
from .dialogs.about import AboutDialog
from .dialogs.help import HelpDialog
from .errors import ErrorPresenter
from .fit import SplitterFit
from .keyboard import KeyboardPaths
from .results.model import SORT_KEYS, ResultsModel
from .results.near_notice import NearNotice
from .results.view import ResultsView
from .search.approximate import approximate_tip
from .search.chips_bar import ChipsBar
from .search.controller import SearchController, SearchOutcome
from .search.filters_panel import FiltersPanel
from .search.my_territory import MyTerritory
from .status_panel import DemoBanner, StatusPanel, dataset_text
from .tasks import TaskRunner
from .window_menus import build_menus


class MainWindow(QMainWindow):
    """Signals and slots here are the contract for the map, dashboard, sync and export views."""

    current_query_changed = Signal(object)  # SearchQuery, as soon as the user changes it
    results_changed = Signal(object)  # tuple[str, ...] of ids, in display order
    structure_selected = Signal(str)  # "" when nothing is selected
    pro_mode_changed = Signal(bool)
    dataset_changed = Signal(object)  # DatasetInfo

    # Built by window_menus.build_menus: other views add their actions to these menus.
    menu_file: QMenu
    menu_edit: QMenu
    menu_structure: QMenu
    menu_view: QMenu
    menu_tools: QMenu
    menu_help: QMenu
    toolbar: QToolBar
    action_new_local: QAction
    action_quit: QAction
    action_find: QAction
    action_clear: QAction
    action_favourite: QAction
    action_add_list: QAction
    action_report: QAction
    action_edit_local: QAction
    action_filters: QAction
    action_pro: QAction
    action_about: QAction
    action_help: QAction

    def __init__(self, directory: Directory, runner: TaskRunner, referential: Referential,
                 settings: QSettings, errors: ErrorPresenter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.directory = directory
        self.runner = runner
        self.referential = referential
        self.settings = settings
        self.errors = errors
        self.dataset: DatasetInfo | None = None
        self._help: HelpDialog | None = None
        self._select_first = False
        self.setWindowTitle(self.tr("Annuaire hors ligne — PARÉ Desktop"))  # Qt adds no 2nd name
        self.setMinimumSize(760, 520)  # fits a 1024×600 screen with its task bar
        self.search = SearchController(directory, runner, self)
        self.search.failed.connect(errors.report)
        self.model = ResultsModel(directory.get_many, runner, referential, self)
        self.actions_ = UserActions(directory, runner, referential, self)
        self._build_widgets()
        build_menus(self)
        self.my_territory = MyTerritory(self)  # « Mon territoire » (button beside the count, Outils menu)
        self.top_bar.insertWidget(1, self.my_territory.button)
        self.keyboard = KeyboardPaths(self)  # ↓ from the search field, Ctrl+Shift+N to the note
        self.status_panel = StatusPanel(self.statusBar())
        self._connect()

    # --- construction ---------------------------------------------------------------------------------
    def _build_widgets(self) -> None:
        self.banner = DemoBanner(self)
        self.banner.hide()
        self.search_field = QLineEdit(self)
        self.search_field.setPlaceholderText(
            self.tr("Rechercher une structure, une commune, un besoin… (Ctrl+F)"))
        self.search_field.setAccessibleName(self.tr("Recherche"))
        self.search_field.setClearButtonEnabled(True)
        self.count_label = QLabel(self)
        self.count_label.setAccessibleName(self.tr("Nombre de résultats"))
        self.count_label.setMinimumWidth(130)
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.chips = ChipsBar(self)  # always shown, constant height: the results never move
        self.near_notice = NearNotice(self)
        self.filters = FiltersPanel(self.referential, self)
        filters_scroll = QScrollArea(self)
        filters_scroll.setWidget(self.filters)
        filters_scroll.setWidgetResizable(True)
        filters_scroll.setMinimumWidth(230)
        filters_scroll.setAccessibleName(self.tr("Panneau des filtres"))
        self.filters_scroll = filters_scroll
        self.results = ResultsView(self.model, self)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName(self.tr("Vues"))
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.results, self.tr("Liste"))
        self.detail = DetailPane(self.referential, self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        for w in (filters_scroll, self.tabs, self.detail):
            self.splitter.addWidget(w)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([250, 720, 380])
        self.splitter_fit = SplitterFit(self.splitter)  # small windows: the list gets the spare width
        top = QHBoxLayout()
        top.addWidget(self.search_field, 1)
        top.addWidget(self.count_label)
        self.top_bar = top
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.banner)
        layout.addLayout(top)
        layout.addWidget(self.chips)
        layout.addWidget(self.near_notice)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        QWidget.setTabOrder(self.search_field, self.results.table)
        QWidget.setTabOrder(self.results.table, self.detail)
        QWidget.setTabOrder(self.detail, self.filters.open_now)

    def _connect(self) -> None:
        self.search_field.textEdited.connect(self.search.set_text)
        self.search_field.returnPressed.connect(self._search_now)
        self.search.query_changed.connect(self.current_query_changed)
        self.search.results_ready.connect(self._show_results)
        self.filters.changed.connect(self._filters_edited)
        self.chips.removed.connect(self.filters.remove)
        self.model.sort_requested.connect(self.search.set_sort)
        self.results.current_changed.connect(self._on_current)
        self.results.activated.connect(self._open)
        self.results.widen_requested.connect(self._widen)
        self.near_notice.radius_chosen.connect(self.filters.near.radius.setValue)
        self.near_notice.structure_chosen.connect(self.select_structure)
        self.detail.favourite_toggled.connect(self.actions_.set_favourite)
        self.detail.note_edited.connect(self.actions_.save_note)
        self.detail.add_to_list_requested.connect(lambda sid: self.actions_.add_to_list(self._targets(sid)))
        self.detail.report_requested.connect(self._report)
        self.detail.edit_requested.connect(self._edit_local)
        self.detail.message.connect(self.show_message)
        self.actions_.message.connect(self.show_message)
        self.actions_.favourites_changed.connect(self._favourites_changed)
        self.actions_.local_saved.connect(self._local_saved)
        self.runner.busy_changed.connect(self._busy)

    # --- start-up and state ---------------------------------------------------------------------------
    def start(self, restore: bool = True) -> None:
        """Restore the last state, then load favourites, dataset info and the first results."""
        near = None
        query = SearchQuery()
        geometry = self.settings.value(keys.KEY_GEOMETRY) if restore else None
        if geometry is not None:
            self.restoreGeometry(geometry)
        elif (screen := self.screen()) is not None:  # first start: most of the screen (1366×768 fits)
            area = screen.availableGeometry()
            self.resize(min(1600, area.width() * 95 // 100), min(1000, area.height() * 92 // 100))
        if restore:
            state = self.settings.value(keys.KEY_STATE)
            if state is not None:
                self.restoreState(state)
            splitter = self.settings.value(keys.KEY_SPLITTER)
            if splitter is not None:
                self.splitter.restoreState(splitter)
                self.splitter_fit.restored()
            query, near = keys.load_query(self.settings)
        if self.settings.value(keys.KEY_QUERY) is None:  # nothing saved yet: start on my territory
            query = self.my_territory.default_query()
        self.search_field.setText(query.text)
        self.filters.show_query(query, near)
        self.action_pro.setChecked(self.directory.pro_mode)
        self.actions_.load_favourites()
        self.refresh_dataset()
        self.search.set_query(query)
        self._update_chips()

    def save_state(self) -> None:
        self.detail.flush_note()
        self.settings.setValue(keys.KEY_GEOMETRY, self.saveGeometry())
        self.settings.setValue(keys.KEY_STATE, self.saveState())
        self.settings.setValue(keys.KEY_SPLITTER, self.splitter.saveState())
        self.settings.setValue(keys.KEY_PRO, self.directory.pro_mode)
        keys.save_query(self.settings, self.search.query, self.filters.near.value())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        super().closeEvent(event)

    # --- public surface -------------------------------------------------------------------------------
    def add_view(self, widget: QWidget, title: str) -> int:
        """Add a tab beside "Liste" (map, dashboard...); returns its index."""
        return self.tabs.addTab(widget, title)

    @Slot(str)
    def select_structure(self, structure_id: str) -> None:
        """Show a structure (a map click...): select its row when listed, show its detail anyway."""
        if not self.results.select_id(structure_id):
            self._load_detail(structure_id)

    def set_query(self, query: SearchQuery) -> None:
        self.search_field.setText(query.text)
        self.filters.show_query(query, self.filters.near.value())
        self._update_chips()
        self.search.set_query(query)

    def apply_filter(self, *, territory: str | None = None, region: str | None = None,
                     type: str | None = None, support: str | None = None, public: str | None = None,
                     clear: bool = True) -> None:
        """Filter as a dashboard click asks: one territory / région / type / support (others cleared)."""
        base = SearchQuery(text=self.search.query.text) if clear else self.search.query
        changes: dict[str, tuple[str, ...]] = {}
        if territory:
            changes["territories"] = (territory,)
        if region:
            changes["regions"] = (region,)
        for field, value in (("types", type), ("supports", support), ("publics", public)):
            if value:
                changes[field] = (value,)
        self.set_query(replace(base, **changes))  # type: ignore[arg-type]

    set_filter = apply_filter

    @Slot()
    def clear_filters(self) -> None:
        self.filters.show_query(self.my_territory.default_query())  # my territory stays, if I chose one
        self._filters_edited()

    @Slot()
    def refresh(self) -> None:
        """Data changed behind the window (sync, import): search again and update the status bar."""
        self.refresh_dataset()
        self.search.run()

    def refresh_dataset(self) -> None:
        self.runner.submit(self.directory.dataset_info, on_done=self._dataset_loaded)

    def focus_search(self) -> None:
        self.search_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_field.selectAll()

    def show_message(self, text: str) -> None:
        """A sentence in the status bar, capitalised like one (« Hors ligne : … », not « hors ligne : … »)."""
        self.statusBar().showMessage(text[:1].upper() + text[1:], 5000)

    def current_structure(self) -> Structure | None:
        return self.detail.structure

    def selected_ids(self) -> list[str]:
        return self.results.selected_ids()

    # --- reactions ------------------------------------------------------------------------------------
    def _search_now(self) -> None:
        self._select_first = True
        self.search.run()
        self.results.table.setFocus()

    def _filters_edited(self) -> None:
        self._update_chips()
        self.search.set_query(self.filters.apply_to(self.search.query))

    def _update_chips(self) -> None:
        self.chips.set_chips(self.filters.active())

    def _show_results(self, outcome: SearchOutcome) -> None:
        result, q = outcome.result, outcome.query
        current = self.results.current_id()
        self.model.show_distance = q.near is not None
        self.model.set_results(result.ids, result.distances_km, outcome.prefetched,
                               descending=outcome.descending)
        self.filters.set_facets(result.facets)
        n = result.total
        self.count_label.setText(self.tr("%1 résultat(s)").replace("%1", f"{n:,}".replace(",", "\u202f")))
        unknown = n - sum(f.count for f in result.facets.get("open_now", ())) if q.open_now else 0
        self.model.unknown_hours_from = (unknown if outcome.descending else n - unknown) if unknown else -1
        if unknown > 0:
            more = self.tr(", dont %1 aux horaires non renseignés")
            self.count_label.setText(self.count_label.text() + more.replace("%1", str(unknown)))
        self.count_label.setToolTip(approximate_tip(result.approximate))
        if result.approximate:  # found by forgiving a typo: say so, the words in the tooltip
            self.count_label.setText(self.count_label.text() + self.tr(" · orthographe approchée"))
        near = self.filters.near.value()
        if outcome.near_hint is not None and outcome.near_hint.applies and near is not None:
            self.near_notice.show_hint(near.label.split(" (")[0], outcome.near_hint)
        else:
            self.near_notice.hide()
        if n:
            self.results.show_table(q.near is not None)
            kept = bool(current) and self.results.select_id(current)
            if not kept and self._select_first:
                self.results.table.selectRow(0)
            self._select_first = False
        else:
            self._show_empty(q)
        self.results_changed.emit(self.model.ids())

    def _show_empty(self, q: SearchQuery) -> None:
        title, label = self.tr("Aucun résultat"), None
        text = self.tr("Aucune structure ne correspond à la recherche et aux filtres.")
        if q.text.strip():
            text = self.tr("Aucune structure ne correspond à « %1 » avec ces filtres.").replace(
                "%1", q.text.strip())
        deps = q.territories
        region = self.referential.region_of(deps[0]) if len(deps) == 1 and not q.regions else ""
        if region and len(self.referential.departements_of(region)) > 1:
            name = self.referential.region(region)
            title = self.tr("Aucun résultat — élargir à la région ?")
            label = self.tr("Élargir à la région %1").replace("%1", name.name if name else region)
        elif q.territories or q.regions:
            title = self.tr("Aucun résultat — élargir à toute la France ?")
            label = self.tr("Élargir à toute la France")
        elif q != SearchQuery(text=q.text, sort=q.sort):
            title = self.tr("Aucun résultat — retirer les filtres ?")
            label = self.tr("Effacer les filtres (Ctrl+L)")
        elif q.text.strip():
            text += "\n" + self.tr("Vérifiez l'orthographe ou essayez un autre mot.")
        self.results.show_empty(title, text, label)

    def _widen(self) -> None:
        q = self.search.query
        deps = q.territories
        region = self.referential.region_of(deps[0]) if len(deps) == 1 and not q.regions else ""
        if region and len(self.referential.departements_of(region)) > 1:
            self.set_query(replace(q, territories=(), regions=(region,)))
        elif q.territories or q.regions:
            self.set_query(replace(q, territories=(), regions=()))
        else:
            self.clear_filters()

    def _on_current(self, structure_id: str) -> None:
        self.structure_selected.emit(structure_id)
        if structure_id:
            self._load_detail(structure_id)
        else:
            self.detail.show_structure(None)

    def _load_detail(self, structure_id: str) -> None:
        directory = self.directory

        def work() -> tuple[Structure | None, bool, str]:
            return (directory.get(structure_id), directory.user.is_favourite(structure_id),
                    directory.user.note(structure_id))

        self.runner.submit(work,
                           on_done=lambda r: self.detail.show_structure(r[0], favourite=r[1], note=r[2]),
                           key="detail")

    def _open(self, structure_id: str) -> None:
        self._load_detail(structure_id)
        self.detail.setFocus()

    def _targets(self, structure_id: str) -> list[str]:
        selected = self.results.selected_ids()
        return selected if structure_id in selected and len(selected) > 1 else [structure_id]

    def _report(self, _sid: str) -> None:
        if self.detail.structure is not None:
            self.actions_.report_error(self.detail.structure)

    def _edit_local(self, _sid: str) -> None:
        if self.detail.structure is not None and self.detail.structure.is_local:
            self.actions_.edit_local(self.detail.structure)

    def _favourites_changed(self, ids: frozenset[str]) -> None:
        self.model.set_favourites(ids)
        self.filters.set_favourites(ids)  # « Favoris seulement » follows
        sid = self.detail.structure.id if self.detail.structure else ""
        self.detail.star.blockSignals(True)
        self.detail.star.setChecked(sid in ids)
        self.detail.star.setText(self.tr("★ Favori") if sid in ids else self.tr("☆ Favori"))
        self.detail.star.blockSignals(False)

    def _local_saved(self, s: Structure) -> None:
        self.model.forget(s.id)
        self.refresh()
        self._load_detail(s.id)

    def _dataset_loaded(self, info: DatasetInfo) -> None:
        self.dataset = info
        self.banner.setVisible(info.is_demo)
        self.status_panel.show_info(info)
        self.dataset_changed.emit(info)

    def _busy(self, busy: bool) -> None:
        if busy:
            self.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.unsetCursor()

    def set_pro_mode(self, on: bool) -> None:
        if on == self.directory.pro_mode:
            return
        self.directory.pro_mode = on
        self.settings.setValue(keys.KEY_PRO, on)
        self.pro_mode_changed.emit(on)
        self.show_message(self.tr("Mode professionnel activé") if on else self.tr("Mode public"))
        self.refresh()
        if self.detail.structure is not None:
            self._load_detail(self.detail.structure.id)

    def show_help(self) -> HelpDialog:
        """F1: the offline guide, non-modal, one at a time."""
        if self._help is None:
            self._help = HelpDialog(self)
        self._help.show()
        self._help.raise_()
        return self._help

    def show_about(self) -> AboutDialog:
        text = dataset_text(self.dataset) if self.dataset else ""
        dialog = AboutDialog(text, self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog


__all__ = ["SORT_KEYS", "MainWindow"]
