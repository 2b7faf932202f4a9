"""Guard against a Qt binding that leaks references to None/True/False (PySide6 6.12.0 on CPython 3.11).

With that binding every void Qt call, every Signal(bool) emitted and every None returned by a Python
model's data() gave back a borrowed None/True/False; the interpreter aborted after some minutes of use
("Fatal Python error: none_dealloc"). pyproject.toml keeps PySide6 below 6.12; this test fails loudly if a
future pin brings the defect back.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot


class _Emitter(QObject):
    changed = Signal(bool)


class _Model(QAbstractListModel):
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 1

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        return None


def test_binding_keeps_singleton_references(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    emitter = _Emitter()
    emitter.changed.connect(lambda on: None)
    model = _Model()
    index = model.index(0, 0)
    counts = (sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False))
    for _ in range(2000):
        label.setText("x")
        emitter.changed.emit(True)
        emitter.changed.emit(False)
        index.data()
    after = (sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False))
    assert [a - b for a, b in zip(after, counts, strict=True)] == [0, 0, 0]
