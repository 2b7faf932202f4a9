"""PARÉ Desktop: the offline directory of help for minors against sexual exploitation."""

__version__ = "0.1.0"
