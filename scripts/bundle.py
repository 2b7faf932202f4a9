"""`make bundle`: build dist/pare/ with PyInstaller (pare.spec), add the desktop files, licences and the
offline README, then write dist/pare-desktop-<version>-linux-x86_64.tar.gz; prints sizes and build time.

Options: --if-needed (skip the build when dist/pare is newer than every source), --no-archive.
Figures of the last build go to build/bundle-figures.json (benchmarks/bench_bundle.py reads them).
"""

from __future__ import annotations

import argparse
import ast
import fcntl
import importlib.metadata as md
import json
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST, BUILD = ROOT / "dist", ROOT / "build"
APP = DIST / "pare"
APP_RES = ROOT / "resources" / "app"
LICENCE_NAMES = ("LICENSE", "LICENCE", "COPYING", "NOTICE", "AUTHORS")
#: Distributions whose wheels carry no licence file: the text we ship for them (resources/app/licenses/).
OUR_TEXTS = {
    "PySide6": "Qt-PySide6-LGPL-3.0.txt", "PySide6_Essentials": "Qt-PySide6-LGPL-3.0.txt",
    "PySide6_Addons": "Qt-PySide6-LGPL-3.0.txt", "shiboken6": "Qt-PySide6-LGPL-3.0.txt",
    "XStatic-Leaflet": "Leaflet-BSD-2-Clause.txt",
    "XStatic-Leaflet-MarkerCluster": "Leaflet.markercluster-MIT.txt",
}
SOURCES = ("pare_desktop", "resources", "pare.spec", "scripts/bundle.py", "scripts/bundle_filters.py",
           "scripts/bundle_icu.py")


def version() -> str:
    tree = ast.parse((ROOT / "pare_desktop" / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "__version__" for t in node.targets):
            return str(ast.literal_eval(node.value))
    raise SystemExit("__version__ introuvable dans pare_desktop/__init__.py")


def archive_path() -> Path:
    arch = platform.machine() or "x86_64"
    return DIST / f"pare-desktop-{version()}-linux-{arch}.tar.gz"


def tree_size(path: Path) -> int:
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() or p.is_symlink())


def mb(n: int) -> str:
    return f"{n / 1e6:.1f} Mo"


def newest_source() -> float:
    times = [0.0]
    for name in SOURCES:
        p = ROOT / name
        files = [p] if p.is_file() else [f for f in p.rglob("*")
                                          if f.is_file() and "__pycache__" not in f.parts]
        times += [f.stat().st_mtime for f in files]
    return max(times)


def up_to_date() -> bool:
    exe = APP / "pare"
    return exe.is_file() and archive_path().is_file() and exe.stat().st_mtime > newest_source()


def run_pyinstaller() -> float:
    """The build itself; its log goes to build/pyinstaller.log. Returns seconds."""
    BUILD.mkdir(exist_ok=True)
    icons = BUILD / "icons"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_icons.py"), str(icons)], check=True,
                   stdout=subprocess.DEVNULL)
    env = dict(os.environ, PARE_ICON_DIR=str(icons))
    start = time.perf_counter()
    with (BUILD / "pyinstaller.log").open("w") as log:
        proc = subprocess.run(
            [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
             "--distpath", str(DIST), "--workpath", str(BUILD), str(ROOT / "pare.spec")],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.stderr.write((BUILD / "pyinstaller.log").read_text()[-4000:])
        raise SystemExit(f"PyInstaller a échoué (code {proc.returncode}) : voir build/pyinstaller.log")
    return seconds


def add_desktop_files() -> None:
    """README, the .desktop file, the PNG icons (hicolor layout) and the menu installer, beside `pare`."""
    shutil.copy2(APP_RES / "README-offline.txt", APP / "README-offline.txt")
    shutil.copy2(APP_RES / "install-desktop.sh", APP / "install-desktop.sh")
    apps = APP / "share" / "applications"
    apps.mkdir(parents=True, exist_ok=True)
    shutil.copy2(APP_RES / "pare-desktop.desktop", apps / "pare-desktop.desktop")
    icons = APP / "share" / "icons"
    if icons.exists():
        shutil.rmtree(icons)
    shutil.copytree(BUILD / "icons" / "hicolor", icons / "hicolor")
    shutil.copy2(APP_RES / "pare-desktop.svg", APP / "pare-desktop.svg")


def _distributions(modules: set[str]) -> list[md.Distribution]:
    by_module = md.packages_distributions()
    # The `xstatic` namespace maps to every XStatic package; the map page does not load jQuery (not shipped).
    not_shipped = {"pyinstaller", "XStatic-jQuery"}
    names = sorted({d for m in modules for d in by_module.get(m, ())} - not_shipped, key=str.lower)
    out = []
    for name in names:
        try:
            out.append(md.distribution(name))
        except md.PackageNotFoundError:
            continue
    return out


def add_licences() -> list[str]:
    """licenses/: our own texts (Qt LGPL, Leaflet...), then every bundled distribution's licence files."""
    dest = APP / "licenses"
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(APP_RES / "licenses", dest)
    shutil.copy2(ROOT / "resources" / "referentials" / "ATTRIBUTION.md", dest / "DONNEES-ATTRIBUTION.md")
    shutil.copy2(ROOT / "LICENSE", dest / "PARE-Desktop-EUPL-1.2.txt")
    major, minor = sys.version_info[:2]
    python_licence = Path(sys.base_prefix) / "lib" / f"python{major}.{minor}" / "LICENSE.txt"
    if python_licence.is_file():
        shutil.copy2(python_licence, dest / "Python-PSF.txt")
    modules = set(json.loads((BUILD / "pare" / "modules.json").read_text()))
    index = ["Composants inclus dans PARÉ Desktop et leurs licences", ""]
    missing: list[str] = []
    for dist in _distributions(modules):
        name, ver = dist.metadata["Name"], dist.version
        licence = dist.metadata.get("License-Expression") or dist.metadata.get("License") or ""
        if not licence or len(licence) > 80:
            classifiers = [c.split("::")[-1].strip() for c in dist.metadata.get_all("Classifier") or []
                           if c.startswith("License ::")]
            licence = ", ".join(classifiers) or (licence[:80] + "…" if licence else "non déclarée")
        files = [f for f in dist.files or [] if ".dist-info" in str(f)
                 and (any(n in f.name.upper() for n in LICENCE_NAMES) or "/licenses/" in str(f))]
        copied = []
        for f in files:
            src = Path(str(dist.locate_file(f)))
            if src.is_file():
                # Keep the path below the .dist-info folder: numpy ships a dozen files all named LICENSE.txt.
                parts = Path(str(f)).parts
                inner = Path(*parts[next(i for i, p in enumerate(parts) if p.endswith(".dist-info")) + 1:])
                target = dest / name / inner
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, target)
                copied.append(f"{name}/{inner.as_posix()}")
        if not copied and name in OUR_TEXTS:
            copied = [OUR_TEXTS[name]]
        index.append(f"{name} {ver} — {licence}" + (f" — {', '.join(copied)}" if copied else ""))
        if not copied:
            missing.append(name)
    index += ["", "Textes fournis par PARÉ (paquets sans fichier de licence) :",
              "Qt-PySide6-LGPL-3.0.txt, GPL-3.0.txt, Leaflet-BSD-2-Clause.txt,",
              "Leaflet.markercluster-MIT.txt ;",
              "données : DONNEES-ATTRIBUTION.md ; interpréteur : Python-PSF.txt ;",
              "PARÉ Desktop lui-même : PARE-Desktop-EUPL-1.2.txt (EUPL-1.2)."]
    (dest / "INDEX.txt").write_text("\n".join(index) + "\n", encoding="utf-8")
    return missing


