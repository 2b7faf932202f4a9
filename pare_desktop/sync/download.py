"""Data file downloads into the cache: resume with Range + If-Range, length caps, sha256 check."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from collections.abc import Callable
from pathlib import Path

from .errors import IntegrityError, TooLargeError
from .feed import FileEntry
from .http import Http, Retryable

log = logging.getLogger("pare.sync.download")
_CONTENT_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+|\*)$")


class _Restart(Retryable):
    """The partial file cannot be continued (changed on the server): start again from zero."""


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


class Downloader:
    """Fetches feed files into `cache_dir`, named by their sha256, keeping partial files for next time."""

    def __init__(self, http: Http, cache_dir: Path, max_bytes: int, on_bytes: Callable[[int], None]) -> None:
        self.http = http
        self.cache_dir = cache_dir
        self.max_bytes = max_bytes
        self.on_bytes = on_bytes

    def fetch(self, url: str, entry: FileEntry) -> Path:
        """The verified file; raises IntegrityError, TooLargeError or a NetworkError."""
        if entry.length > self.max_bytes:
            raise TooLargeError(
                f"fichier {entry.sha256[:12]}… trop gros ({entry.length} octets, "
                f"limite {self.max_bytes}) : refusé"
            )
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        final = self.cache_dir / f"{entry.sha256}.jsonl.gz"
        if final.exists():
            if final.stat().st_size == entry.length and sha256_file(final) == entry.sha256:
                return final
            final.unlink()
        part = self.cache_dir / f"{entry.sha256}.part"
        self.http.with_retries(lambda: self._attempt(url, entry, part))
        os.replace(part, final)
        _validator_path(part).unlink(missing_ok=True)
        return final

    def _attempt(self, url: str, entry: FileEntry, part: Path) -> None:
        validator = _load_validator(part)
        have = part.stat().st_size if part.exists() and validator else 0
        if have >= entry.length:
            have = 0
        headers = {"Range": f"bytes={have}-", "If-Range": validator} if have else {}
        with self.http.request("GET", url, headers) as resp:
            if resp.status == 206 and have:
                m = _CONTENT_RANGE.match(resp.headers.get("Content-Range", ""))
                if not m or int(m.group(1)) != have or m.group(3) not in ("*", str(entry.length)):
                    self._reset(part)
                    raise _Restart("reprise refusée par le serveur : nouveau téléchargement depuis le début")
                mode = "ab"
            elif resp.status == 200:
                if have:
                    log.info(
                        "%s: server sent the whole file (changed or no range): restart", entry.sha256[:12]
                    )
                have, mode = 0, "wb"
            else:
                self._reset(part)
                raise _Restart(f"réponse inattendue du serveur (HTTP {resp.status})")
            declared = resp.headers.get("Content-Length", "")
            if declared.isdigit() and have + int(declared) > entry.length:
                self._reset(part)
                raise TooLargeError(
                    f"fichier {entry.sha256[:12]}… plus gros que la longueur signée "
                    f"({entry.length} octets) : refusé"
                )
            new_validator = _strong_validator(resp.headers.get("ETag"), resp.headers.get("Last-Modified"))
            _save_validator(part, new_validator)
            size = have
            with part.open(mode) as f:
                for chunk in resp.chunks():
                    size += len(chunk)
                    if size > entry.length:
                        f.close()
                        self._reset(part)
                        raise TooLargeError(
                            f"fichier {entry.sha256[:12]}… plus gros que la longueur signée "
                            f"({entry.length} octets) : refusé"
                        )
                    f.write(chunk)
                    self.on_bytes(len(chunk))
                f.flush()
                os.fsync(f.fileno())
        if size < entry.length:
            raise Retryable(f"téléchargement interrompu à {size} sur {entry.length} octets : reprise")
        if sha256_file(part) != entry.sha256:
            resumed = mode == "ab"
            self._reset(part)
            if resumed:
                raise _Restart("fichier repris incohérent : nouveau téléchargement depuis le début")
            raise IntegrityError(
                f"empreinte sha256 du fichier {entry.sha256[:12]}… différente du manifeste signé : refusé"
            )

    @staticmethod
    def _reset(part: Path) -> None:
        part.unlink(missing_ok=True)
        _validator_path(part).unlink(missing_ok=True)


def _validator_path(part: Path) -> Path:
    return part.with_name(part.name + ".json")


def _strong_validator(etag: str | None, last_modified: str | None) -> str:
    if etag and not etag.startswith("W/"):
        return etag
    return last_modified or ""


def _load_validator(part: Path) -> str:
    try:
        value = json.loads(_validator_path(part).read_text("utf-8")).get("validator", "")
    except (OSError, ValueError, AttributeError):
        return ""
    return value if isinstance(value, str) else ""


def _save_validator(part: Path, validator: str) -> None:
    _validator_path(part).write_text(json.dumps({"validator": validator}), "utf-8")


def clear_cache(cache_dir: Path) -> None:
    """Drop every cached file once a sync has applied them."""
    if cache_dir.is_dir():
        for p in cache_dir.iterdir():
            if p.is_file():
                p.unlink(missing_ok=True)
