"""The offline map: the QWebEngineView, its URL scheme and its settings."""
