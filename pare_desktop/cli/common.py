"""What every subcommand shares: the data directory, the open directory, errors, search filters."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .. import paths

if TYPE_CHECKING:
    from ..core.directory import Directory
    from ..core.reader import DirectoryReader
    from ..core.records import SearchQuery


class CliError(Exception):
    """Bad arguments: a French message, exit code 2."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Context:
    data_dir: Path
    pro_mode: bool
    verbose: bool
    _directory: Directory | None = field(default=None, repr=False)
    _logging: bool = field(default=False, repr=False)

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Context:
        data_dir = Path(args.data_dir).expanduser() if args.data_dir else paths.default_data_dir()
        return cls(data_dir=data_dir, pro_mode=bool(args.pro), verbose=bool(args.verbose))

    @property
    def db_path(self) -> Path:
        return paths.database_path(self.data_dir)

    def directory(self) -> Directory:
        """The directory, opened (and created from the demo data) on first use."""
        if self._directory is None:
            from ..core.directory import Directory

            self._setup_logging()
            self._directory = Directory.open(self.db_path, pro_mode=self.pro_mode)
        return self._directory

    def _setup_logging(self) -> None:
        """The log file, once (reader() may come before directory())."""
        if not self._logging:
            from ..logs import setup_logging

            setup_logging(paths.log_dir(self.data_dir), verbose=self.verbose)
            self._logging = True

    def reader(self) -> DirectoryReader | None:
        """The database read-only without the search index (no SQLAlchemy, no numpy: quick commands), or
        None when it must first be created, upgraded or seeded (then use `directory()`)."""
        if self._directory is not None:
            return None
        from ..core.reader import DirectoryReader

        self._setup_logging()
        return DirectoryReader.open(self.db_path, pro_mode=self.pro_mode)

    def close(self) -> None:
        if self._directory is not None:
            self._directory.close()
            self._directory = None


def add_filter_arguments(p: argparse.ArgumentParser) -> None:
    """The search filters shared by `search`, `export` and `map`."""
    p.add_argument("text", nargs="?", default="", metavar="TEXTE", help="texte recherché")
    p.add_argument(
        "--departement",
        action="append",
        default=[],
        metavar="CODE",
        help="département ou collectivité (75, 2A, 971, 987...)",
    )
    p.add_argument("--region", action="append", default=[], metavar="CODE", help="région (code INSEE)")
    p.add_argument("--type", action="append", default=[], metavar="TYPE", help="type de structure")
    p.add_argument("--support", action="append", default=[], metavar="TYPE", help="type d'accompagnement")
    p.add_argument("--public", action="append", default=[], metavar="PUBLIC", help="public accueilli")
    p.add_argument("--modalite", action="append", default=[], metavar="MODALITE", help="modalité")
    p.add_argument("--open-now", action="store_true", help="ouvertes maintenant (heure locale)")
    p.add_argument("--near", metavar="COMMUNE|LAT,LON", help="autour d'une commune ou d'un point")
    p.add_argument("--radius", type=float, metavar="KM", help="rayon en kilomètres (avec --near)")
    p.add_argument("--no-national", action="store_true", help="sans les structures nationales")
    p.add_argument("--sort", choices=("relevance", "name", "distance", "updated"), help="ordre")


def query_from_args(args: argparse.Namespace, *, limit: int | None = None) -> SearchQuery:
    """A SearchQuery from the shared filter arguments; bad values raise CliError naming them."""
    from ..core import vocabulary
    from ..core.records import SearchQuery
    from ..core.territories import referential

    territories: list[str] = []
    for code in args.departement:
        t = referential().territory(code.upper())
        if t is None or t.kind == "region":
            raise CliError(f"département ou collectivité inconnu : « {code} »")
        territories.append(t.code)
    regions: list[str] = []
    for code in args.region:
        r = referential().region(code)
        if r is None:
            raise CliError(f"région inconnue : « {code} » (code INSEE attendu, par ex. 84, 11, 04)")
        regions.append(r.code)
    for option, kind, values in (
        ("--type", "type", args.type),
        ("--support", "support", args.support),
        ("--public", "public", args.public),
        ("--modalite", "modality", args.modalite),
    ):
        known = vocabulary.slugs(kind)
        for v in values:
            if v not in known:
                raise CliError(f"{option} : valeur inconnue « {v} ». Valeurs possibles : {', '.join(known)}")
    near = _parse_near(args.near) if args.near else None
    if args.radius is not None and (near is None or args.radius <= 0):
        raise CliError("--radius demande --near et un rayon positif en kilomètres")
    sort = args.sort or ("distance" if near else "relevance")
    if sort == "distance" and near is None:
        raise CliError("le tri par distance demande --near")
    return SearchQuery(
        text=args.text or "",
        territories=tuple(territories),
        regions=tuple(regions),
        types=tuple(args.type),
        supports=tuple(args.support),
        publics=tuple(args.public),
        modalities=tuple(args.modalite),
        open_now=bool(args.open_now),
        near=near,
        radius_km=args.radius,
        include_national=not args.no_national,
        sort=sort,
        limit=limit,
    )


def _parse_near(value: str) -> tuple[float, float]:
    lat, lon, _place = near_place(value)
    return lat, lon


def near_place(value: str) -> tuple[float, float, str]:
    """--near's point and the place's name as the user reads it (the commune, or the coordinates)."""
    from ..core.territories import referential

    parts = value.split(",")
    if len(parts) == 2:
        try:
            lat, lon = float(parts[0]), float(parts[1])
        except ValueError:
            pass
        else:
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise CliError(f"--near : coordonnées hors limites « {value} »")
            return lat, lon, f"{lat:g} ; {lon:g}".replace(".", ",")
    ref = referential()
    commune = ref.commune(value)
    if commune is None:
        found = ref.find_communes(value, limit=1)
        commune = found[0] if found else None
    if commune is None:
        raise CliError(f"--near : commune introuvable « {value} » (nom, code postal, code INSEE ou LAT,LON)")
    return commune.latitude, commune.longitude, commune.name


def write_json(data: object) -> None:
    """Machine-readable output: UTF-8 and "\\n" line ends on every system, to a terminal, file or pipe.

    On Windows `sys.stdout` writes the ANSI code page with CRLF to files and pipes (and the frozen exe
    ignores PYTHONUTF8): the bytes go to the underlying binary buffer instead.
    """
    import json
    import sys

    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a replaced stdout (tests, embedding): text is all it takes
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()
