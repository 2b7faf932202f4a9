"""Every fault of RELIABILITY.md against scripted loopback servers: refused or resumed, never half-applied."""

from __future__ import annotations

import base64
import http.server
import json
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pare_desktop.core import db
from pare_desktop.core.directory import Directory
from pare_desktop.sync import errors
from pare_desktop.sync.client import SyncClient
from pare_desktop.sync.feed import MANIFEST_NAME

from .conftest import FAST, Publisher
from .feedkit import local_publisher, published, records, table_dump
from .servers import Scripted, serve_file

Req = http.server.BaseHTTPRequestHandler


def feed_handler(
    root: Path, faults: dict[str, Callable[[Req, int], bool]] | None = None
) -> Callable[[Req], None]:
    """Serve the feed; a fault for a path prefix gets (request, nth request to it) and may answer itself."""
    counts: dict[str, int] = {}
    faults = faults or {}

    def handle(req: Req) -> None:
        for prefix, fault in faults.items():
            if req.path.startswith(prefix):
                counts[prefix] = counts.get(prefix, 0) + 1
                if fault(req, counts[prefix]):
                    return
        serve_file(req, root)

    return handle


def unchanged(directory: Directory, before: dict[str, list[tuple[object, ...]]]) -> None:
    assert table_dump(directory.path) == before
    assert db.integrity_ok(directory.path)


def sync(directory: Directory, make_settings, url: str, **kw: object):  # type: ignore[no-untyped-def]
    return SyncClient(directory, make_settings(url, **kw)).run()


@pytest.fixture
def v1(publisher: Publisher):  # type: ignore[no-untyped-def]
    recs = records(60)
    publisher.publish(recs)
    return recs


def test_cut_download_leaves_db_unchanged_and_next_sync_resumes(directory, publisher, v1, make_settings):  # type: ignore[no-untyped-def]
    before = table_dump(directory.path)

    def cut(req: Req, n: int) -> bool:
        if n == 1:
            serve_file(req, publisher.feed, cut_at=700)
            return True
        return False

    with Scripted(feed_handler(publisher.feed, {"/files/": cut})) as srv:
        out = sync(directory, make_settings, srv.url, http=replace(FAST, attempts=1))
        assert out.status == "failed" and isinstance(out.error, errors.NetworkError)
        unchanged(directory, before)
        assert list((directory.path.parent / "sync-cache").glob("*.part"))
        out = sync(directory, make_settings, srv.url)
        assert out.status == "updated", out.message
        resumed = [h for m, p, h in srv.requests if p.startswith("/files/")][-1]
        assert resumed["Range"] == "bytes=700-" and resumed["If-Range"] == '"v1"'
    assert local_publisher(directory.engine) == published(v1)
    snap = next((publisher.feed / "files").glob("*.jsonl.gz"))
    assert out.bytes_downloaded == snap.stat().st_size - 700  # only the missing bytes


def test_file_changed_between_attempts_restarts_from_zero(directory, publisher, v1, make_settings):  # type: ignore[no-untyped-def]
    snap = next((publisher.feed / "files").glob("*.jsonl.gz"))
    real = snap.read_bytes()
    other = bytes(reversed(real))  # same length, other bytes: what a mirror mid-update could send

    def changing(req: Req, n: int) -> bool:
        if n == 1:
            serve_file(req, publisher.feed, etag='"old"', body=other, cut_at=500)
        else:
            serve_file(req, publisher.feed, etag='"new"')  # If-Range "old" fails: full 200 response
        return True

    with Scripted(feed_handler(publisher.feed, {"/files/": changing})) as srv:
        out = sync(directory, make_settings, srv.url)
    assert out.status == "updated", out.message
    assert local_publisher(directory.engine) == published(v1)


def test_server_ignoring_if_range_never_mixes_bytes(directory, publisher, v1, make_settings):  # type: ignore[no-untyped-def]
    snap = next((publisher.feed / "files").glob("*.jsonl.gz"))
    other = bytes(reversed(snap.read_bytes()))

    def liar(req: Req, n: int) -> bool:
        if n == 1:
            serve_file(req, publisher.feed, body=other, cut_at=500)
            return True
        return False  # then a 206 continuation of the real file: mixed bytes, caught by sha256

    with Scripted(feed_handler(publisher.feed, {"/files/": liar})) as srv:
        out = sync(directory, make_settings, srv.url)
        assert out.status == "updated", out.message
        ranges = [h.get("Range") for m, p, h in srv.requests if p.startswith("/files/")]
    assert ranges == [None, "bytes=500-", None]  # resumed, refused by the hash, restarted from zero
    assert local_publisher(directory.engine) == published(v1)


