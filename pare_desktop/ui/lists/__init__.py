"""The coordinator's contact lists."""
