"""Sync settings kept in the database (feed address, key, report address) and the access token."""

from __future__ import annotations

import contextlib
import json
import logging
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pare_desktop.paths import resource_path, resources_dir

from .http import HttpOptions

if TYPE_CHECKING:
    from pare_desktop.core.directory import Directory

log = logging.getLogger("pare.sync.settings")
FEED_URL, KEY_PATH, REPORT_URL, OFFLINE_ONLY, DEADLINE = (
    "sync.feed_url",
    "sync.key_path",
    "sync.report_url",
    "sync.offline_only",
    "sync.deadline_s",
)
TOKEN_FILE = "sync-token"
KEYRING_SERVICE = "pare-desktop-sync"


def default_key_path() -> Path:
    """The PARÉ public key shipped with the application."""
    return resource_path("keys", "pare-feed.pub")


@dataclass(frozen=True, slots=True)
class ShippedFeed:
    """The feed the publisher ships in resources/app/feed.json (an empty address: none)."""

    feed_url: str = ""
    key_path: Path | None = None


def shipped_feed(path: Path | None = None) -> ShippedFeed:
    """The publisher's default feed; a missing or unreadable file means none (logged)."""
    path = path or resource_path("app", "feed.json")
    try:
        doc = json.loads(path.read_text("utf-8"))
        url = doc.get("feed_url", "") or ""
        key = doc.get("public_key", "") or ""
    except (OSError, ValueError, AttributeError):
        log.warning("shipped feed file unreadable: %s", path)
        return ShippedFeed()
    if not isinstance(url, str) or not isinstance(key, str):
        return ShippedFeed()
    return ShippedFeed(url.strip(), (resources_dir() / key) if key else None)


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


def _deadline(value: str) -> HttpOptions:
    try:
        seconds = float(value)
    except ValueError:
        return HttpOptions()
    return replace(HttpOptions(), deadline=seconds) if seconds > 0 else HttpOptions()


def load_settings(directory: Directory, data_dir: Path) -> SyncSettings:
    """The stored settings (else the shipped feed), with the token from the credential store.

    Reads the database: call it on the database worker, never on the GUI thread.
    """
    shipped = shipped_feed()
    key = directory.meta(KEY_PATH)
    return SyncSettings(
        feed_url=directory.meta(FEED_URL) or shipped.feed_url,
        cache_dir=cache_dir(data_dir),
        key_paths=(Path(key),) if key else (shipped.key_path or default_key_path(),),
        token=TokenStore(data_dir).get(),
        report_url=directory.meta(REPORT_URL),
        offline_only=directory.meta(OFFLINE_ONLY) == "1",
        http=_deadline(directory.meta(DEADLINE)),
    )


def save_settings(
    directory: Directory,
    *,
    feed_url: str | None = None,
    key_path: Path | None = None,
    report_url: str | None = None,
    offline_only: bool | None = None,
    deadline_s: float | None = None,
) -> None:
    """Store the given settings (database write: on the database worker)."""
    values: dict[str, str] = {}
    if deadline_s is not None:
        values[DEADLINE] = f"{deadline_s:g}"
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
