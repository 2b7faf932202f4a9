"""Typed sync errors, each with the French sentence the user reads."""

from __future__ import annotations

from pare_desktop.core.errors import PareError


class SyncError(PareError):
    """Anything that stops a sync on purpose: nothing was applied, the data in place stays usable."""


class NotConfiguredError(SyncError):
    """No feed address or no public key."""


class KeyFileError(SyncError):
    """A key file that cannot be read or is not an Ed25519 key."""


class FeedFormatError(SyncError):
    """A manifest or data file that is not what the format says (after its signature or hash was checked)."""


class SignatureError(SyncError):
    """The manifest is not signed by a trusted key."""


class UnknownKeyError(SignatureError):
    """The manifest is signed, but by a key we do not trust."""


class RollbackError(SyncError):
    """The feed offers an older version than the one already installed."""

    def __init__(self, offered: int, installed: int) -> None:
        super().__init__(
            f"version {offered} plus ancienne que la version {installed} déjà installée : refusée"
        )
        self.offered = offered
        self.installed = installed


class ExpiredError(SyncError):
    """The feed's manifest is past its expiry date (a frozen or abandoned mirror)."""


class NetworkError(SyncError):
    """The server could not be reached or kept failing after the retries."""


class DeadlineError(NetworkError):
    """A request took longer than its overall deadline (stalled or dripping server)."""


class OfflineError(NetworkError):
    """The machine is offline (host not resolvable, no route, connection refused): a normal state."""


class RedirectError(NetworkError):
    """A redirect that is refused (https to http, too many hops, unsupported address)."""


class HTTPStatusError(NetworkError):
    """The server answered with an error status."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class TooLargeError(SyncError):
    """A download is larger than declared or than the global cap."""


class IntegrityError(SyncError):
    """A file's sha256 or length, or the resulting dataset's hash, differs from the signed manifest."""


class PublishError(SyncError):
    """The publisher tool cannot build the feed (bad source, key mismatch with the feed...)."""


class StorageError(SyncError):
    """The disk filled up (or the database refused to grow) while applying: everything was rolled back."""
