"""The frozen app's commands, one by one, on a throw-away data folder: search, every export format, the map
page, and imports (the exported CSV and XLSX read back, a data·inclusion file with a phone and an e-mail).

What the bundle leaves out (scripts/bundle_filters.py, bundle_icu.py) must never be reached by these:
each check reads back what the command wrote. `check(exe, env)` returns the failures (empty: all passed).
"""

from __future__ import annotations

import json
import subprocess
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

#: A data·inclusion structure and its service (the importer's test fixture, Mayotte phone and e-mail).
DATAINCLUSION = [
    {"source": "pare", "id": "pare--1", "nom": "Maison des adolescents (essai)", "date_maj": "2025-01-15",
     "code_insee": "97611", "adresse": "1 rue de l'Essai", "telephone": "0269 61 00 00",
     "courriel": "mda@example.org", "site_web": "https://example.org",
     "horaires_accueil": "Mo-Fr 08:00-16:00"},
    {"source": "pare", "id": "pare--s1", "structure_id": "pare--1", "nom": "Écoute des jeunes",
     "description": "Écoute et orientation", "date_maj": "2025-01-15", "type": "information",
     "thematiques": ["sante--sante-mentale"], "publics": ["jeunes"], "modes_accueil": ["en-presentiel"],
     "zone_eligibilite": ["976"], "mobilisable_par": ["usagers"], "frais": "gratuit"},
]


def _csv(p: Path) -> bool:
    return p.read_text(encoding="utf-8-sig").count("\n") > 1


def _xlsx(p: Path) -> bool:
    return zipfile.is_zipfile(p) and "xl/workbook.xml" in zipfile.ZipFile(p).namelist()


def _vcard(p: Path) -> bool:
    return p.read_text(encoding="utf-8").count("BEGIN:VCARD") > 1


def _pdf(p: Path) -> bool:
    data = p.read_bytes()
    return data.startswith(b"%PDF") and b"%%EOF" in data[-1024:]


def _geojson(p: Path) -> bool:
    doc = json.loads(p.read_text(encoding="utf-8"))
    return doc.get("type") == "FeatureCollection" and len(doc.get("features", ())) > 1


def _map(p: Path) -> bool:
    html = p.read_text(encoding="utf-8")
    return "L.map" in html or "leaflet" in html.lower()


def _imported(stdout: str) -> bool:
    """`pare import --json`: records read, none rejected."""
    try:
        result = json.loads(stdout)
    except ValueError:
        return False
    return not result["rejected"] and result["new"] + result["updated"] + result["unchanged"] > 0


Check = Callable[[subprocess.CompletedProcess[str]], bool]


def _written(out: Path, valid: Callable[[Path], bool]) -> Check:
    """The command wrote `out` and it reads back as its format."""
    return lambda _proc: out.is_file() and valid(out)


EXPORTS: dict[str, Callable[[Path], bool]] = {
    "csv": _csv, "xlsx": _xlsx, "vcard": _vcard, "pdf": _pdf, "geojson": _geojson,
}


def check(exe: Path, env: dict[str, str], log: Callable[[str], None] = print) -> list[str]:
    """Run each command on the frozen `exe`; the failures, each with the end of its output."""
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="pare-frozen-") as tmp:
        work = Path(tmp)
        base = [str(exe), "--data-dir", str(work / "data")]

        def run(name: str, args: list[str], ok: Check) -> None:
            start = time.perf_counter()
            proc = subprocess.run([*base, *args], env=env, capture_output=True, text=True, timeout=300)
            passed = proc.returncode == 0 and ok(proc)
            log(f"  {'ok ' if passed else 'ÉCHEC'} {name}  [{time.perf_counter() - start:.1f} s]")
            if not passed:
                failures.append(f"{name} : code {proc.returncode}\n{(proc.stdout + proc.stderr)[-2000:]}")

        run("pare search", ["search", "--departement", "976"], lambda p: p.stdout.count("\n") > 2)
        for fmt, valid in EXPORTS.items():
            out = work / f"export.{fmt}"
            run(f"pare export --format {fmt}", ["export", "--format", fmt, "-o", str(out)],
                _written(out, valid))
        page = work / "carte.html"
        run("pare map --out", ["map", "--departement", "976", "--out", str(page)],
            lambda p: page.is_file() and _map(page))
        for fmt in ("csv", "xlsx"):
            run(f"pare import --dry-run ({fmt} exporté)",
                ["import", "--dry-run", "--json", "--format", fmt, str(work / f"export.{fmt}")],
                lambda p: _imported(p.stdout))
        di = work / "di.json"
        di.write_text(json.dumps(DATAINCLUSION, ensure_ascii=False), encoding="utf-8")
        run("pare import (data·inclusion)", ["import", "--json", str(di)], lambda p: _imported(p.stdout))
        run("pare search (la structure importée)", ["search", "Maison des adolescents (essai)"],
            lambda p: "Maison des adolescents (essai)" in p.stdout and "Mamoudzou" in p.stdout)
    return failures
