"""Badges ("national", "démo", "local", "retirée", "> 12 mois"): painted in the table, labels in the pane."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from ..detail.present import BADGE_COLOURS, Badge
from .model import BADGES_ROLE

_PAD_X, _GAP, _RADIUS = 5, 4, 7


def _badges(index: QModelIndex | QPersistentModelIndex) -> list[Badge]:
    # Ask the Python model directly: no round trip through Qt's QVariant for a Python list.
    model = index.model()
    return (model.data(index, BADGES_ROLE) if model is not None else None) or []


class BadgeDelegate(QStyledItemDelegate):
    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        badges = _badges(index)
        self.initStyleOption(option, index)
        option.text = ""
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(option.font)
        h = metrics.height() + 2
        x = option.rect.x() + _GAP
        y = option.rect.y() + (option.rect.height() - h) // 2
        for badge in badges:
            w = metrics.horizontalAdvance(badge.text) + 2 * _PAD_X
            if x + w > option.rect.right():
                break
            bg, fg = BADGE_COLOURS.get(badge.kind, ("#dddddd", "#222222"))
            rect = QRect(x, y, w, h)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(bg))
            painter.drawRoundedRect(rect, _RADIUS, _RADIUS)
            painter.setPen(QColor(fg))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, badge.text)
            x += w + _GAP
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        badges = _badges(index)
        metrics = QFontMetrics(option.font)
        width = sum(metrics.horizontalAdvance(b.text) + 2 * _PAD_X + _GAP for b in badges) + _GAP
        return QSize(max(width, 40), metrics.height() + 8)


class BadgeRow(QWidget):
    """A row of badge labels (fixed app texts, never data) for the detail pane."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(_GAP)
        self._layout.addStretch(1)
        self.labels: list[QLabel] = []

    def set_badges(self, badges: list[Badge]) -> None:
        for label in self.labels:
            self._layout.removeWidget(label)
            label.hide()
            label.deleteLater()
        self.labels = []
        for badge in badges:
            bg, fg = BADGE_COLOURS.get(badge.kind, ("#dddddd", "#222222"))
            label = QLabel(self)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setText(badge.text)
            label.setAccessibleName(badge.text)
            label.setStyleSheet(f"QLabel {{ background: {bg}; color: {fg}; border-radius: 7px;"
                                f" padding: 1px 6px; }}")
            self._layout.insertWidget(self._layout.count() - 1, label)
            self.labels.append(label)
        self.setVisible(bool(badges))
