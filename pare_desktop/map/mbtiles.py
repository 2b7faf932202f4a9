"""Read-only access to MBTiles files (the standard offline tile format) with sqlite3."""

from __future__ import annotations

import sqlite3
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

_MIME = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "webp": "image/webp"}


class MBTilesError(Exception):
    """A file that is not a readable MBTiles raster file (message in French)."""


def _png(width: int, height: int, rgba: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + rgba[y * width * 4:(y + 1) * width * 4] for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def solid_png(rgba: tuple[int, int, int, int], size: int = 256) -> bytes:
    """A PNG of one colour (tests, and the transparent tile served where a file has none)."""
    return _png(size, size, bytes(rgba) * (size * size))


#: Served for a tile a file lacks, so that gaps stay transparent and quiet.
EMPTY_TILE = solid_png((0, 0, 0, 0), 1)


@dataclass(frozen=True, slots=True)
class TileSetInfo:
    """What the page needs to know about one MBTiles file."""

    name: str
    attribution: str
    format: str
    bounds: tuple[float, float, float, float]  # west, south, east, north
    min_zoom: int
    max_zoom: int


class MBTiles:
    """One MBTiles file opened read-only; tile() takes XYZ coordinates and flips the TMS row."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
            meta = dict(self._db.execute("SELECT name, value FROM metadata").fetchall())
            self._db.execute("SELECT 1 FROM tiles LIMIT 1").fetchall()
        except sqlite3.Error as exc:
            raise MBTilesError(f"« {path.name} » n'est pas un fichier MBTiles lisible ({exc}).") from exc
        fmt = str(meta.get("format", "png")).lower()
        if fmt not in _MIME:
            raise MBTilesError(f"« {path.name} » : format de tuiles « {fmt} » non pris en charge (png, jpg, webp).")
        self.info = TileSetInfo(
            name=str(meta.get("name") or path.stem),
            attribution=str(meta.get("attribution") or ""),
            format=fmt,
            bounds=self._bounds(meta.get("bounds")),
            min_zoom=self._zoom(meta.get("minzoom"), "MIN"),
            max_zoom=self._zoom(meta.get("maxzoom"), "MAX"),
        )

    def _zoom(self, value: object, fn: str) -> int:
        try:
            return int(str(value))
        except (TypeError, ValueError):
            row = self._db.execute(f"SELECT {fn}(zoom_level) FROM tiles").fetchone()
            return int(row[0]) if row and row[0] is not None else 0

    @staticmethod
    def _bounds(value: object) -> tuple[float, float, float, float]:
        try:
            w, s, e, n = (float(v) for v in str(value).split(","))
        except (TypeError, ValueError):
            return (-180.0, -85.0511, 180.0, 85.0511)
        return (w, s, e, n)

    @property
    def mime_type(self) -> str:
        return _MIME[self.info.format]

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        """The tile at XYZ (Leaflet) coordinates; MBTiles store TMS rows: y' = 2^z - 1 - y."""
        if z < 0 or z > 30 or not (0 <= x < 1 << z) or not (0 <= y < 1 << z):
            return None
        row = self._db.execute(
            "SELECT tile_data FROM tiles WHERE zoom_level=? AND tile_column=? AND tile_row=?",
            (z, x, (1 << z) - 1 - y),
        ).fetchone()
        return bytes(row[0]) if row else None

    def close(self) -> None:
        self._db.close()
