"""The filters beside the results: territory tree, vocabulary facets with counts, open now, near a commune."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QGroupBox, QToolBox, QVBoxLayout, QWidget

from ...core import vocabulary
from ...core.records import FacetCount, SearchQuery
from ...core.search.index import REGION_PREFIX, region_key
from ...core.territories import Referential
from .check_tree import CheckTree
from .near_box import Near, NearBox

#: (query field, vocabulary kind, facet name, page title)
FACETS = (
    ("types", "type", "type", "Type de structure"),
    ("supports", "support", "support", "Accompagnement"),
    ("publics", "public", "public", "Public"),
    ("modalities", "modality", "modality", "Modalités"),
)


class FiltersPanel(QWidget):
    """Reflects the filter part of a SearchQuery; `changed` fires when the user edits a filter."""

    changed = Signal()

    def __init__(self, referential: Referential, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ref = referential
        self.setAccessibleName(self.tr("Filtres"))
        self.open_now = QCheckBox(self.tr("Ouvert maintenant"), self)
        self.open_now.setAccessibleName(self.tr("Seulement les structures ouvertes maintenant"))
        self.favourites_only = QCheckBox(self.tr("Favoris seulement"), self)
        self.favourites_only.setAccessibleName(self.tr("Seulement mes favoris"))
        self._favourites: frozenset[str] = frozenset()
        self.near = NearBox(referential, self)
        near_group = QGroupBox(self.tr("Près de"), self)
        QVBoxLayout(near_group).addWidget(self.near)
        self.toolbox = QToolBox(self)
        self.toolbox.setAccessibleName(self.tr("Catégories de filtres"))
        self.territories = CheckTree(self.tr("Territoires"), self)
        self._build_territories()
        self.toolbox.addItem(self.territories, self.tr("Territoire"))
        self.lists: dict[str, CheckTree] = {}
        self._titles: dict[str, str] = {"territories": self.tr("Territoire")}
        for field, kind, _facet, title in FACETS:
            tree = CheckTree(self.tr(title), self)
            tree.setRootIsDecorated(False)
            for term in vocabulary.terms(kind):
                item = tree.add_value(term.slug, term.short_label)
                item.setToolTip(0, term.label)
            self.lists[field] = tree
            self._titles[field] = self.tr(title)
            self.toolbox.addItem(tree, self.tr(title))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.open_now)
        layout.addWidget(self.favourites_only)
        layout.addWidget(near_group)
        layout.addWidget(self.toolbox, 1)
        self.open_now.toggled.connect(lambda _on: self.changed.emit())
        self.favourites_only.toggled.connect(lambda _on: self.changed.emit())
        self.near.changed.connect(self.changed)
        self.territories.selection_changed.connect(self._edited)
        for tree in self.lists.values():
            tree.selection_changed.connect(self._edited)

    def _build_territories(self) -> None:
        tree = self.territories
        for region in self._ref.regions():
            if region.overseas:
                continue
            item = tree.add_value(region_key(region.code), region.name)
            for code in self._ref.departements_of(region.code):
                t = self._ref.territory(code)
                tree.add_value(code, f"{t.name if t else code} ({code})", item)
        group = tree.add_value("", self.tr("Outre-mer"), checkable=False)
        group.setToolTip(0, self.tr("Départements et collectivités d'outre-mer"))
        for t in self._ref.overseas():
            tree.add_value(t.code, f"{t.name} ({t.code})", group)
        group.setExpanded(True)

    # --- query <-> widgets ----------------------------------------------------------------------------
    def apply_to(self, q: SearchQuery) -> SearchQuery:
        near = self.near.value()
        places = self.territories.selected()  # région items carry region_key(code) in the tree
        return replace(
            q,
            territories=tuple(c for c in places if not c.startswith(REGION_PREFIX)),
            regions=tuple(c.removeprefix(REGION_PREFIX) for c in places if c.startswith(REGION_PREFIX)),
            types=self.lists["types"].selected(),
            supports=self.lists["supports"].selected(),
            publics=self.lists["publics"].selected(),
            modalities=self.lists["modalities"].selected(),
            open_now=self.open_now.isChecked(),
            near=(near.latitude, near.longitude) if near else None,
            radius_km=float(near.radius_km) if near else None,
            ids=tuple(sorted(self._favourites)) if self.favourites_only.isChecked() else None,
        )

    def set_favourites(self, ids: frozenset[str]) -> None:
        """The user's favourites changed: « Favoris seulement » follows them."""
        changed = ids != self._favourites
        self._favourites = ids
        self.favourites_only.setText(self.tr("Favoris seulement") + f"  ({len(ids)})")
        if changed and self.favourites_only.isChecked():
            self.changed.emit()

    def show_query(self, q: SearchQuery, near: Near | None = None) -> None:
        self.blockSignals(True)
        try:
            self.territories.set_selected((*q.territories, *(region_key(r) for r in q.regions)))
            for field, tree in self.lists.items():
                tree.set_selected(getattr(q, field))
            self.open_now.setChecked(q.open_now)
            self.favourites_only.setChecked(q.ids is not None)
            self.near.set_value(near if q.near is not None else None)
        finally:
            self.blockSignals(False)
        self._update_titles()
        self._reveal(q.territories)

    def _reveal(self, codes: tuple[str, ...]) -> None:
        for code in codes:
            item = self.territories._items.get(code)
            parent = item.parent() if item else None
            if parent is not None:
                parent.setExpanded(True)

    def set_facets(self, facets: Mapping[str, tuple[FacetCount, ...]]) -> None:
        known = bool(facets)
        counts = {f.value: f.count for f in facets.get("territory", ())}
        counts.update({region_key(f.value): f.count for f in facets.get("region", ())})
        self.territories.set_counts(counts, known)
        for field, _kind, facet, _title in FACETS:
            self.lists[field].set_counts({f.value: f.count for f in facets.get(facet, ())}, known)
        open_count = {f.value: f.count for f in facets.get("open_now", ())}.get("1")
        suffix = f"  ({open_count})" if open_count is not None else ""
        self.open_now.setText(self.tr("Ouvert maintenant") + suffix)

    # --- chips ----------------------------------------------------------------------------------------
    def active(self) -> list[tuple[str, str]]:
        """(key, French label) of every active filter, for the chips."""
        out: list[tuple[str, str]] = []
        for code in self.territories.selected():
            label = self.territories.label_of(code)
            if code.startswith(REGION_PREFIX):
                label = self.tr("région %1").replace("%1", label)
            out.append((f"territories={code}", label))
        for field, tree in self.lists.items():
            out += [(f"{field}={code}", tree.label_of(code)) for code in tree.selected()]
        if self.open_now.isChecked():
            out.append(("open_now", self.tr("Ouvert maintenant")))
        if self.favourites_only.isChecked():
            out.append(("favourites", self.tr("Favoris seulement")))
        near = self.near.value()
        if near:
            out.append(("near", self.tr("à %1 km de %2").replace("%1", str(near.radius_km))
                        .replace("%2", near.label.split(" (")[0])))
        return out

    def remove(self, key: str) -> None:
        field, _, code = key.partition("=")
        if field == "territories":
            self.territories.set_selected([c for c in self.territories.selected() if c != code])
        elif field in self.lists:
            tree = self.lists[field]
            tree.set_selected([c for c in tree.selected() if c != code])
        elif field == "open_now":
            self.open_now.blockSignals(True)
            self.open_now.setChecked(False)
            self.open_now.blockSignals(False)
        elif field == "favourites":
            self.favourites_only.blockSignals(True)
            self.favourites_only.setChecked(False)
            self.favourites_only.blockSignals(False)
        elif field == "near":
            self.near.set_value(None)
        self._edited()

    def clear(self) -> None:
        self.show_query(SearchQuery())
        self.changed.emit()

    def _edited(self) -> None:
        self._update_titles()
        self.changed.emit()

    def _update_titles(self) -> None:
        pages = [("territories", self.territories), *self.lists.items()]
        for i, (field, tree) in enumerate(pages):
            n = len(tree.selected())
            title = self._titles[field] + (f" ({n})" if n else "")
            self.toolbox.setItemText(i, title)
            self.toolbox.setItemToolTip(i, title)

    def focus_first(self) -> None:
        self.open_now.setFocus(Qt.FocusReason.OtherFocusReason)
