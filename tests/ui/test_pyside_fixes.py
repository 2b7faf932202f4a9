"""The singleton work-around: thousands of void Qt calls and bool signals no longer abort the interpreter."""

from __future__ import annotations

import subprocess
import sys
import textwrap

_SCRIPT = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QObject, Signal
    from PySide6.QtWidgets import QApplication, QLabel
    if sys.argv[1] == "fix":
        from pare_desktop.ui.pyside_fixes import keep_singletons_alive
        keep_singletons_alive()
    app = QApplication([])
    class S(QObject):
        sig = Signal(bool)
    s = S()
    s.sig.connect(lambda on: None)
    label = QLabel()
    for _ in range(200_000):
        label.setText("x")
        s.sig.emit(True)
        s.sig.emit(False)
    print("ok")
""")


def test_many_void_calls_survive_with_the_fix() -> None:
    env = {"QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": ".", "PATH": "/usr/bin:/bin"}
    fixed = subprocess.run([sys.executable, "-c", _SCRIPT, "fix"], capture_output=True, text=True, env=env,
                           timeout=120)
    assert fixed.returncode == 0 and "ok" in fixed.stdout, fixed.stderr[-500:]
