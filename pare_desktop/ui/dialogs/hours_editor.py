"""The opening-hours editor of the local structure form: typed French text or one row per day, in step."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from ...core.hours_fr import (
    EXAMPLE,
    HoursSyntaxError,
    french_ranges,
    osm_from_week,
    parse_french_hours,
    summary_fr,
    week_spans,
)

DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


class HoursEditor(QWidget):
    """Type « Lu-Ve 8h-12h, 14h-17h » or fill the days; `osm()` gives what is stored (OSM syntax)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._syncing = False
        self._osm = ""
        self._error: str | None = None
        self.text = QLineEdit(self)
        self.text.setPlaceholderText(self.tr("par exemple « %1 »").replace("%1", EXAMPLE))
        self.text.setAccessibleName(self.tr("Horaires en toutes lettres"))
        self.text.textEdited.connect(self._typed)
        self.preview = QLabel(self)
        self.preview.setTextFormat(Qt.TextFormat.PlainText)
        self.preview.setWordWrap(True)
        self.preview.setAccessibleName(self.tr("Horaires compris"))
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        self.day_boxes: list[QCheckBox] = []
        self.day_ranges: list[QLineEdit] = []
        for row, day in enumerate(DAYS):
            box = QCheckBox(day, self)
            ranges = QLineEdit(self)
            ranges.setPlaceholderText(self.tr("fermé"))
            ranges.setAccessibleName(self.tr("Horaires du %1").replace("%1", day))
            box.toggled.connect(self._days_edited)
            ranges.textEdited.connect(lambda _t, b=box: self._range_typed(b))
            grid.addWidget(box, row, 0)
            grid.addWidget(ranges, row, 1)
            self.day_boxes.append(box)
            self.day_ranges.append(ranges)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text)
        layout.addWidget(self.preview)
        layout.addWidget(QLabel(self.tr("Ou jour par jour :"), self))
        layout.addLayout(grid)
        self._show_preview()

    # --- public -----------------------------------------------------------------------------------
    def set_osm(self, oh: str) -> None:
        """Show stored hours: the French summary in the text field, the days filled in."""
        summary = summary_fr(oh)
        self.text.setText(summary or oh)
        self._typed(self.text.text())

    def osm(self) -> str:
        return self._osm

    def error(self) -> str | None:
        """The French sentence to show beside the field, or None when the hours are understood."""
        return self._error

    # --- in step ----------------------------------------------------------------------------------
    def _typed(self, text: str) -> None:
        try:
            self._osm, self._error = parse_french_hours(text), None
        except HoursSyntaxError as exc:
            self._osm, self._error = "", exc.message
        if self._error is None:
            self._fill_days(self._osm)
        self._show_preview()
        self.changed.emit()

    def _fill_days(self, oh: str) -> None:
        week = week_spans(oh)
        if week is None:
            return
        self._syncing = True
        try:
            for box, ranges, spans in zip(self.day_boxes, self.day_ranges, week, strict=True):
                box.setChecked(bool(spans))
                ranges.setText(french_ranges(spans))
        finally:
            self._syncing = False

    def _range_typed(self, box: QCheckBox) -> None:
        if not self._syncing:
            self._syncing = True
            box.setChecked(True)
            self._syncing = False
            self._days_edited()

    def _days_edited(self) -> None:
        if self._syncing:
            return
        week: list[list[tuple[int, int]]] = []
        for day, box, ranges in zip(DAYS, self.day_boxes, self.day_ranges, strict=True):
            if not box.isChecked() or not ranges.text().strip():
                week.append([])
                continue
            try:
                spans = week_spans(parse_french_hours(ranges.text()))
            except HoursSyntaxError as exc:
                self._osm, self._error = "", self.tr("%1 : %2").replace("%1", day).replace("%2", exc.message)
                self._show_preview()
                self.changed.emit()
                return
            week.append(spans[0] if spans else [])
        self._osm, self._error = osm_from_week(week), None
        self.text.setText(summary_fr(self._osm))
        self._show_preview()
        self.changed.emit()

    def _show_preview(self) -> None:
        if self._error is not None:
            self.preview.setText(self._error)
            self.preview.setStyleSheet("color: #b00020;")
        else:
            summary = summary_fr(self._osm)
            self.preview.setText(self.tr("Compris : %1").replace("%1", summary) if summary
                                 else self.tr("Horaires non renseignés."))
            self.preview.setStyleSheet("")
