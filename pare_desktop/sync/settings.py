"""Sync settings kept in the database (feed address, key, report address) and the access token."""

from __future__ import annotations

import contextlib
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pare_desktop.paths import resource_path

from .http import HttpOptions

if TYPE_CHECKING:
    from pare_desktop.core.directory import Directory

log = logging.getLogger("pare.sync.settings")
FEED_URL, KEY_PATH, REPORT_URL, OFFLINE_ONLY = (
    "sync.feed_url",
    "sync.key_path",
    "sync.report_url",
    "sync.offline_only",
)
TOKEN_FILE = "sync-token"
KEYRING_SERVICE = "pare-desktop-sync"


def default_key_path() -> Path:
    """The PARÉ public key shipped with the application."""
    return resource_path("keys", "pare-feed.pub")


@dataclass(frozen=True, slots=True)
class SyncSettings:
    """Everything one sync needs to know besides the directory itself."""

    feed_url: str
    cache_dir: Path
    key_paths: tuple[Path, ...] = field(default_factory=lambda: (default_key_path(),))
    token: str | None = None
    report_url: str = ""
    offline_only: bool = False
    max_file_bytes: int = 500_000_000
    http: HttpOptions = field(default_factory=HttpOptions)

    @property
    def manifest_url(self) -> str:
        return self.feed_url.rstrip("/") + "/manifest.json"

    def file_url(self, path: str) -> str:
        return self.feed_url.rstrip("/") + "/" + path


def cache_dir(data_dir: Path) -> Path:
    return data_dir / "sync-cache"


def load_settings(directory: Directory, data_dir: Path) -> SyncSettings:
    """The stored settings, with the token from the credential store."""
    key = directory.meta(KEY_PATH)
    return SyncSettings(
        feed_url=directory.meta(FEED_URL),
        cache_dir=cache_dir(data_dir),
        key_paths=(Path(key),) if key else (default_key_path(),),
        token=TokenStore(data_dir).get(),
        report_url=directory.meta(REPORT_URL),
        offline_only=directory.meta(OFFLINE_ONLY) == "1",
    )


def save_settings(
    directory: Directory,
    *,
    feed_url: str | None = None,
    key_path: Path | None = None,
    report_url: str | None = None,
    offline_only: bool | None = None,
) -> None:
    values: dict[str, str] = {}
    if feed_url is not None:
        values[FEED_URL] = feed_url
    if key_path is not None:
        values[KEY_PATH] = str(key_path.resolve())
    if report_url is not None:
        values[REPORT_URL] = report_url
    if offline_only is not None:
        values[OFFLINE_ONLY] = "1" if offline_only else "0"
    if values:
        directory.set_meta(values)


class TokenStore:
    """The pro-tier token: the platform's credential store (keyring) if present, else a 0600 file."""

    def __init__(self, data_dir: Path) -> None:
        self._file = data_dir / TOKEN_FILE

    @staticmethod
    def _keyring() -> Any:
        try:
            import keyring
        except ImportError:
            return None
        return keyring

    def get(self) -> str | None:
        kr = self._keyring()
        if kr is not None:
            try:
                value = kr.get_password(KEYRING_SERVICE, "token")
                return str(value) if value else None
            except Exception:
                log.warning("credential store unavailable; using the token file")
        try:
            return self._file.read_text("utf-8").strip() or None
        except OSError:
            return None

    def set(self, token: str) -> None:
        kr = self._keyring()
        if kr is not None:
            try:
                kr.set_password(KEYRING_SERVICE, "token", token)
                self._file.unlink(missing_ok=True)
                return
            except Exception:
                log.warning("credential store unavailable; using the token file")
        self._file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self._file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(token)
        os.chmod(self._file, 0o600)

    def clear(self) -> None:
        kr = self._keyring()
        if kr is not None:
            with contextlib.suppress(Exception):
                kr.delete_password(KEYRING_SERVICE, "token")
        self._file.unlink(missing_ok=True)
