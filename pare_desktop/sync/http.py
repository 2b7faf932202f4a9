"""HTTP requests with an overall deadline, system proxies, retries with backoff and Retry-After."""

from __future__ import annotations

import email.utils
import http.client
import logging
import random
import socket
import ssl
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar
from urllib.parse import urlsplit

from pare_desktop.core.progress import Cancelled

from .errors import DeadlineError, HTTPStatusError, NetworkError

log = logging.getLogger("pare.sync.http")
T = TypeVar("T")
_LOOPBACK = ("localhost", "127.0.0.1", "::1")


@dataclass(frozen=True, slots=True)
class HttpOptions:
    """Limits of every request; tests shrink them."""

    socket_timeout: float = 20.0  # one connect or one read
    deadline: float = 300.0  # one whole request, headers and body
    attempts: int = 5
    backoff: float = 1.0  # first pause between attempts, doubled each time
    max_backoff: float = 60.0
    max_retry_after: float = 600.0  # a longer Retry-After ends the sync instead of waiting
    user_agent: str = "PARE-Desktop-sync"


class Retryable(NetworkError):
    """A failure worth trying again (connection cut, 5xx, 429), maybe after a server-given pause."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Response:
    """A response whose body is read under the request's deadline."""

    def __init__(
        self, resp: http.client.HTTPResponse, deadline: float, cancelled: Callable[[], bool]
    ) -> None:
        self._resp = resp
        self._deadline = deadline
        self._cancelled = cancelled
        self.status = resp.status
        self.headers = resp.headers

    def chunks(self, size: int = 65536) -> Iterator[bytes]:
        """Body chunks; the deadline is checked between reads (and a watchdog cuts a stuck read)."""
        while True:
            if self._cancelled():
                raise Cancelled()
            try:
                data = self._resp.read1(size)
            except (OSError, http.client.HTTPException) as exc:
                self._check_deadline()
                raise Retryable(f"connexion interrompue pendant le téléchargement ({exc})") from exc
            self._check_deadline()
            if not data:
                return
            yield data

    def _check_deadline(self) -> None:
        if time.monotonic() >= self._deadline:
            raise DeadlineError("le serveur répond trop lentement : délai dépassé, téléchargement interrompu")


def retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class Http:
    """One sync's HTTP client: bearer token for the feed, system proxies, bounded in count and time."""

    def __init__(
        self,
        options: HttpOptions | None = None,
        *,
        token: str | None = None,
        cancelled: Callable[[], bool] = lambda: False,
        proxies: Mapping[str, str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.options = options or HttpOptions()
        self._token = token
        self._cancelled = cancelled
        self._proxies = dict(urllib.request.getproxies() if proxies is None else proxies)
        self._sleep = sleep

    def _connection(self, url: str) -> tuple[http.client.HTTPConnection, str]:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise NetworkError(f"adresse non prise en charge : « {url} » (http ou https attendu)")
        host, port = parts.hostname, parts.port
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        timeout = self.options.socket_timeout
        proxy = (
            None
            if host in _LOOPBACK or urllib.request.proxy_bypass(host)
            else self._proxies.get(parts.scheme)
        )
        if proxy:
            p = urlsplit(proxy if "://" in proxy else "http://" + proxy)
            if parts.scheme == "https":
                conn: http.client.HTTPConnection = http.client.HTTPSConnection(
                    p.hostname or "", p.port or 3128, timeout=timeout, context=ssl.create_default_context()
                )
                conn.set_tunnel(host, port)
            else:
                conn = http.client.HTTPConnection(p.hostname or "", p.port or 3128, timeout=timeout)
                target = url
        elif parts.scheme == "https":
            conn = http.client.HTTPSConnection(
                host, port, timeout=timeout, context=ssl.create_default_context()
            )
        else:
            conn = http.client.HTTPConnection(host, port, timeout=timeout)
        return conn, target

    @contextmanager
    def request(
        self, method: str, url: str, headers: Mapping[str, str] | None = None, body: bytes | None = None
    ) -> Iterator[Response]:
        """One attempt; raises Retryable for what is worth retrying, HTTPStatusError for the rest."""
        deadline = time.monotonic() + self.options.deadline
        conn, target = self._connection(url)
        all_headers = {"User-Agent": self.options.user_agent, "Accept-Encoding": "identity"}
        if self._token:
            all_headers["Authorization"] = f"Bearer {self._token}"
        all_headers.update(headers or {})
        watchdog = threading.Timer(self.options.deadline, _cut, (conn,))
        watchdog.daemon = True
        watchdog.start()
        try:
            try:
                conn.request(method, target, body=body, headers=all_headers)
                resp = conn.getresponse()
            except (OSError, http.client.HTTPException) as exc:
                if time.monotonic() >= deadline:
                    raise DeadlineError("le serveur ne répond pas : délai dépassé") from exc
                raise Retryable(f"serveur injoignable ({exc.__class__.__name__}: {exc})") from exc
            if resp.status >= 500 or resp.status in (408, 429):
                raise Retryable(
                    f"le serveur est indisponible (erreur HTTP {resp.status})",
                    retry_after(resp.headers.get("Retry-After")),
                )
            if resp.status in (401, 403):
                raise HTTPStatusError(
                    f"accès refusé par le serveur (HTTP {resp.status}) : vérifiez le jeton d'accès",
                    resp.status,
                )
            if resp.status == 404:
                raise HTTPStatusError(f"fichier introuvable sur le serveur : {url} (HTTP 404)", 404)
            if resp.status >= 400:
                raise HTTPStatusError(f"le serveur a refusé la requête (HTTP {resp.status})", resp.status)
            yield Response(resp, deadline, self._cancelled)
        finally:
            watchdog.cancel()
            conn.close()

    def with_retries(self, attempt: Callable[[], T]) -> T:
        """Run `attempt` up to options.attempts times, backing off and honouring Retry-After."""
        pause = self.options.backoff
        for n in range(1, self.options.attempts + 1):
            if self._cancelled():
                raise Cancelled()
            try:
                return attempt()
            except Retryable as exc:
                error: NetworkError = exc
                wait = exc.retry_after
                if wait is not None and wait > self.options.max_retry_after:
                    raise NetworkError(
                        f"{exc.message} ; le serveur demande de réessayer dans {int(wait)} s : "
                        "réessayez plus tard"
                    ) from exc
            except DeadlineError as exc:
                error, wait = exc, None
            if n == self.options.attempts:
                raise error
            delay = wait if wait is not None else pause * (0.5 + random.random() / 2)
            log.info("attempt %d failed (%s); next in %.1f s", n, error.message, delay)
            self._pause(delay)
            pause = min(pause * 2, self.options.max_backoff)
        raise AssertionError("unreachable")

    def _pause(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            if self._cancelled():
                raise Cancelled()
            self._sleep(min(left, 0.2))

    def get_small(self, url: str, max_bytes: int) -> bytes:
        """A whole small body (the manifest), refused beyond max_bytes."""
        from .errors import TooLargeError

        def attempt() -> bytes:
            with self.request("GET", url) as resp:
                declared = resp.headers.get("Content-Length")
                if declared and declared.isdigit() and int(declared) > max_bytes:
                    raise TooLargeError(f"réponse trop grosse ({int(declared)} octets) : refusée")
                out = bytearray()
                for chunk in resp.chunks():
                    out += chunk
                    if len(out) > max_bytes:
                        raise TooLargeError(f"réponse trop grosse (plus de {max_bytes} octets) : refusée")
                if declared and declared.isdigit() and len(out) != int(declared):
                    raise Retryable("réponse tronquée par le réseau")
                return bytes(out)

        return self.with_retries(attempt)

    def probe(self, url: str) -> bool:
        """A HEAD of the feed's manifest: is the server reachable now? One short attempt."""
        try:
            with self.request("HEAD", url):
                return True
        except NetworkError:
            return False

    def post_json(self, url: str, body: bytes) -> None:
        """POST a JSON body (error reports), with the usual retries."""

        def attempt() -> None:
            with self.request("POST", url, {"Content-Type": "application/json"}, body) as resp:
                for _ in resp.chunks():
                    pass

        self.with_retries(attempt)


def _cut(conn: http.client.HTTPConnection) -> None:
    """Watchdog: the deadline passed while blocked in a read; shutting the socket down ends it."""
    sock = conn.sock
    if sock is not None:
        with suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
