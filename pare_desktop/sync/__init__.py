"""Signed feed: format, verification, download, apply, publisher — no Qt."""
