"""The coverage dashboard (pyqtgraph)."""