def test_stalled_server_hits_the_deadline(directory, publisher, v1, make_settings):  # type: ignore[no-untyped-def]
    before = table_dump(directory.path)

    def stall(req: Req, n: int) -> bool:
        time.sleep(6)
        return True

    with Scripted(feed_handler(publisher.feed, {"/manifest": stall})) as srv:
        t0 = time.monotonic()
        out = sync(
            directory,
            make_settings,
            srv.url,
            http=replace(FAST, attempts=1, deadline=1.0, socket_timeout=5.0),
        )
        assert time.monotonic() - t0 < 3
    assert isinstance(out.error, errors.DeadlineError)
    assert "délai dépassé" in out.message
    unchanged(directory, before)


def test_dripping_server_hits_the_overall_deadline(directory, publisher, v1, make_settings):  # type: ignore[no-untyped-def]
    before = table_dump(directory.path)

    def drip(req: Req, n: int) -> bool:
        serve_file(req, publisher.feed, drip=0.05)  # far below any per-read timeout
        return True

    with Scripted(feed_handler(publisher.feed, {"/files/": drip})) as srv:
        t0 = time.monotonic()
        out = sync(directory, make_settings, srv.url, http=replace(FAST, attempts=2, deadline=1.0))
        assert time.monotonic() - t0 < 5
    assert isinstance(out.error, errors.DeadlineError), out.message
    assert "trop lentement" in out.message
    unchanged(directory, before)


def test_503_with_retry_after_is_honoured(directory, publisher, v1, make_settings):  # type: ignore[no-untyped-def]
    def busy(req: Req, n: int) -> bool:
        if n <= 2:
            req.send_response(503)
            req.send_header("Retry-After", "1")
            req.send_header("Content-Length", "0")
            req.end_headers()
            return True
        return False

    with Scripted(feed_handler(publisher.feed, {"/manifest": busy})) as srv:
        t0 = time.monotonic()
        out = sync(directory, make_settings, srv.url, http=replace(FAST, attempts=4))
        elapsed = time.monotonic() - t0
    assert out.status == "updated", out.message
    assert elapsed >= 2.0


def test_always_503_is_bounded_and_long_retry_after_gives_up(directory, publisher, v1, make_settings):  # type: ignore[no-untyped-def]
    before = table_dump(directory.path)

    def down(req: Req, n: int) -> bool:
        req.send_response(503)
        req.send_header("Retry-After", "3600" if n > 2 else "0")
        req.send_header("Content-Length", "0")
        req.end_headers()
        return True

    with Scripted(feed_handler(publisher.feed, {"/manifest": down})) as srv:
        t0 = time.monotonic()
        out = sync(directory, make_settings, srv.url, http=replace(FAST, attempts=10))
        assert time.monotonic() - t0 < 3
        assert len(srv.requests) == 3
    assert "réessayer dans 3600 s" in out.message
    unchanged(directory, before)


def test_bad_signature_is_refused(directory, publisher, v1, make_settings):  # type: ignore[no-untyped-def]
    before = table_dump(directory.path)
    doc = json.loads((publisher.feed / MANIFEST_NAME).read_bytes())
    signed = json.loads(base64.b64decode(doc["signed"]))
    signed["version"] = 99
    doc["signed"] = base64.b64encode(json.dumps(signed).encode()).decode()
    forged = json.dumps(doc).encode()

    def forge(req: Req, n: int) -> bool:
        serve_file(req, publisher.feed, body=forged)
        return True

    with Scripted(feed_handler(publisher.feed, {"/manifest": forge})) as srv:
        out = sync(directory, make_settings, srv.url)
    assert isinstance(out.error, errors.SignatureError)
    assert "signature invalide : le manifeste n'a pas été signé par la clé PARÉ attendue" in out.message
    unchanged(directory, before)


def test_unknown_key_is_refused(directory, publisher, v1, make_settings, other_keypair):  # type: ignore[no-untyped-def]
    before = table_dump(directory.path)
    with Scripted(feed_handler(publisher.feed)) as srv:
        out = sync(directory, make_settings, srv.url, key_paths=(other_keypair[1],))
    assert isinstance(out.error, errors.UnknownKeyError)
    unchanged(directory, before)


def test_not_a_manifest_is_refused(directory, publisher, v1, make_settings):  # type: ignore[no-untyped-def]
    def junk(req: Req, n: int) -> bool:
        serve_file(req, publisher.feed, body=b"<html>captive portal</html>")
        return True

    with Scripted(feed_handler(publisher.feed, {"/manifest": junk})) as srv:
        out = sync(directory, make_settings, srv.url)
    assert isinstance(out.error, errors.FeedFormatError)


