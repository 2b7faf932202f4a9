"""MBTiles reading: metadata, XYZ to TMS row flip, bad files refused with a French message."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from pare_desktop.map.mbtiles import MBTiles, MBTilesError, solid_png


def make_mbtiles(path: Path, tiles: dict[tuple[int, int, int], bytes], **meta: str) -> Path:
    """An MBTiles file with these tiles keyed by XYZ (stored with TMS rows, as the spec says)."""
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    db.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
    base = {"name": "Test", "format": "png", "minzoom": "1", "maxzoom": "1", "bounds": "-180,-85,180,85"}
    db.executemany("INSERT INTO metadata VALUES (?, ?)", {**base, **meta}.items())
    for (z, x, y), data in tiles.items():
        db.execute("INSERT INTO tiles VALUES (?, ?, ?, ?)", (z, x, (1 << z) - 1 - y, data))
    db.commit()
    db.close()
    return path


def test_tiles_are_read_with_the_tms_row_flipped(tmp_path: Path) -> None:
    red, blue = solid_png((255, 0, 0, 255), 4), solid_png((0, 0, 255, 255), 4)
    path = make_mbtiles(tmp_path / "t.mbtiles", {(1, 0, 0): red, (1, 0, 1): blue})
    raw = sqlite3.connect(path).execute("SELECT tile_row FROM tiles WHERE tile_data = ?", (red,)).fetchone()
    assert raw == (1,)  # XYZ row 0 (north) is TMS row 1
    m = MBTiles(path)
    assert m.tile(1, 0, 0) == red and m.tile(1, 0, 1) == blue
    assert m.tile(1, 1, 0) is None and m.tile(1, 5, 0) is None and m.tile(-1, 0, 0) is None
    assert m.info.name == "Test" and m.info.max_zoom == 1 and m.mime_type == "image/png"
    m.close()


def test_a_file_that_is_not_mbtiles_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.mbtiles"
    bad.write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(MBTilesError, match="n'est pas un fichier MBTiles"):
        MBTiles(bad)
