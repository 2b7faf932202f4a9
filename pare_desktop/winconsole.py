"""Windows, windowed pare.exe: the command line prints in the console it was typed in (AttachConsole)."""

from __future__ import annotations

import sys


def attach_parent_console() -> bool:
    """A windowed (GUI-subsystem) exe gets no stdout/stderr when started from cmd.exe or PowerShell without a
    redirection: attach to the parent's console so `pare.exe --version`, `--self-test` or `search` print
    there. Does nothing elsewhere, when the streams exist (file, pipe) or when there is no parent console
    (started from the Start menu). Returns whether it attached."""
    if sys.platform != "win32" or (sys.stdout is not None and sys.stderr is not None):
        return False
    import ctypes

    attach_parent_process = -1
    if not ctypes.windll.kernel32.AttachConsole(attach_parent_process):
        return False
    # "CONOUT$" opens the console itself: Python writes it as UTF-16 (PEP 528), accents intact.
    if sys.stdout is None:
        sys.stdout = open("CONOUT$", "w", encoding="utf-8")  # noqa: SIM115 (lives as long as the process)
    if sys.stderr is None:
        sys.stderr = open("CONOUT$", "w", encoding="utf-8")  # noqa: SIM115
    return True
