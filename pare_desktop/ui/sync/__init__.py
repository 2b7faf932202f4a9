"""Sync in the window: the controller, the settings and history dialogs, the status line."""
