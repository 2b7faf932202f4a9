"""The offline guide (F1): our own French text from resources/help/guide.md, shown as rich text."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from ...paths import resource_path

GUIDE = ("help", "guide.md")


def guide_text() -> str:
    """The guide's Markdown (our text, not data); a short French line if the file is missing."""
    try:
        return resource_path(*GUIDE).read_text(encoding="utf-8")
    except OSError:
        return "# Guide\n\nLe guide n'a pas été trouvé dans le dossier de l'application."


class HelpDialog(QDialog):
    """Non-modal: the guide stays open beside the window while the user tries what it says."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Guide de PARÉ Desktop"))
        self.setAccessibleName(self.windowTitle())
        self.browser = QTextBrowser(self)
        self.browser.setAccessibleName(self.tr("Guide"))
        self.browser.setOpenLinks(False)  # the guide has no links out: nothing leaves the machine
        self.browser.setMarkdown(guide_text())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Fermer"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(720, 560)
