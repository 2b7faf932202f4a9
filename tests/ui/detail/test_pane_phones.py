"""The detail pane shows national numbers (« 03 53 01 31 40 » for a Guadeloupe contact) and dials E.164."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QToolButton
from pytestqt.qtbot import QtBot

from pare_desktop.core.records import Phone, Structure
from pare_desktop.core.territories import referential
from pare_desktop.ui.detail.pane import DetailPane


class _Dialer(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def dial(self, url: QUrl) -> None:
        self.urls.append(url.toString())


def test_phones_read_nationally_and_dial_in_e164(qtbot: QtBot) -> None:
    record = Structure(
        id="t:gp", source="t", source_id="gp", name="Accueil (démo)", type="urgence", departement="971",
        region="01", commune="Pointe-à-Pitre", timezone="America/Guadeloupe",
        # stored before the French plan was used for display: the pane reads the number itself
        phones=(Phone("+33353013140", "+33 3 53 01 31 40", "Standard"), Phone("116006", "116 006")),
    )
    pane = DetailPane(referential())
    qtbot.addWidget(pane)
    pane.show_structure(record)
    texts = [b.text() for b in pane.findChildren(QToolButton)]
    assert "03 53 01 31 40" in texts and "116 006" in texts
    assert not any("+33" in t for t in texts)
    dialer = _Dialer()
    QDesktopServices.setUrlHandler("tel", dialer, "dial")
    try:
        calls = [b for b in pane.findChildren(QToolButton) if b.text() == "Appeler"]
        for button in calls:
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    finally:
        QDesktopServices.unsetUrlHandler("tel")
    assert dialer.urls == ["tel:+33353013140", "tel:116006"]
