"""Content-Security-Policy of the map page: inline scripts and styles allowed by their hashes only."""

from __future__ import annotations

import base64
import hashlib
import re

_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)
_INLINE_STYLE = re.compile(r"<style[^>]*>(?P<body>.*?)</style>", re.S | re.I)

OSM_TILES = "https://tile.openstreetmap.org"


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def inline_hashes(html: str) -> tuple[list[str], list[str]]:
    """Hashes of the executable inline scripts and of the inline style blocks of a page."""
    scripts = [
        _hash(m["body"]) for m in _INLINE_SCRIPT.finditer(html)
        if "src=" not in m["attrs"] and "application/json" not in m["attrs"]
    ]
    styles = [_hash(m["body"]) for m in _INLINE_STYLE.finditer(html)]
    return sorted(set(scripts)), sorted(set(styles))


def policy(html: str, *, local: tuple[str, ...], online_tiles: bool = False) -> str:
    """The policy for a page: `local` lists the sources of our assets ("'self'", "pare:", or none)."""
    scripts, styles = inline_hashes(html)
    img = [*local, "data:"] + ([OSM_TILES] if online_tiles else [])
    connect = list(local) or ["'none'"]
    parts = [
        "default-src 'none'",
        "script-src " + " ".join([*local, *scripts]) if (local or scripts) else "script-src 'none'",
        "style-src " + " ".join([*local, *styles]) if (local or styles) else "style-src 'none'",
        "img-src " + " ".join(img),
        "connect-src " + " ".join(connect),
        "font-src 'none'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-src 'none'",
    ]
    return "; ".join(parts)


def header_policy(*, local: tuple[str, ...], online_tiles: bool = False) -> str:
    """The hash-free part of the policy, for a response header (QtWebEngine lowercases header values,
    which breaks base64 hashes: those stay in the page's meta tag, and both policies apply)."""
    img = [*local, "data:"] + ([OSM_TILES] if online_tiles else [])
    return "; ".join([
        "img-src " + " ".join(img), "connect-src " + " ".join(local or ("'none'",)), "font-src 'none'",
        "object-src 'none'", "base-uri 'none'", "form-action 'none'", "frame-src 'none'",
    ])


def with_policy(html: str, csp: str) -> str:
    """The page with the policy as the first element of its <head>."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
    head = re.search(r"<head[^>]*>", html, re.I)
    if head is None:
        raise ValueError("page without <head>")
    return html[: head.end()] + "\n    " + meta + html[head.end():]
