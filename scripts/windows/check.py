"""`make windows-check`: the frozen dist/pare-windows/pare.exe run under wine, compared with Linux.

--version; import of a small file; searches compared (parsed JSON, UTF-8 and LF) with the Linux CLI on the
same data; every export format; a sync from a signed feed (pare-publish) served on 127.0.0.1; the data in
%LOCALAPPDATA%; the sync token in the credential store; tzdata inside the bundle; the NSIS installer
installed and uninstalled silently (/S). Qt widgets and QtWebEngine cannot run under wine 8 (no icuuc.dll
for Qt 6.10+): the window, the map and printing are on docs/packaging.md's checklist for a real Windows.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import winenv as w

ROOT = w.ROOT
APP = ROOT / "dist" / "pare-windows"
EXE = APP / "pare.exe"
#: Searches compared with Linux: plain, accented, a filter.
SEARCHES = (["écoute"], ["Mamoudzou"], ["--type", "urgence", "Dembéni"], ["ylang"], ["--limit", "500"])
FORMATS = {"csv": "csv", "xlsx": "xlsx", "vcard": "vcf", "pdf": "pdf", "geojson": "geojson"}

failures: list[str] = []


def step(name: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    def wrap(fn: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(fn)
        def run(*args: object) -> None:
            start = time.perf_counter()
            try:
                fn(*args)
            except Exception as exc:  # a failed step is reported, the next ones still run
                failures.append(name)
                print(f"ÉCHEC  {name} ({time.perf_counter() - start:.0f} s) : {exc}", flush=True)
            else:
                print(f"ok     {name} ({time.perf_counter() - start:.0f} s)", flush=True)

        return run

    return wrap


def pare_exe(*args: str, exe: Path = EXE) -> bytes:
    """The frozen pare.exe under wine; stdout (bytes) when it succeeds."""
    proc = w.run_wine([str(exe), *args], check=False, timeout=600)
    if proc.returncode != 0:
        raise AssertionError(
            f"pare.exe {' '.join(args[:3])} : code {proc.returncode} : "
            f"{(proc.stderr or proc.stdout).decode('utf-8', 'replace')[-800:]}"
        )
    return proc.stdout


def pare_linux(*args: str) -> bytes:
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "pare_desktop", *args], check=True, capture_output=True, env=env
    ).stdout


def machine_json(out: bytes) -> object:
    assert b"\r\n" not in out, "fins de ligne CRLF dans la sortie --json"
    return json.loads(out.decode("utf-8"))  # strict UTF-8: cp1252 would fail here


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def win_user_dir() -> Path:
    users = [
        p for p in (w.PREFIX / "drive_c" / "users").iterdir() if p.name.lower() not in ("public", "default")
    ]
    return users[0]


class Check:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.win_data, self.linux_data = tmp / "win-data", tmp / "linux-data"
        self.source = tmp / "structures.csv"

    @step("pare.exe --version")
    def version(self) -> None:
        import bundle

        out = pare_exe("--version").decode("utf-8", "replace")
        assert bundle.version() in out, out

    @step("aucun contournement de wine dans le bundle (DLL de STUBS)")
    def no_stubs(self) -> None:
        shipped = {p.name.lower() for p in APP.rglob("*.dll")}
        assert not shipped & {name.lower() for name in w.STUBS}, (
            f"DLL de wine dans le bundle : {shipped & set(w.STUBS)}"
        )
        for dll in w.STUBS:
            assert not (APP / "_internal" / dll).exists()
        qt = APP / "_internal" / "PySide6"
        assert (qt / "QtWebEngineProcess.exe").is_file(), "QtWebEngineProcess.exe absent (hooks Qt muets ?)"
        assert (qt / "plugins" / "platforms" / "qwindows.dll").is_file(), "plugin qwindows.dll absent"

    @step("chaque DLL importée est dans le bundle ou dans Windows (objdump + imports différés, comme ldd)")
    def imports_resolve(self) -> None:
        """objdump's import table (a reader independent of the orphan pass's) plus the delay-loaded DLLs
        (objdump -p does not list them; scripts/pe_imports.py does): all found in the bundle or Windows."""
        import pe_imports

        shipped = {p.name.lower() for p in APP.rglob("*") if p.suffix.lower() in (".dll", ".pyd", ".exe")}
        system = {p.name.lower() for p in (w.PREFIX / "drive_c" / "windows" / "system32").iterdir()}
        missing: dict[str, set[str]] = {}
        for binary in sorted(APP.rglob("*")):
            if binary.suffix.lower() not in (".dll", ".pyd", ".exe"):
                continue
            dump = subprocess.run(
                ["x86_64-w64-mingw32-objdump", "-p", str(binary)], capture_output=True, text=True
            )
            names = pe_imports.dll_imports(str(binary)) | {
                line.split("DLL Name:", 1)[1].strip().lower()
                for line in dump.stdout.splitlines()
                if "DLL Name:" in line
            }
            for name in names:
                if name not in shipped and name not in system and not name.startswith(("api-ms-", "ext-ms-")):
                    missing.setdefault(name, set()).add(binary.name)
        assert not missing, f"DLL introuvables : {missing}"

    @step("tzdata dans le bundle (zoneinfo de Windows)")
    def tzdata(self) -> None:
        found = list(APP.rglob("tzdata/zoneinfo/Indian/Reunion"))
        assert found, "tzdata/zoneinfo absent du bundle"

    @step("import d'un fichier CSV d'Excel (UTF-8 avec BOM, CRLF, accents)")
    def import_file(self) -> None:
        kinds = [
            ("Point écoute Kawéni", "aide-victimes-droit"),
            ("Maison des ados « Ylang »", "sante-ado-psy"),
            ("Foyer d'urgence de Dembéni", "urgence"),
        ]
        rows = ["identifiant;Nom;Type;Code postal;Commune;Téléphone;Zone d'intervention"]
        for i in range(45):
            name, kind = kinds[i % 3]
            rows.append(f"w{i};{name} {i};{kind};97600;Mamoudzou;0269 61 {i:02d} 00;976")
        self.source.write_bytes("\r\n".join(rows).encode("utf-8-sig") + b"\r\n")
        pare_linux("--data-dir", str(self.linux_data), "import", str(self.source))
        out = pare_exe("--data-dir", w.winpath(self.win_data), "import", w.winpath(self.source))
        assert (self.win_data / "pare.sqlite").is_file(), out

    def same_as_linux(self, *args: str) -> object:
        """pare.exe's JSON answer, equal to Linux's. The clock (opening hours « now », the age of records in
        stats) is read by each process: Linux answers before and, if they differ, again after the Windows
        call, so a minute or a day turning between the two calls cannot fail the comparison."""
        before = machine_json(pare_linux("--data-dir", str(self.linux_data), *args))
        win = machine_json(pare_exe("--data-dir", w.winpath(self.win_data), *args))
        if win != before:
            after = machine_json(pare_linux("--data-dir", str(self.linux_data), *args))
            assert win == after, f"réponses différentes de Linux pour {' '.join(args)}"
        return win

    @step("recherches : mêmes réponses que sous Linux (JSON UTF-8, LF)")
    def searches(self) -> None:
        for args in SEARCHES:
            assert self.same_as_linux("search", "--json", *args), f"aucun résultat pour {args}"
        assert self.same_as_linux("stats", "--json"), "stats vides"

    @step("exports : les cinq formats")
    def exports(self) -> None:
        for fmt, ext in FORMATS.items():
            out = self.tmp / f"export.{ext}"
            pare_exe(
                "--data-dir",
                w.winpath(self.win_data),
                "export",
                "--format",
                fmt,
                "-o",
                w.winpath(out),
                "Mamoudzou",
            )
            ref = self.tmp / f"linux.{ext}"
            pare_linux(
                "--data-dir", str(self.linux_data), "export", "--format", fmt, "-o", str(ref), "Mamoudzou"
            )
            data = out.read_bytes()
            assert data, f"{fmt} vide"
            if fmt == "csv":
                assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\r\n") == ref.read_bytes().count(
                    b"\r\n"
                )
            elif fmt == "geojson":
                features = json.loads(data.decode("utf-8"))["features"]
                assert len(features) == len(json.loads(ref.read_text(encoding="utf-8"))["features"])
            elif fmt == "pdf":
                assert data.startswith(b"%PDF")
            elif fmt == "xlsx":
                with zipfile.ZipFile(out) as z:
                    assert "xl/workbook.xml" in z.namelist()
            else:
                assert data.count(b"BEGIN:VCARD") == ref.read_bytes().count(b"BEGIN:VCARD") > 0

    @step("synchronisation depuis un flux signé sur 127.0.0.1 (jeton dans le coffre Windows)")
    def sync(self) -> None:
        from tests.sync.feedkit import records, write_source

        keys, feed, data = self.tmp / "keys", self.tmp / "feed", self.tmp / "win-sync"
        src = write_source(self.tmp / "feed-source.pare.jsonl", records(80, version=1))
        publish = [sys.executable, "-m", "pare_desktop.sync.publish_cli"]
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        subprocess.run([*publish, "keygen", "--out", str(keys)], check=True, capture_output=True, env=env)
        subprocess.run(
            [*publish, "build", str(src), "--key", str(keys / "pare-feed.key"), "--out", str(feed)],
            check=True,
            capture_output=True,
            env=env,
        )
        with serve(feed) as url:
            out = pare_exe(
                "--data-dir",
                w.winpath(data),
                "sync",
                "--feed",
                url,
                "--key",
                w.winpath(keys / "pare-feed.pub"),
                "--token",
                "jeton-é-essai",
            ).decode(
                "cp1252", "replace"
            )  # human output: the ANSI code page in a pipe, like any Windows program
        assert "version 1" in out, out
        found = machine_json(
            pare_exe("--data-dir", w.winpath(data), "search", "--json", "--limit", "500", "Structure")
        )
        assert isinstance(found, list) and len(found) >= 70, (
            f"{len(found)} structures après la synchronisation"
        )
        # keyring's Windows backend (Credential Manager, wine's advapi32) took the token: no plain file.
        assert not (data / "sync-token").exists(), "jeton écrit dans un fichier, pas dans le coffre Windows"

    @step("données dans %LOCALAPPDATA%\\DroitDEnfance\\pare-desktop")
    def default_data_dir(self) -> None:
        pare_exe("search", "--json", "--limit", "1", "écoute")
        db = win_user_dir() / "AppData" / "Local" / "DroitDEnfance" / "pare-desktop" / "pare.sqlite"
        assert db.is_file(), f"base absente : {db}"

    @step("installateur NSIS : installation et désinstallation silencieuses (/S)")
    def installer(self) -> None:
        import build

        setup = build.installer_path()
        assert setup.is_file(), f"installateur absent : {setup} (make windows)"
        user = win_user_dir()
        target = user / "AppData" / "Local" / "Programs" / "PARE Desktop"
        link = (
            user
            / "AppData"
            / "Roaming"
            / "Microsoft"
            / "Windows"
            / "Start Menu"
            / "Programs"
            / "PARÉ Desktop.lnk"
        )
        w.run_wine([str(setup), "/S"], timeout=900)  # the installer does the work itself, then returns
        assert (target / "pare.exe").is_file() and (target / "uninstall.exe").is_file(), (
            "fichiers non installés"
        )
        assert link.is_file(), "raccourci du menu Démarrer absent"
        reg = w.run_wine(
            ["reg", "query", r"HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\PARE-Desktop"]
        )
        assert b"DisplayName" in reg.stdout
        import bundle

        assert bundle.version() in pare_exe("--version", exe=target / "pare.exe").decode("utf-8", "replace")
        # NSIS's uninstaller copies itself to %TEMP% and returns at once; the copy removes the folder.
        w.run_wine([str(target / "uninstall.exe"), "/S"], timeout=600)
        deadline = time.monotonic() + 300
        while target.exists() and time.monotonic() < deadline:
            time.sleep(0.5)
        assert not target.exists(), (
            f"reste après désinstallation : {sorted(p.name for p in target.iterdir())}"
        )
        assert not link.exists(), "raccourci resté après désinstallation"


def main() -> int:
    if not EXE.is_file():
        raise SystemExit(f"{EXE} absent : lancer d'abord `make windows`")
    sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]  # tests.sync.feedkit, bundle, build
    w.ensure_packages()
    w.ensure_prefix()
    start = time.perf_counter()
    with w.persistent_wineserver(), tempfile.TemporaryDirectory(prefix="pare-windows-check-") as name:
        check = Check(Path(name))
        check.version()
        check.no_stubs()
        check.imports_resolve()
        check.tzdata()
        check.import_file()
        check.searches()
        check.exports()
        check.sync()
        check.default_data_dir()
        check.installer()
    total = time.perf_counter() - start
    if failures:
        print(f"windows-check : {len(failures)} échec(s) en {total:.0f} s : {', '.join(failures)}")
        return 1
    print(
        f"windows-check : tout est vert en {total:.0f} s "
        "(widgets, carte, impression : voir docs/packaging.md)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
