"""HTTP that behaves: redirects, proxy credentials, offline said at once, one deadline for the whole sync."""

from __future__ import annotations

import base64
import http.server
import time
from dataclasses import replace
from email.message import Message
from pathlib import Path
from typing import Any

import pytest

from pare_desktop.sync import errors
from pare_desktop.sync.client import OFFLINE, SyncClient
from pare_desktop.sync.http import Http, HttpOptions

from .conftest import FAST, Publisher
from .feedkit import records, table_dump
from .servers import Scripted, free_port, serve_file
from .test_faults import feed_handler, unchanged
from .tls import ScriptedTLS, self_signed

Req = http.server.BaseHTTPRequestHandler
RAW = ("Errno", "Error", "Exception", "Traceback", "<")  # exception text that must never reach a user


@pytest.fixture
def v1(publisher: Publisher) -> None:
    publisher.publish(records(40))


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


def sync(directory, make_settings, url: str, **kw: Any):  # type: ignore[no-untyped-def]
    return SyncClient(directory, make_settings(url, **kw)).run()


def redirect(req: Req, location: str, status: int = 302) -> None:
    req.send_response(status)
    req.send_header("Location", location)
    req.send_header("Content-Length", "0")
    req.end_headers()


def clean(message: str) -> bool:
    return not any(word in message for word in RAW)


# --- redirects ------------------------------------------------------------------------------------------
def test_redirects_are_followed_for_the_manifest_and_the_files(directory, publisher, v1, make_settings):  # type: ignore[no-untyped-def]
    def moved(req: Req) -> None:
        if req.path.startswith("/ancien/"):
            redirect(req, req.path.replace("/ancien/", "/nouveau/", 1), 301)  # relative Location
        else:
            req.path = req.path.removeprefix("/nouveau")
            serve_file(req, publisher.feed)

    with Scripted(moved) as srv:
        out = sync(directory, make_settings, srv.url + "/ancien/")
        paths = [p for _, p, _ in srv.requests]
    assert out.status == "updated", out.message
    assert paths[:2] == ["/ancien/manifest.json", "/nouveau/manifest.json"]
    assert any(p.startswith("/nouveau/files/") for p in paths)


def test_a_redirect_loop_is_named_as_such_not_an_unreadable_manifest(directory, publisher, v1, make_settings):  # type: ignore[no-untyped-def]
    before = table_dump(directory.path)
    with Scripted(lambda req: redirect(req, req.path)) as srv:
        t0 = time.monotonic()
        out = sync(directory, make_settings, srv.url)
        assert time.monotonic() - t0 < 3
        assert len(srv.requests) == 6  # the first request and five hops, not retried
    assert isinstance(out.error, errors.RedirectError)
    assert "trop de redirections" in out.message and "manifeste" not in out.message
    unchanged(directory, before)


def test_a_redirect_without_location_is_named(directory, publisher, v1, make_settings):  # type: ignore[no-untyped-def]
    def bare(req: Req) -> None:
        req.send_response(302)
        req.send_header("Content-Length", "0")
        req.end_headers()

    with Scripted(bare) as srv:
        out = sync(directory, make_settings, srv.url)
    assert "redirection (HTTP 302) sans adresse" in out.message


class _Resp:
    def __init__(self, location: str) -> None:
        self.status = 302
        self.headers = Message()
        self.headers["Location"] = location


def test_https_to_http_redirect_is_refused() -> None:
    client = Http(FAST)
    with pytest.raises(errors.RedirectError, match="non sécurisée"):
        client._redirected("https://flux.example/manifest.json", _Resp("http://flux.example/m"), 0)  # type: ignore[arg-type]
    assert client._redirected("https://a.example/x", _Resp("https://b.example/y"), 0) == "https://b.example/y"  # type: ignore[arg-type]
    assert client._redirected("http://a.example/x/m", _Resp("../y"), 0) == "http://a.example/y"  # type: ignore[arg-type]
    with pytest.raises(errors.RedirectError, match="non prise en charge"):
        client._redirected("http://a.example/x", _Resp("file:///etc/passwd"), 0)  # type: ignore[arg-type]


