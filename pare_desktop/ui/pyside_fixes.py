"""Work-arounds for known defects of the Qt binding on our platforms (called from the composition root)."""

from __future__ import annotations

import ctypes
import platform
import sys

#: How far each singleton's reference count is raised: far beyond what any session can leak.
_BALLAST = 1 << 40


def _singletons() -> list[object]:
    return [None, True, False, Ellipsis, NotImplemented, "", (), b"", *range(-5, 257)]


def keep_singletons_alive() -> bool:
    """Make None, True, False and the other cached singletons immortal on CPython 3.11.

    They are immortal from CPython 3.12 on (PEP 683), which hides this: measured with
    PySide6/shiboken6 6.12.0 on CPython 3.11.7, every void Qt method called from Python
    (QLabel.setText, QWidget.setVisible...), every index.data() answered None by a Python model, and
    every Python Signal(bool) emitted, gives back None/True/False without a new reference. Their
    counts drop by one per call until the interpreter aborts ("Fatal Python error: none_dealloc" or
    "bool_dealloc"), typically a few minutes into a session. Raising the counts once makes the leak
    harmless. Returns True when applied. The real fix is CPython >= 3.12 (or a fixed binding).
    """
    if sys.version_info >= (3, 12) or platform.python_implementation() != "CPython":
        return False
    for obj in _singletons():
        refcount = ctypes.c_ssize_t.from_address(id(obj))
        if refcount.value < _BALLAST // 2:
            refcount.value += _BALLAST
    return True
