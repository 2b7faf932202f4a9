"""Loopback servers for the tests: nginx serving a directory, and a scripted http.server for faults."""

from __future__ import annotations

import http.server
import os
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

NGINX = "/usr/sbin/nginx"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


NGINX_CONF = """
{user}
worker_processes 1;
error_log {tmp}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy; fastcgi_temp_path {tmp}/fcgi;
    uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
    types {{ application/json json; application/gzip gz; }}
    server {{
        listen 127.0.0.1:{port};
        root {root};
        location = /manifest.json {{ add_header Cache-Control "no-cache"; }}
        location /files/ {{ add_header Cache-Control "public, max-age=31536000, immutable"; }}
        location /pro/ {{
            if ($http_authorization != "Bearer {token}") {{ return 401; }}
        }}
    }}
}}
"""


@contextmanager
def nginx(root: Path, tmp: Path, token: str = "jeton-pro") -> Iterator[str]:
    """nginx on a free loopback port serving `root`; yields the base URL; stopped at exit."""
    tmp.mkdir(parents=True, exist_ok=True)
    port = free_port()
    conf = tmp / "nginx.conf"
    user = "user root;" if os.geteuid() == 0 else ""  # workers must read pytest's 0700 tmp dirs
    conf.write_text(NGINX_CONF.format(user=user, tmp=tmp, port=port, root=root, token=token))
    proc = subprocess.Popen(
        [NGINX, "-p", str(tmp), "-c", str(conf), "-g", f"daemon off; pid {tmp}/nginx.pid;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"nginx did not start: {(tmp / 'error.log').read_text()}") from None
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        if proc.stderr:
            proc.stderr.close()


Handler = Callable[[http.server.BaseHTTPRequestHandler], None]


class Scripted:
    """A threaded loopback http.server; `handle(req)` decides every answer; requests are logged."""

    def __init__(self, handle: Handler) -> None:
        self.handle = handle
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        outer = self

        class _H(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            timeout = 30

            def _any(self) -> None:
                outer.requests.append((self.command, self.path, dict(self.headers.items())))
                with suppress(BrokenPipeError, ConnectionResetError):
                    outer.handle(self)

            do_GET = do_HEAD = do_POST = do_CONNECT = _any

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _H)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> Scripted:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=10)


def serve_file(
    req: http.server.BaseHTTPRequestHandler,
    root: Path,
    *,
    etag: str = '"v1"',
    cut_at: int | None = None,
    drip: float | None = None,
    body: bytes | None = None,
) -> None:
    """Serve one feed file like a static server (Range + If-Range aware), optionally misbehaving."""
    rel = req.path.lstrip("/")
    path = root / rel
    if body is None:
        if not path.is_file():
            req.send_response(404)
            req.send_header("Content-Length", "0")
            req.end_headers()
            return
        body = path.read_bytes()
    start = 0
    rng = req.headers.get("Range")
    if rng and rng.startswith("bytes=") and req.headers.get("If-Range") in (None, etag):
        start = int(rng[6:].split("-")[0])
    if start:
        req.send_response(206)
        req.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
    else:
        req.send_response(200)
    req.send_header("ETag", etag)
    req.send_header("Content-Length", str(len(body) - start))
    req.end_headers()
    if req.command == "HEAD":
        return
    chunk = body[start:]
    if cut_at is not None:
        req.wfile.write(chunk[:cut_at])
        req.wfile.flush()
        req.close_connection = True
        req.connection.shutdown(socket.SHUT_RDWR)
        return
    if drip is not None:
        for b in chunk:
            req.wfile.write(bytes([b]))
            req.wfile.flush()
            time.sleep(drip)
        return
    req.wfile.write(chunk)


def env_without_proxy() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
