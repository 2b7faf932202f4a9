"""`pare map --out`: one self-contained HTML file that shows the markers in a browser with no network."""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from pare_desktop.cli import build_parser
from pare_desktop.cli.common import Context
from pare_desktop.cli.mapping import export_map
from pare_desktop.core.directory import Directory
from pare_desktop.core.territories import referential
from pare_desktop.map.export import export_html, write_html

from .samples import HOSTILE_TEXTS, grid, hostile, national, structure

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def offline_chromium(page: Path, tmp: Path, *, screenshot: Path | None = None) -> str:
    """The DOM of a page after 8 s of virtual time in headless Chromium with every network path closed."""
    assert CHROMIUM is not None
    args = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--proxy-server=127.0.0.1:9",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        f"--user-data-dir={tmp / 'profile'}",
        "--virtual-time-budget=8000",
        "--window-size=1000,700",
    ]
    args += [f"--screenshot={screenshot}"] if screenshot else ["--dump-dom"]
    done = subprocess.run([*args, page.as_uri()], capture_output=True, text=True, timeout=120, check=False)
    return done.stdout


def test_export_inlines_every_asset_and_links_nothing_remote() -> None:
    html = export_html([*grid(20), national(1)])
    markup = re.sub(r"<(script|style)\b[^>]*>.*?</\1>", "", html, flags=re.S)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//|pare:)""", markup)
    assert "url(http" not in html and "url(images/" not in html
    assert "pare://" not in html
    assert "connect-src 'none'" in html and "unsafe-inline" not in html


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_export_opens_offline_in_chromium_with_markers_and_hostile_text_as_text(tmp_path: Path) -> None:
    records = [*grid(200), national(1), *hostile()]
    out = tmp_path / "carte.html"
    write_html(records, out)
    dom = offline_chromium(out, tmp_path)
    assert 'data-pare-ready="1"' in dom
    located = sum(1 for r in records if not r.is_national)
    assert f'data-pare-markers="{located}"' in dom
    assert f'data-pare-side="{1 + len(HOSTILE_TEXTS)}"' in dom
    assert "data-pwned" not in dom
    assert "data-pare-csp-violations" not in dom
    assert "&lt;img src=x onerror=" in dom  # shown as text in the side box
    assert not re.search(r"<img[^>]*onerror", dom) and "<svg onload" not in dom


def test_cli_writes_the_map_of_a_search(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    directory = Directory.open(tmp_path / "pare.sqlite", seed_demo=False)

    class Batch:
        source = "t"
        records = (*grid(30), national(1))

    directory.import_batch(Batch())
    ctx = Context(data_dir=tmp_path, pro_mode=False, verbose=False, _directory=directory)
    out = tmp_path / "carte.html"
    args = build_parser().parse_args(["map", "--out", str(out)])
    assert isinstance(args, argparse.Namespace)
    assert export_map(ctx, args) == 0
    html = out.read_text(encoding="utf-8")
    assert '"t:29"' in html and '"n:1"' in html
    assert "31 structures, 30 sur la carte" in capsys.readouterr().out
    ctx.close()


def _view(dom: str) -> tuple[float, ...]:
    m = re.search(r'data-pare-view="([^"]+)"', dom)
    assert m is not None
    return tuple(float(v) for v in m.group(1).split())


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_cli_export_of_la_reunion_opens_on_la_reunion_with_its_clusters(tmp_path: Path) -> None:
    directory = Directory.open(tmp_path / "pare.sqlite", seed_demo=False)

    class Batch:
        source = "t"
        records = (
            *(replace(structure(500 + i, lat=-21.0 + (i % 7) * 0.04, lon=55.3 + (i // 7) * 0.04,
                                commune="Saint-Denis"), departement="974", region="04")
              for i in range(60)),
            *grid(40),  # mainland: filtered out by --region 04
            national(1),
        )

    directory.import_batch(Batch())
    ctx = Context(data_dir=tmp_path, pro_mode=False, verbose=False, _directory=directory)
    out = tmp_path / "reunion.html"
    args = build_parser().parse_args(["map", "--out", str(out), "--region", "04"])
    assert export_map(ctx, args) == 0
    ctx.close()
    html = out.read_text(encoding="utf-8")
    assert '"clusters":{"zmax":15' in html and '"frame":{"kind":"bbox"' in html
    dom = offline_chromium(out, tmp_path)
    west, south, east, north = _view(dom)
    reunion = referential().region("04")
    assert reunion is not None
    w, s, e, n = reunion.bbox
    assert west <= w and east >= e and south <= s and north >= n  # the whole island is in view
    assert east - west < 4 * (e - w) + 0.5  # and not mainland France
    assert 'data-pare-markers="60"' in dom and 'data-pare-grid="shipped"' in dom