def test_https_feed_with_https_redirects(directory, publisher, v1, make_settings, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    cert, key = self_signed(tmp_path / "tls")
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))

    def moved(req: Req) -> None:
        if req.path.startswith("/ancien/"):
            redirect(req, req.path.replace("/ancien/", "/", 1), 308)
        else:
            serve_file(req, publisher.feed)

    with ScriptedTLS(moved, cert, key) as secure:
        out = sync(directory, make_settings, secure.url + "/ancien/")
    assert out.status == "updated", out.message


def test_https_to_http_redirect_is_refused_on_the_wire(directory, make_settings, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    cert, key = self_signed(tmp_path / "tls")
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the client trusts this test certificate
    with Scripted(lambda req: serve_file(req, tmp_path)) as plain:
        with ScriptedTLS(lambda req: redirect(req, plain.url + req.path), cert, key) as secure:
            out = sync(directory, make_settings, secure.url, token="secret")
            assert len(secure.requests) == 1
        assert plain.requests == []  # never asked, so never handed the token in clear
    assert isinstance(out.error, errors.RedirectError)
    assert "adresse sécurisée (https) vers une adresse non sécurisée" in out.message


def test_an_untrusted_certificate_is_named_and_not_retried(directory, make_settings, tmp_path):  # type: ignore[no-untyped-def]
    cert, key = self_signed(tmp_path / "tls")
    with ScriptedTLS(lambda req: serve_file(req, tmp_path), cert, key) as secure:
        t0 = time.monotonic()
        out = sync(directory, make_settings, secure.url, http=replace(FAST, attempts=5, backoff=1.0))
        assert time.monotonic() - t0 < 2
    assert "certificat du serveur refusé" in out.message and clean(out.message)


def test_the_token_never_follows_a_redirect_to_another_host(directory, publisher, v1, make_settings):  # type: ignore[no-untyped-def]
    with Scripted(lambda req: serve_file(req, publisher.feed)) as mirror:
        with Scripted(lambda req: redirect(req, mirror.url + req.path)) as feed:
            out = sync(directory, make_settings, feed.url, token="secret")
            assert feed.requests[0][2].get("Authorization") == "Bearer secret"
        assert out.status == "updated", out.message
        assert all("Authorization" not in h for _, _, h in mirror.requests)


# --- proxies --------------------------------------------------------------------------------------------
def test_proxy_credentials_are_sent(directory, publisher, v1, make_settings, monkeypatch):  # type: ignore[no-untyped-def]
    def proxy(req: Req) -> None:
        req.path = req.path.removeprefix("http://annuaire.pare.invalid")
        serve_file(req, publisher.feed)

    with Scripted(proxy) as srv:
        monkeypatch.setenv("http_proxy", srv.url.replace("http://", "http://agent:s%C3%A9same@"))
        out = sync(directory, make_settings, "http://annuaire.pare.invalid/")
        assert out.status == "updated", out.message
        expected = "Basic " + base64.b64encode("agent:sésame".encode()).decode()
        assert {h.get("Proxy-Authorization") for _, _, h in srv.requests} == {expected}


def test_https_through_a_proxy_sends_credentials_on_connect(directory, make_settings, monkeypatch):  # type: ignore[no-untyped-def]
    def refuse(req: Req) -> None:
        req.send_response(407)
        req.send_header("Content-Length", "0")
        req.end_headers()

    with Scripted(refuse) as srv:
        monkeypatch.setenv("https_proxy", srv.url.replace("http://", "http://agent:mot@"))
        out = sync(directory, make_settings, "https://annuaire.pare.invalid/")
        method, target, headers = srv.requests[0]
    assert (method, target) == ("CONNECT", "annuaire.pare.invalid:443")
    assert headers["Proxy-Authorization"] == "Basic " + base64.b64encode(b"agent:mot").decode()
    assert "proxy demande une identification (HTTP 407)" in out.message and clean(out.message)


# --- offline --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "where", ["refused", "unresolvable"], ids=["connexion-refusee", "adresse-introuvable"]
)
def test_offline_is_said_at_once_calmly(where, directory, make_settings, v1):  # type: ignore[no-untyped-def]
    url = f"http://127.0.0.1:{free_port()}/" if where == "refused" else "http://annuaire.pare.invalid/"
    slow = replace(HttpOptions(), socket_timeout=20.0)  # the real limits: no retries for an offline machine
    t0 = time.monotonic()
    out = sync(directory, make_settings, url, http=slow)
    assert time.monotonic() - t0 < 3
    assert out.status == OFFLINE and isinstance(out.error, errors.OfflineError)
    assert out.message.startswith("hors ligne : le serveur de mises à jour est injoignable")
    assert "échec" not in out.message and clean(out.message)