def test_oversized_manifest_is_refused(directory, publisher, v1, make_settings):  # type: ignore[no-untyped-def]
    def huge(req: Req, n: int) -> bool:
        serve_file(req, publisher.feed, body=b" " * 1_500_000)
        return True

    with Scripted(feed_handler(publisher.feed, {"/manifest": huge})) as srv:
        out = sync(directory, make_settings, srv.url)
    assert isinstance(out.error, errors.TooLargeError)


@pytest.mark.parametrize("kind", ["hash", "longer", "oversized-cap"])
def test_hash_length_and_size_mismatch(kind, directory, publisher, v1, make_settings):  # type: ignore[no-untyped-def]
    before = table_dump(directory.path)
    snap = next((publisher.feed / "files").glob("*.jsonl.gz")).read_bytes()
    body = {"hash": bytes(reversed(snap)), "longer": snap + b"0" * 5000, "oversized-cap": snap}[kind]

    def bad(req: Req, n: int) -> bool:
        serve_file(req, publisher.feed, body=body)
        return True

    kw = {"max_file_bytes": 100} if kind == "oversized-cap" else {}
    with Scripted(feed_handler(publisher.feed, {"/files/": bad})) as srv:
        out = sync(directory, make_settings, srv.url, **kw)
    expected = errors.IntegrityError if kind == "hash" else errors.TooLargeError
    assert isinstance(out.error, expected), out.message
    unchanged(directory, before)


def test_rollback_refused_same_version_up_to_date(directory, publisher, v1, make_settings):  # type: ignore[no-untyped-def]
    old_manifest = (publisher.feed / MANIFEST_NAME).read_bytes()
    publisher.publish(v1[:50])
    with Scripted(feed_handler(publisher.feed)) as srv:
        assert sync(directory, make_settings, srv.url).status == "updated"
        assert sync(directory, make_settings, srv.url).status == "up_to_date"
    before = table_dump(directory.path)

    def replay(req: Req, n: int) -> bool:
        serve_file(req, publisher.feed, body=old_manifest)
        return True

    with Scripted(feed_handler(publisher.feed, {"/manifest": replay})) as srv:
        out = sync(directory, make_settings, srv.url)
    assert isinstance(out.error, errors.RollbackError)
    assert "version 1 plus ancienne que la version 2 déjà installée : refusée" in out.message
    unchanged(directory, before)


def test_expired_manifest_refused_old_data_usable(directory, publisher, v1, make_settings):  # type: ignore[no-untyped-def]
    with Scripted(feed_handler(publisher.feed)) as srv:
        assert sync(directory, make_settings, srv.url).status == "updated"
    publisher.publish(v1[:10], now=datetime.now(UTC) - timedelta(days=40), expires_days=30)
    before = table_dump(directory.path)
    with Scripted(feed_handler(publisher.feed)) as srv:
        out = sync(directory, make_settings, srv.url)
    assert isinstance(out.error, errors.ExpiredError)
    assert "a expiré" in out.message and "restent utilisables" in out.message
    unchanged(directory, before)
    assert directory.dataset_info().version == 1
    assert local_publisher(directory.engine) == published(v1)


def test_wrong_token_is_a_clear_refusal(directory, publisher, v1, make_settings):  # type: ignore[no-untyped-def]
    def auth(req: Req, n: int) -> bool:
        if req.headers.get("Authorization") != "Bearer bon":
            req.send_response(401)
            req.send_header("Content-Length", "0")
            req.end_headers()
            return True
        return False

    with Scripted(feed_handler(publisher.feed, {"/": auth})) as srv:
        out = sync(directory, make_settings, srv.url, token="mauvais")
        assert "jeton" in out.message and len(srv.requests) == 1  # not retried
        assert sync(directory, make_settings, srv.url, token="bon").status == "updated"


def test_system_proxy_settings_are_used(directory, publisher, v1, make_settings, monkeypatch):  # type: ignore[no-untyped-def]
    def proxy(req: Req) -> None:
        assert req.path.startswith("http://annuaire.pare.invalid/")
        req.path = req.path.removeprefix("http://annuaire.pare.invalid")
        serve_file(req, publisher.feed)

    with Scripted(proxy) as srv:
        for name in ("no_proxy", "NO_PROXY", "all_proxy", "ALL_PROXY"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("http_proxy", srv.url)
        out = sync(directory, make_settings, "http://annuaire.pare.invalid/")
        assert out.status == "updated", out.message
        assert all(p.startswith("http://annuaire.pare.invalid/") for _, p, _ in srv.requests)