def write_manifest() -> Path:
    """build/bundle-manifest.json: every file of dist/pare with its size, and every module of the PYZ with its
    compressed size (what scripts/bundle_diff.py compares between two builds)."""
    from PyInstaller.loader.pyimod01_archive import ZlibArchiveReader

    files = {p.relative_to(APP).as_posix(): p.lstat().st_size for p in sorted(APP.rglob("*"))
             if p.is_file() or p.is_symlink()}
    pyz: dict[str, int] = {}
    for archive in (BUILD / "pare").glob("PYZ-*.pyz"):
        pyz.update({name: entry[2] for name, entry in ZlibArchiveReader(str(archive)).toc.items()})
    out = BUILD / "bundle-manifest.json"
    out.write_text(json.dumps({"files": files, "pyz": pyz}, indent=0))
    return out


def write_archive() -> tuple[Path, float]:
    out = archive_path()
    tmp = out.with_suffix(".tmp")
    start = time.perf_counter()
    top = out.name.removesuffix(".tar.gz").replace("-linux-" + (platform.machine() or "x86_64"), "")
    with tarfile.open(tmp, "w:gz", compresslevel=6) as tar:
        tar.add(APP, arcname=top)
    tmp.replace(out)
    return out, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--if-needed", action="store_true", help="ne reconstruit pas un bundle à jour")
    parser.add_argument("--no-archive", action="store_true", help="sans l'archive .tar.gz")
    args = parser.parse_args()
    BUILD.mkdir(exist_ok=True)
    with (BUILD / ".bundle.lock").open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SystemExit("une construction du bundle est déjà en cours (build/.bundle.lock)") from None
        if args.if_needed and up_to_date():
            print(f"bundle à jour : {APP}")
            return 0
        build_s = run_pyinstaller()
        add_desktop_files()
        missing = add_licences()
        write_manifest()
        archive, tar_s = (None, 0.0) if args.no_archive else write_archive()
    figures = {
        "version": version(), "build_seconds": round(build_s, 1), "archive_seconds": round(tar_s, 1),
        "unpacked_bytes": tree_size(APP), "archive_bytes": archive.stat().st_size if archive else None,
        "exclusions": json.loads((BUILD / "pare" / "exclusions.json").read_text()),
        "licences_missing": missing,
    }
    (BUILD / "bundle-figures.json").write_text(json.dumps(figures, ensure_ascii=False, indent=1))
    print(f"PARÉ Desktop {figures['version']} : {APP} — {mb(figures['unpacked_bytes'])} décompressé")
    if archive:
        print(f"archive : {archive} — {mb(figures['archive_bytes'])} (compressée en {tar_s:.0f} s)")
    print(f"construction PyInstaller : {build_s:.0f} s")
    for rule, r in figures["exclusions"].items():
        print(f"  exclu — {rule} : {r['files']} fichiers, {mb(r['bytes'])}")
    if missing:
        print(f"  licences sans fichier dans le paquet (voir licenses/INDEX.txt) : {', '.join(missing)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
