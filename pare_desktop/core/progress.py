"""The progress contract for long work: the core reports, the UI (or a test) listens and may cancel."""

from __future__ import annotations

from typing import Protocol


class Cancelled(Exception):
    """Raised inside long work when the user asked to cancel; nothing has been applied."""


class Progress(Protocol):
    def set_progress(self, done: int, total: int) -> None: ...

    def set_status(self, text: str) -> None: ...

    def is_cancelled(self) -> bool: ...


class NullProgress:
    """A progress that listens to nothing and never cancels (tests, command line)."""

    def set_progress(self, done: int, total: int) -> None:
        pass

    def set_status(self, text: str) -> None:
        pass

    def is_cancelled(self) -> bool:
        return False


def check_cancelled(progress: Progress) -> None:
    if progress.is_cancelled():
        raise Cancelled()
