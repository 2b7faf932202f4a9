"""Import of N data·inclusion records (structures + services, JSON lines): time, peak memory, DB size.

    python benchmarks/bench_import.py [--n 100000]

Each measured run is a fresh subprocess (peak RSS from /proc: VmHWM), on a fresh database file, so runs do
not share caches. Prints the median of --runs runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

_SUPPORT_TO_THEME = {
    "soutien-parents-proches": "famille--soutien-a-la-parentalite-et-a-leducation",
    "soins-sante": "sante--acces-aux-soins",
    "soutien-psychologique": "sante--sante-mentale",
    "accompagnement-juridique": (
        "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"
    ),
    "mise-a-l-abri": "logement-hebergement--rechercher-une-solution-dhebergement-temporaire",
    "accompagnement-socio-educatif": "remobilisation--lien-social",
}


def write_datainclusion(path: Path, n: int) -> None:
    """N synthetic structures as data·inclusion v1 structure + service objects, JSON lines."""
    from benchmarks.synth import synthetic_structures
    from pare_desktop.core.territories import referential

    ref = referential()
    with path.open("w", encoding="utf-8") as out:
        for s in synthetic_structures(n):
            communes = ref.communes_of(s.departement)
            # crc32, not hash(): the same file on every run
            c = communes[zlib.crc32(s.id.encode()) % len(communes)] if communes else None
            structure: dict[str, Any] = {
                "source": "bench",
                "id": s.source_id,
                "nom": s.name,
                "date_maj": str(s.updated or "2026-01-01"),
                "description": s.description,
                "commune": c.name if c else s.commune,
                "code_postal": c.postal_codes[0] if c and c.postal_codes else None,
                "code_insee": c.code if c else None,
                "adresse": "1 rue de l'Exemple",
                "latitude": s.latitude,
                "longitude": s.longitude,
                # synth gives mainland fiction numbers; overseas plans reject them, so only mainland keeps one
                "telephone": s.phones[0].display if s.phones and len(s.departement) == 2 else None,
                "courriel": "contact@example.org",
                "site_web": "https://example.org",
                "horaires_accueil": s.opening_hours or None,
                "reseaux_porteurs": [],
            }
            service = {
                "source": "bench",
                "id": f"{s.source_id}-svc",
                "structure_id": s.source_id,
                "nom": "Accompagnement",
                "type": "accompagnement",
                "description": "Accompagnement des jeunes.",
                "date_maj": str(s.updated or "2026-01-01"),
                "thematiques": [_SUPPORT_TO_THEME[x] for x in s.supports if x in _SUPPORT_TO_THEME],
                "publics": ["jeunes"],
                "modes_accueil": ["en-presentiel"],
                "zone_eligibilite": ["france"] if s.is_national else [s.departement],
            }
            out.write(json.dumps(structure, ensure_ascii=False) + "\n")
            out.write(json.dumps(service, ensure_ascii=False) + "\n")


def split_datainclusion(feed: Path, structures: Path, services: Path) -> None:
    """The same items as two files, structures then services (the other path an import may take)."""
    with feed.open(encoding="utf-8") as f, structures.open("w", encoding="utf-8") as a, \
            services.open("w", encoding="utf-8") as b:
        for line in f:
            (b if '"structure_id"' in line else a).write(line)


def _two_files_child(structures: Path, services: Path, db_path: Path) -> None:
    """Import the structures file, then the services file: time end to end, peak RSS of the process."""
    from pare_desktop.core.directory import Directory
    from pare_desktop.core.importers import read_file

    t0 = time.perf_counter()
    directory = Directory.open(db_path, seed_demo=False)
    outcome = directory.import_batch(read_file(structures, "datainclusion", stream=True))
    t1 = time.perf_counter()
    services_outcome = directory.import_batch(read_file(services, "datainclusion", stream=True))
    t2 = time.perf_counter()
    directory.close()
    from benchmarks.common import peak_rss_mb

    print(json.dumps({"structures_s": t1 - t0, "services_s": t2 - t1, "total_s": t2 - t0,
                      "cpu_s": time.process_time(), "peak_mb": peak_rss_mb(), "added": outcome.added,
                      "enriched": services_outcome.updated}))


def _child(feed: Path, db_path: Path) -> None:
    from pare_desktop.core.directory import Directory
    from pare_desktop.core.importers import read_file

    t0 = time.perf_counter()
    directory = Directory.open(db_path, seed_demo=False)
    batch = read_file(feed, "datainclusion", stream=True)  # records built as they are written
    t1 = time.perf_counter()
    outcome = directory.import_batch(batch)
    t2 = time.perf_counter()
    directory.close()
    from benchmarks.common import peak_rss_mb

    peak_mb = peak_rss_mb()
    print(
        json.dumps(
            {
                "read_s": t1 - t0,
                "apply_s": t2 - t1,
                "total_s": t2 - t0,
                "cpu_s": time.process_time(),  # the whole process, start-up included
                "peak_mb": peak_mb,
                "records": batch.valid,
                "rejects": len(batch.rejects),
                "added": outcome.added,
                "db_mb": db_path.stat().st_size / 1e6,
            }
        )
    )


def _small_child(feed: Path, db_path: Path, anchor: bool) -> None:
    """A 3-row import into the 100k directory, end to end (open, read, write, index, first search)."""
    from pare_desktop.core.directory import Directory
    from pare_desktop.core.importers import read_file
    from pare_desktop.core.records import SearchQuery

    t0 = time.perf_counter()
    directory = Directory.open(db_path, seed_demo=False)
    directory.import_batch(read_file(feed, "datainclusion", stream=True))
    directory.search(SearchQuery(text="structure", limit=50))
    total = time.perf_counter() - t0
    rebuild = None
    if anchor:  # the anchor: what every import paid before, a full rebuild of the index
        t = time.perf_counter()
        directory.refresh()
        rebuild = time.perf_counter() - t
    directory.close()
    print(json.dumps({"total_s": total, "rebuild_s": rebuild}))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    ap.add_argument("--small-child", nargs=3, help=argparse.SUPPRESS)
    ap.add_argument("--two-files-child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.two_files_child:
        _two_files_child(*(Path(a) for a in args.two_files_child))
        return
    if args.small_child:
        _small_child(Path(args.small_child[0]), Path(args.small_child[1]), args.small_child[2] == "1")
        return
    if args.child:
        _child(Path(args.child[0]), Path(args.child[1]))
        return
    from benchmarks import report

    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "di.jsonl"
        write_datainclusion(feed, args.n)
        size_mb = feed.stat().st_size / 1e6
        print(f"data·inclusion file: {args.n} structures + {args.n} services, {size_mb:.1f} MB")
        results = []
        for run in range(args.runs):
            db_path = Path(tmp) / f"run{run}.sqlite"
            out = subprocess.run(
                [sys.executable, __file__, "--child", str(feed), str(db_path)],
                capture_output=True,
                text=True,
                check=True,
            )
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
            print(f"  run {run + 1}: {results[-1]}")
        keys = ("read_s", "apply_s", "total_s", "cpu_s", "peak_mb", "db_mb")
        med = {k: statistics.median(r[k] for r in results) for k in keys}
        print(
            f"import {args.n} records (median of {args.runs}): read {med['read_s']:.1f} s, apply "
            f"{med['apply_s']:.1f} s, total {med['total_s']:.1f} s (target ≤ 15 s; "
            f"CPU {med['cpu_s']:.1f} s); peak RSS {med['peak_mb']:.0f} MB (target ≤ 400 MB); "
            f"database {med['db_mb']:.1f} MB"
        )
        report.add(f"import {args.n // 1000}k (one data·inclusion file)", med["total_s"], "s", 15.0)
        report.add(f"import {args.n // 1000}k, peak RSS", med["peak_mb"], "MB", 400.0)
        structures, services = Path(tmp) / "structures.jsonl", Path(tmp) / "services.jsonl"
        split_datainclusion(feed, structures, services)
        twos = []
        for run in range(args.runs):
            out = subprocess.run(
                [sys.executable, __file__, "--two-files-child", str(structures), str(services),
                 str(Path(tmp) / f"two{run}.sqlite")],
                capture_output=True, text=True, check=True,
            )
            twos.append(json.loads(out.stdout.strip().splitlines()[-1]))
            print(f"  structures then services, run {run + 1}: {twos[-1]}")
        two_s = statistics.median(r["total_s"] for r in twos)
        two_mb = statistics.median(r["peak_mb"] for r in twos)
        two_parts = {k: statistics.median(r[k] for r in twos)
                     for k in ("structures_s", "services_s", "cpu_s")}
        print(f"import {args.n} structures then their services (two files, median of {args.runs}): "
              f"{two_s:.1f} s (target ≤ 15 s; structures {two_parts['structures_s']:.1f} s, services "
              f"{two_parts['services_s']:.1f} s; CPU {two_parts['cpu_s']:.1f} s), peak RSS {two_mb:.0f} MB "
              "(target ≤ 400 MB)")
        report.add(f"import {args.n // 1000}k, structures then services files", two_s, "s", 15.0)
        report.add(f"import {args.n // 1000}k, two files, peak RSS", two_mb, "MB", 400.0)
        small = Path(tmp) / "three.jsonl"
        write_datainclusion(small, 3)
        smalls = []
        for run in range(args.runs):
            out = subprocess.run(
                [sys.executable, __file__, "--small-child", str(small), str(Path(tmp) / "run0.sqlite"),
                 "1" if run == 0 else "0"],
                capture_output=True, text=True, check=True,
            )
            smalls.append(json.loads(out.stdout.strip().splitlines()[-1]))
        small_s = statistics.median(r["total_s"] for r in smalls)
        rebuild = smalls[0]["rebuild_s"]
        print(f"3-row import into {args.n} records, end to end (open, read, write, index, first search): "
              f"median {small_s:.2f} s (target ≤ 1 s); anchor: full index rebuild {rebuild:.1f} s")
        report.add(f"import 3 rows into {args.n // 1000}k, end to end", small_s, "s", 1.0,
                   f"full rebuild {rebuild:.1f} s")


if __name__ == "__main__":
    main()
