"""HTTP under one deadline for the whole sync: proxies, redirects, retries with backoff, Retry-After."""

from __future__ import annotations

import base64
import email.utils
import errno
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
from urllib.parse import unquote, urljoin, urlsplit

from pare_desktop.core.progress import Cancelled

from .errors import DeadlineError, HTTPStatusError, NetworkError, OfflineError, RedirectError

log = logging.getLogger("pare.sync.http")
T = TypeVar("T")
_LOOPBACK = ("localhost", "127.0.0.1", "::1")
_REDIRECTS = (301, 302, 303, 307, 308)
_NO_ROUTE = {errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN, errno.EHOSTDOWN, errno.EADDRNOTAVAIL}
_WATCH_TICK = 0.1  # how often a blocked read checks the deadline and the cancel button


@dataclass(frozen=True, slots=True)
class HttpOptions:
    """Limits of one sync; tests shrink them."""

    socket_timeout: float = 20.0  # one connect or one read
    deadline: float = 180.0  # the whole sync: every request, retry and pause together
    attempts: int = 5
    backoff: float = 1.0  # first pause between attempts, doubled each time
    max_backoff: float = 60.0
    max_retry_after: float = 600.0  # a longer Retry-After ends the sync instead of waiting
    max_redirects: int = 5
    user_agent: str = "PARE-Desktop-sync"


class Retryable(NetworkError):
    """A failure worth trying again (connection cut, 5xx, 429), maybe after a server-given pause."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def _too_slow() -> DeadlineError:
    return DeadlineError(
        "le serveur répond trop lentement : délai dépassé, téléchargement interrompu "
        "(il reprendra où il s'est arrêté à la prochaine synchronisation)"
    )


class Response:
    """A response whose body is read under the sync's deadline."""

    def __init__(self, resp: http.client.HTTPResponse, client: Http) -> None:
        self._resp = resp
        self._http = client
        self.status = resp.status
        self.headers = resp.headers

    def chunks(self, size: int = 65536) -> Iterator[bytes]:
        """Body chunks; the deadline is checked between reads (and a watchdog cuts a stuck read)."""
        while True:
            if self._http.cancelled():
                raise Cancelled()
            try:
                data = self._resp.read1(size)
            except (OSError, http.client.HTTPException) as exc:
                self._check()
                log.info("connection cut during a download: %r", exc)
                raise Retryable("connexion interrompue pendant le téléchargement") from exc
            self._check()
            if not data:
                return
            yield data

    def _check(self) -> None:
        if self._http.cancelled():
            raise Cancelled()
        if self._http.remaining() <= 0:
            raise _too_slow()


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


def _origin(url: str) -> tuple[str, str, int | None]:
    p = urlsplit(url)
    return p.scheme, (p.hostname or "").lower(), p.port or (443 if p.scheme == "https" else 80)


def _basic(user: str, password: str) -> str:
    raw = f"{unquote(user)}:{unquote(password)}".encode()
    return "Basic " + base64.b64encode(raw).decode("ascii")


def _offline_reason(exc: BaseException) -> str | None:
    """The French reason when a connection failed because the machine is offline, else None."""
    if isinstance(exc, socket.gaierror):
        return "adresse du serveur introuvable"
    if isinstance(exc, ConnectionRefusedError):
        return "connexion refusée"
    if isinstance(exc, OSError) and exc.errno in _NO_ROUTE:
        return "réseau inaccessible"
    return None


class _Watchdog:
    """Cuts the socket of a blocked request when the deadline passes or the user cancels."""

    def __init__(self, client: Http) -> None:
        self._http = client
        self._conn: http.client.HTTPConnection | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="pare-http-watchdog", daemon=True)

    def watch(self, conn: http.client.HTTPConnection) -> None:
        self._conn = conn
        if not self._thread.is_alive():
            self._thread.start()

    def _watch(self) -> None:
        while not self._stop.wait(_WATCH_TICK):
            if self._http.remaining() <= 0 or self._http.cancelled():
                if self._conn is not None:
                    _cut(self._conn)
                return

    def stop(self) -> None:
        self._stop.set()


