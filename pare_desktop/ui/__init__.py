"""The PySide6 user interface: widgets, item models, the map view, dialogs, the task runner."""