# --- one deadline for the whole sync ---------------------------------------------------------------------
def test_a_server_that_never_sends_headers_is_bounded(directory, publisher, v1, make_settings):  # type: ignore[no-untyped-def]
    before = table_dump(directory.path)

    def silent(req: Req, n: int) -> bool:
        time.sleep(4)
        return True

    opts = replace(FAST, attempts=5, deadline=1.0, socket_timeout=30.0)
    with Scripted(feed_handler(publisher.feed, {"/manifest": silent})) as srv:
        t0 = time.monotonic()
        out = sync(directory, make_settings, srv.url, http=opts)
        assert time.monotonic() - t0 < 2.5
        assert len(srv.requests) == 1  # the deadline is the sync's: never retried
    assert isinstance(out.error, errors.DeadlineError) and "délai dépassé" in out.message
    unchanged(directory, before)


def test_a_dripping_download_is_not_retried_at_full_length(directory, publisher, v1, make_settings):  # type: ignore[no-untyped-def]
    def drip(req: Req, n: int) -> bool:
        serve_file(req, publisher.feed, drip=0.02)
        return True

    opts = replace(FAST, attempts=5, deadline=1.5)
    with Scripted(feed_handler(publisher.feed, {"/files/": drip})) as srv:
        t0 = time.monotonic()
        out = sync(directory, make_settings, srv.url, http=opts)
        assert time.monotonic() - t0 < 3.5
        assert len([p for _, p, _ in srv.requests if p.startswith("/files/")]) == 1
    assert isinstance(out.error, errors.DeadlineError) and "reprendra" in out.message
    assert list((directory.path.parent / "sync-cache").glob("*.part"))  # the next sync resumes


def test_the_deadline_covers_every_request_together(directory, publisher, v1, make_settings):  # type: ignore[no-untyped-def]
    def slow(req: Req, n: int) -> bool:
        time.sleep(0.7)  # each request alone is well within the deadline
        return False

    opts = replace(FAST, deadline=1.0)
    with Scripted(feed_handler(publisher.feed, {"/": slow})) as srv:
        t0 = time.monotonic()
        out = sync(directory, make_settings, srv.url, http=opts)
        assert time.monotonic() - t0 < 2.5
    assert isinstance(out.error, errors.DeadlineError), out.message


def test_retry_after_beyond_the_deadline_gives_up_at_once(directory, publisher, v1, make_settings):  # type: ignore[no-untyped-def]
    def busy(req: Req, n: int) -> bool:
        req.send_response(503)
        req.send_header("Retry-After", "4")
        req.send_header("Content-Length", "0")
        req.end_headers()
        return True

    opts = replace(FAST, deadline=2.0, max_retry_after=600.0)
    with Scripted(feed_handler(publisher.feed, {"/manifest": busy})) as srv:
        t0 = time.monotonic()
        out = sync(directory, make_settings, srv.url, http=opts)
        assert time.monotonic() - t0 < 1.5
    assert "réessayer dans 4 s" in out.message


def test_shipped_feed_is_the_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, directory) -> None:  # type: ignore[no-untyped-def]
    from pare_desktop.sync import settings as s

    shipped = tmp_path / "feed.json"
    shipped.write_text('{"feed_url": "https://flux.example/pare/", "public_key": "keys/pare-feed.pub"}')
    monkeypatch.setattr(s, "resource_path", lambda *parts: shipped)
    loaded = s.load_settings(directory, tmp_path)
    assert loaded.feed_url == "https://flux.example/pare/"
    assert loaded.key_paths[0].name == "pare-feed.pub" and loaded.key_paths[0].is_file()
    s.save_settings(directory, feed_url="https://autre.example/", deadline_s=42)
    loaded = s.load_settings(directory, tmp_path)
    assert loaded.feed_url == "https://autre.example/" and loaded.http.deadline == 42


def test_the_real_shipped_feed_file_is_valid() -> None:
    from pare_desktop.sync.settings import default_key_path, shipped_feed

    feed = shipped_feed()
    assert feed.feed_url == "" and feed.key_path == default_key_path()