class Http:
    """One sync's HTTP client: bearer token for the feed only, system proxies, bounded in count and time.

    The deadline starts when the client is made: every request, retry and pause of the sync shares it.
    """

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
        self.cancelled = cancelled  # the caller may rebind it (one sync crosses several tasks)
        self._proxies = dict(urllib.request.getproxies() if proxies is None else proxies)
        self._sleep = sleep
        self._deadline_at = time.monotonic() + self.options.deadline

    def remaining(self) -> float:
        """Seconds left before the sync's deadline."""
        return self._deadline_at - time.monotonic()

    def _connection(self, url: str) -> tuple[http.client.HTTPConnection, str, dict[str, str]]:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise NetworkError(f"adresse non prise en charge : « {url[:200]} » (http ou https attendu)")
        host, port = parts.hostname, parts.port
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        timeout = max(0.1, min(self.options.socket_timeout, self.remaining()))
        proxy = (
            None
            if host in _LOOPBACK or urllib.request.proxy_bypass(host)
            else self._proxies.get(parts.scheme)
        )
        extra: dict[str, str] = {}
        if proxy:
            p = urlsplit(proxy if "://" in proxy else "http://" + proxy)
            auth = {"Proxy-Authorization": _basic(p.username, p.password or "")} if p.username else {}
            if parts.scheme == "https":
                conn: http.client.HTTPConnection = http.client.HTTPSConnection(
                    p.hostname or "", p.port or 3128, timeout=timeout, context=ssl.create_default_context()
                )
                conn.set_tunnel(host, port, headers=auth)
            else:
                conn = http.client.HTTPConnection(p.hostname or "", p.port or 3128, timeout=timeout)
                target = url
                extra = auth
        elif parts.scheme == "https":
            conn = http.client.HTTPSConnection(
                host, port, timeout=timeout, context=ssl.create_default_context()
            )
        else:
            conn = http.client.HTTPConnection(host, port, timeout=timeout)
        return conn, target, extra

    def _send(
        self, conn: http.client.HTTPConnection, method: str, target: str, body: bytes | None,
        headers: Mapping[str, str],
    ) -> http.client.HTTPResponse:
        try:
            conn.request(method, target, body=body, headers=dict(headers))
            return conn.getresponse()
        except (OSError, http.client.HTTPException) as exc:
            if self.cancelled():
                raise Cancelled() from exc
            if self.remaining() <= 0:
                raise DeadlineError("le serveur ne répond pas : délai dépassé") from exc
            log.info("request failed: %r", exc)
            reason = _offline_reason(exc)
            if reason is not None:
                raise OfflineError(
                    f"hors ligne : le serveur de mises à jour est injoignable ({reason}). "
                    "L'annuaire reste utilisable ; synchronisez à nouveau une fois connecté"
                ) from exc
            if isinstance(exc, ssl.SSLCertVerificationError):
                raise NetworkError(
                    "certificat du serveur refusé : connexion sécurisée impossible (vérifiez l'adresse "
                    "du flux et la date de l'ordinateur)"
                ) from exc
            if isinstance(exc, ssl.SSLError):
                raise NetworkError("connexion sécurisée impossible avec le serveur") from exc
            if "407" in str(exc):  # CONNECT through a proxy that wants credentials
                raise HTTPStatusError(
                    "le proxy demande une identification (HTTP 407) : vérifiez l'identifiant et le mot "
                    "de passe du proxy dans les réglages du système",
                    407,
                ) from exc
            raise Retryable("le serveur ne répond pas (connexion interrompue)") from exc

    @contextmanager
    def request(
        self, method: str, url: str, headers: Mapping[str, str] | None = None, body: bytes | None = None
    ) -> Iterator[Response]:
        """One attempt (redirects followed); Retryable for what is worth retrying, else a NetworkError."""
        if self.remaining() <= 0:
            raise DeadlineError("délai dépassé pour cette synchronisation : réessayez plus tard")
        feed_origin = _origin(url)
        watchdog = _Watchdog(self)
        conn: http.client.HTTPConnection | None = None
        try:
            for hop in range(self.options.max_redirects + 1):
                conn, target, extra = self._connection(url)
                all_headers = {"User-Agent": self.options.user_agent, "Accept-Encoding": "identity", **extra}
                if self._token and _origin(url) == feed_origin:  # never hand the token to another host
                    all_headers["Authorization"] = f"Bearer {self._token}"
                all_headers.update(headers or {})
                watchdog.watch(conn)
                resp = self._send(conn, method, target, body, all_headers)
                if resp.status not in _REDIRECTS:
                    break
                url = self._redirected(url, resp, hop)
                if resp.status == 303:
                    method, body = ("HEAD" if method == "HEAD" else "GET"), None
                conn.close()
            else:  # pragma: no cover - the loop always breaks or raises
                raise AssertionError("unreachable")
            _check_status(resp, url)
            yield Response(resp, self)
        finally:
            watchdog.stop()
            if conn is not None:
                conn.close()

    def _redirected(self, url: str, resp: http.client.HTTPResponse, hop: int) -> str:
        location = resp.headers.get("Location", "").strip()
        if not location:
            raise HTTPStatusError(
                f"redirection (HTTP {resp.status}) sans adresse de destination : refusée", resp.status
            )
        target = urljoin(url, location)
        if urlsplit(target).scheme not in ("http", "https"):
            raise RedirectError(f"redirection vers une adresse non prise en charge : « {target[:200]} »")
        if urlsplit(url).scheme == "https" and urlsplit(target).scheme != "https":
            raise RedirectError(
                "redirection refusée : le serveur renvoie d'une adresse sécurisée (https) vers une "
                f"adresse non sécurisée (« {target[:200]} »)"
            )
        if hop >= self.options.max_redirects:
            raise RedirectError(
                f"trop de redirections (plus de {self.options.max_redirects}) : vérifiez l'adresse du flux"
            )
        log.info("redirect %d: %s -> %s", resp.status, url, target)
        return target

    def with_retries(self, attempt: Callable[[], T]) -> T:
        """Run `attempt` up to options.attempts times, backing off and honouring Retry-After.

        A deadline is never retried: the deadline is the whole sync's, so nothing is left to retry in.
        """
        pause = self.options.backoff
        for n in range(1, self.options.attempts + 1):
            if self.cancelled():
                raise Cancelled()
            try:
                return attempt()
            except Retryable as exc:
                error: NetworkError = exc
                wait = exc.retry_after
                if wait is not None and (wait > self.options.max_retry_after or wait > self.remaining()):
                    raise NetworkError(
                        f"{exc.message} ; le serveur demande de réessayer dans {int(wait)} s : "
                        "réessayez plus tard"
                    ) from exc
            if n == self.options.attempts:
                raise error
            delay = wait if wait is not None else pause * (0.5 + random.random() / 2)
            if delay >= self.remaining():
                raise error
            log.info("attempt %d failed (%s); next in %.1f s", n, error.message, delay)
            self._pause(delay)
            pause = min(pause * 2, self.options.max_backoff)
        raise AssertionError("unreachable")

    def _pause(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            if self.cancelled():
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


def _check_status(resp: http.client.HTTPResponse, url: str) -> None:
    """Raise the French error for a final status that is not a success."""
    status = resp.status
    if status >= 500 or status in (408, 429):
        wait = retry_after(resp.headers.get("Retry-After"))
        raise Retryable(f"le serveur est indisponible (erreur HTTP {status})", wait)
    if status in (401, 403):
        raise HTTPStatusError(
            f"accès refusé par le serveur (HTTP {status}) : vérifiez le jeton d'accès", status
        )
    if status == 407:
        raise HTTPStatusError(
            "le proxy demande une identification (HTTP 407) : vérifiez l'identifiant et le mot de passe "
            "du proxy dans les réglages du système",
            407,
        )
    if status == 404:
        raise HTTPStatusError(f"fichier introuvable sur le serveur : {url[:200]} (HTTP 404)", 404)
    if status >= 400:
        raise HTTPStatusError(f"le serveur a refusé la requête (HTTP {status})", status)
    if 300 <= status < 400:
        raise HTTPStatusError(f"réponse inattendue du serveur (HTTP {status})", status)


def _cut(conn: http.client.HTTPConnection) -> None:
    """Watchdog: the deadline passed (or the user cancelled) while blocked in a read; shut the socket."""
    sock = conn.sock
    if sock is not None:
        with suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
