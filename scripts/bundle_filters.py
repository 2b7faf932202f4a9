"""What pare.spec leaves out of PyInstaller's collection, rule by rule, and how many bytes each rule saved.

PyInstaller's Qt hooks collect plugins, QML and translations wholesale; the app uses widgets, QtWebEngine
(and what it links), pyqtgraph and printing. Each rule below is a named predicate on the destination path
of a collected file; `apply()` drops matching entries, then (Linux, Windows) drops the Qt libraries no kept
binary links to any more, and returns a report: rule -> (files, bytes). Measured figures: docs/packaging.md.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from pathlib import PurePosixPath

Entry = tuple[str, str, str]  # (destination in the bundle, source file, typecode)
Rule = tuple[str, Callable[[str], bool]]

_QT = "PySide6/Qt/"
#: The Windows wheel has no Qt/ level: PySide6/qml, PySide6/plugins, PySide6/translations, PySide6/resources,
#: PySide6/QtWebEngineProcess.exe. Rules match the path *below the Qt root* so both layouts are covered.
_WIN_QT_DIRS = ("qml/", "plugins/", "translations/", "resources/", "metatypes/", "libexec/")


def qt_rel(dest: str) -> str | None:
    """The path below the Qt root ('plugins/platforms/libqxcb.so'), Linux or Windows layout; else None."""
    if dest.startswith(_QT):
        return dest[len(_QT):]
    if dest.startswith("PySide6/") and dest[len("PySide6/"):].startswith(_WIN_QT_DIRS):
        return dest[len("PySide6/"):]
    return None


def _under(dest: str, *dirs: str) -> bool:
    rel = qt_rel(dest)
    return rel is not None and rel.startswith(dirs)
KEEP_LOCALES = {"fr", "en-US"}
#: Qt translation catalogues are kept for French and English only (qtbase_fr.qm, qtwebengine_fr.qm...).
_QM_KEPT = re.compile(r"_(fr|en)\.qm$")

#: Plugin folders the app needs; every other plugin folder is dropped.
KEEP_PLUGIN_DIRS = {
    "platforms", "platformthemes", "platforminputcontexts", "imageformats", "iconengines",
    "xcbglintegrations", "printsupport", "tls", "wayland-shell-integration",
    "wayland-decoration-client", "wayland-graphics-integration-client",
}
#: Within kept folders: platforms for a desktop (X11, Wayland) and for the self-test (offscreen) only;
#: the GTK platform theme (it drags in GTK, GDK, ATK, Pango, cairo) is the GTK stack's only user.
DROP_PLUGINS = {
    "platforms/libqeglfs.so", "platforms/libqlinuxfb.so", "platforms/libqminimal.so",
    "platforms/libqminimalegl.so", "platforms/libqvnc.so", "platforms/libqvkkhrdisplay.so",
    "imageformats/libqpdf.so", "platforminputcontexts/libqtvirtualkeyboardplugin.so",
    # Windows names of the same plugins
    "platforms/qminimal.dll", "platforms/qdirect2d.dll", "platforms/qvnc.dll", "imageformats/qpdf.dll",
    "platforminputcontexts/qtvirtualkeyboardplugin.dll",
}
GTK_PLUGIN = "platformthemes/libqgtk3.so"
#: Shared libraries of the GTK stack, pulled in only by the GTK platform theme.
_GTK_LIBS = re.compile(
    r"^lib(gtk-3|gdk-3|gdk_pixbuf-2\.0|atk-1\.0|atk-bridge-2\.0|atspi|pango-1\.0|pangocairo-1\.0|"
    r"pangoft2-1\.0|cairo|cairo-gobject|epoxy)\.so"
)


def _plugin(dest: str) -> str | None:
    """'platforms/libqxcb.so' for a Qt plugin path, else None."""
    rel = qt_rel(dest)
    return rel[len("plugins/"):] if rel is not None and rel.startswith("plugins/") else None


def _unused_plugin_dir(dest: str) -> bool:
    p = _plugin(dest)
    return p is not None and p.split("/", 1)[0] not in KEEP_PLUGIN_DIRS


def _unused_plugin(dest: str) -> bool:
    return _plugin(dest) in DROP_PLUGINS


def _webengine_locale(dest: str) -> bool:
    path = PurePosixPath(dest)
    in_locales = _under(dest, "translations/qtwebengine_locales/", "resources/locales/")
    return in_locales and path.suffix == ".pak" and path.stem not in KEEP_LOCALES


def _qt_translation(dest: str) -> bool:
    return _under(dest, "translations/") and dest.endswith(".qm") and not _QM_KEPT.search(dest)


def _gtk(dest: str) -> bool:
    return _plugin(dest) == GTK_PLUGIN or ("/" not in dest and bool(_GTK_LIBS.match(dest)))


#: Python bindings the Qt hooks collect with QtWebEngine but that nothing imports (their Qt libraries stay
#: when QtWebEngine links them; the orphan pass decides).
#: QtTest: pyqtgraph imports it inside try/except (FailedImport) and the app never does.
_UNUSED_BINDING = re.compile(
    r"^PySide6/(QtQuick|QtQml|QtQuickWidgets|QtPositioning|QtDBus|QtTest)\.(abi3\.so|pyd)$")
#: rapidfuzz ships each extension twice, plain and AVX2; it imports the AVX2 one inside
#: contextlib.suppress(ImportError) and falls back to the plain one (the typo search compares a few
#: hundred short prefixes: the vector unit changes nothing measurable there).
_RAPIDFUZZ_AVX2 = re.compile(r"^rapidfuzz/(.+/)?[a-z_]+_avx2\.(cpython-[^/]+\.so|[^/]+\.pyd)$")
#: Libraries every systemd Linux has (apt itself depends on libsystemd0): the bundled libdbus finds the
#: system's, as the print plugin finds the system's libcups.
_SYSTEM_LIBS = {"libsystemd.so.0", "libgcrypt.so.20"}
#: Image formats: the app reads SVG and PNG (built into QtGui); JPEG, GIF and ICO plugins stay.
_UNUSED_IMAGE_FORMATS = {"qtiff", "qwebp", "qicns", "qtga", "qwbmp"}


def _unused_image_format(dest: str) -> bool:
    p = _plugin(dest)
    if p is None or not p.startswith("imageformats/"):
        return False
    stem = PurePosixPath(p).name.split(".")[0]
    return stem.removeprefix("lib") in _UNUSED_IMAGE_FORMATS


def _leaflet_source(dest: str) -> bool:
    """The page loads leaflet.js and leaflet.markercluster.js (map/assets.py): not the -src, ESM or maps."""
    name = PurePosixPath(dest).name
    return dest.startswith("xstatic/pkg/") and (name.endswith(".map") or "-src" in name)


#: Modules left out of the analysis (`excludes` in pare.spec): never imported by the app, measured on the
#: PYZ and the extension modules they brought (docs/packaging.md). A use would fail as "module absent".
UNUSED_MODULES: dict[str, tuple[str, ...]] = {
    # phones.py formats and validates numbers: no geocoding, carrier or time-zone lookups (41 MB source).
    "phonenumbers : géocodage, opérateurs, fuseaux": (
        "phonenumbers.geocoder", "phonenumbers.geodata", "phonenumbers.carrier", "phonenumbers.carrierdata",
        "phonenumbers.timezone", "phonenumbers.tzdata"),
    # numpy loads these lazily (numpy.__getattr__); the index, stats and pyqtgraph's bar charts use none.
    "numpy : random, fft, f2py": ("numpy.random", "numpy.fft", "numpy.f2py"),
    # openpyxl uses lxml.etree only.
    "lxml : objectify, html, isoschematron": ("lxml.objectify", "lxml.html", "lxml.isoschematron"),
    # reportlab imports PIL.Image; no WebP, no colour management (and their vendored libraries).
    "Pillow : WebP, gestion des couleurs": ("PIL._webp", "PIL.WebPImagePlugin", "PIL._imagingcms",
                                           "PIL.ImageCms"),
    # email_validator's deliverability check (DNS), which pydantic never asks for.
    "dnspython": ("dns",),
    "SQLAlchemy : dialectes autres que SQLite": (
        "sqlalchemy.dialects.postgresql", "sqlalchemy.dialects.mysql", "sqlalchemy.dialects.oracle",
        "sqlalchemy.dialects.mssql"),
    # Imports read UTF-8, UTF-16 and cp1252 (importers/csv_format.py): no Asian codecs.
    "codecs asiatiques de Python": ("_codecs_jp", "_codecs_kr", "_codecs_cn", "_codecs_tw", "_codecs_hk",
                                    "_codecs_iso2022", "_multibytecodec"),
    "textes d'aide de pydoc": ("pydoc_data",),
}


#: numpy 1.x imports random and fft in its __init__ (numpy 2 loads them lazily): the Windows build's numpy
#: 1.26 (wine 8 cannot run numpy 2) keeps them; f2py stays out either way.
_NUMPY_1_KEEPS = {"numpy.random", "numpy.fft"}


def _numpy_major() -> int:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return int(version("numpy").split(".")[0])
    except (PackageNotFoundError, ValueError):
        return 2


def unused_modules() -> list[str]:
    """The flat `excludes` list of UNUSED_MODULES (for the numpy that builds: see _NUMPY_1_KEEPS)."""
    keep = _NUMPY_1_KEEPS if _numpy_major() < 2 else set()
    return [m for group in UNUSED_MODULES.values() for m in group if m not in keep]


RULES: tuple[Rule, ...] = (
    ("arbre QML (PySide6/Qt/qml, PySide6/qml)", lambda d: _under(d, "qml/")),
    ("locales Chromium sauf fr et en-US", _webengine_locale),
    ("outils de développement WebEngine (devtools .pak)",
     lambda d: d.endswith("qtwebengine_devtools_resources.pak")),
    # The Windows wheel ships the debug build's WebEngine resources beside the release ones; the release
    # Qt6WebEngineCore.dll names only qtwebengine_resources*.pak and v8_context_snapshot.bin (its strings).
    ("ressources WebEngine de la version de débogage (Windows : *.debug.pak, *.debug.bin)",
     lambda d: _under(d, "resources/") and d.endswith((".debug.pak", ".debug.bin"))),
    ("traductions Qt sauf fr et en", _qt_translation),
    ("pile GTK (thème gtk3 et ses bibliothèques)", _gtk),
    ("dossiers de greffons Qt inutilisés", _unused_plugin_dir),
    ("greffons Qt inutilisés (eglfs, vnc, linuxfb...)", _unused_plugin),
    ("outils Qt de compilation (libexec sauf QtWebEngineProcess)",
     lambda d: _under(d, "libexec/") and not d.endswith("QtWebEngineProcess")),
    ("métatypes et en-têtes Qt", lambda d: _under(d, "metatypes/") or d.startswith((
        "PySide6/include/", "PySide6/typesystems/", "PySide6/glue/"))),
    # Issue 14 item 6 (bundle ≤ 450 MB): what the app never loads, each measured in docs/packaging.md.
    ("liaisons PySide6 jamais importées (QtQuick, QtQml, QtQuickWidgets, QtPositioning, QtDBus, QtTest)",
     lambda d: bool(_UNUSED_BINDING.match(d))),
    ("formats d'image Qt inutilisés (tiff, webp, icns, tga, wbmp)", _unused_image_format),
    ("sources et cartes de sources Leaflet (-src.js, .map, ESM)", _leaflet_source),
    ("logos pyqtgraph (peegee : pour mkQApp, que l'app n'appelle pas)",
     lambda d: d.startswith("pyqtgraph/icons/peegee/")),
    ("polices de démonstration reportlab (DarkGarden, callig15)",
     lambda d: d.startswith(("reportlab/fonts/DarkGarden", "reportlab/fonts/callig15"))),
    # The print plugin stays: it finds the system's libcups (with its gnutls, avahi...) as the system does.
    ("libcups (celle du système : sa pile gnutls, avahi, p11-kit part avec les orphelines)",
     lambda d: d == "libcups.so.2"),
    ("rapidfuzz : variantes AVX2 (repli sur les modules de base)", lambda d: bool(_RAPIDFUZZ_AVX2.match(d))),
    ("libsystemd et libgcrypt (celles du système, comme libcups)",
     lambda d: d in _SYSTEM_LIBS),
)
ORPHANS = "bibliothèques qu'aucun binaire gardé ne lie plus (Qt, dépendances des piles GTK et CUPS)"


def _size(src: str) -> int:
    try:
        return os.path.getsize(src)
    except OSError:
        return 0


_DT_NEEDED = re.compile(r"\(NEEDED\).*\[(.+)\]")


def _needed(path: str) -> set[str]:
    """Basenames of the shared libraries an ELF file links to directly (its DT_NEEDED entries; empty when
    not ELF or unreadable); for a Windows PE file, the DLLs it imports or delay-loads, lower-case.
    Direct, not ldd's closure: a library the closure reaches only through one the system provides
    (libcups for the print plugin) must not keep its bundled dependencies alive; the fixpoint in
    drop_orphan_libs follows the bundled chains."""
    import shutil
    import subprocess

    if path.lower().endswith((".dll", ".pyd", ".exe")):
        import pe_imports

        return pe_imports.dll_imports(path)
    if shutil.which("readelf") is None:  # PyInstaller's ldd-based closure: keeps more, never less
        try:
            from PyInstaller.depend.bindepend import get_imports

            return {os.path.basename(name) for name, _ in get_imports(path)}
        except Exception:
            return set()
    try:
        out = subprocess.run(["readelf", "-d", "-W", path], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return set()
    return {m.group(1) for m in _DT_NEEDED.finditer(out)}


#: Windows DLLs that Qt loads by name at run time (LoadLibrary), so no import table lists them: the
#: software OpenGL fallback (no GPU driver, remote desktop) and the shader compiler of the Direct3D backend.
_LOADED_BY_NAME = {"opengl32sw.dll", "d3dcompiler_47.dll"}


def _is_lib(dest: str) -> bool:
    """A shared library that was collected as a dependency: a Qt library, or a system one at the top.

    Windows (`dest` normalised to '/'): a DLL directly in PySide6/ (Qt6*.dll, the MSVC runtime, FFmpeg's
    avcodec...) or at the top of _internal/, except python3*.dll (the bootloader and abi3 modules load
    them) and the DLLs Qt loads by name.
    """
    name = os.path.basename(dest)
    if name.lower().endswith(".dll"):
        folder = dest.rsplit("/", 1)[0] if "/" in dest else ""
        low = name.lower()
        return folder in ("", "PySide6") and not low.startswith("python") and low not in _LOADED_BY_NAME
    if name.startswith("libpython"):  # loaded by the bootloader itself
        return False
    vendored = "/" in dest and dest.rsplit("/", 2)[-2].endswith(".libs")  # numpy.libs/, pillow.libs/
    is_lib = bool(re.match(r"lib.+\.so(\.|$)", name))
    return is_lib and (name.startswith("libQt6") or "/" not in dest or vendored)


def _is_binary(dest: str) -> bool:
    """A file whose links count: ELF (.so, QtWebEngineProcess) or PE (.dll, .pyd, .exe)."""
    return (dest.endswith((".so", "QtWebEngineProcess")) or ".so." in dest
            or dest.lower().endswith((".dll", ".pyd", ".exe")))


def drop_orphan_libs(entries: list[Entry], report: dict[str, list[int]]) -> list[Entry]:
    """Drop libraries (Qt's, or system ones) that no kept binary needs any more, to a fixpoint.

    Roots are what Python or Qt load by name: extension modules, plugins, QtWebEngineProcess.
    Windows entries use '\\' and DLL names are case-insensitive: paths are normalised, PE names lower-cased.
    """
    cache: dict[str, set[str]] = {}

    def orphan(dest: str, needed: set[str]) -> bool:
        d = dest.replace("\\", "/")
        name = os.path.basename(d)
        return _is_lib(d) and (name.lower() if name.lower().endswith(".dll") else name) not in needed

    while True:
        needed: set[str] = set()
        for dest, src, _ in entries:
            if _is_binary(dest.replace("\\", "/")):
                if src not in cache:
                    cache[src] = _needed(src)
                needed |= cache[src]
        orphans = {d for d, _, _ in entries if orphan(d, needed)}
        if not orphans:
            return entries
        kept = []
        for e in entries:
            if e[0] in orphans:
                report[ORPHANS][0] += 1
                report[ORPHANS][1] += _size(e[1])
            else:
                kept.append(e)
        entries = kept


def drop_dangling_symlinks(binaries: list[Entry], datas: list[Entry]) -> tuple[list[Entry], list[Entry], int]:
    """Drop the SYMLINK entries (PyInstaller links libQt6*.so at the top) whose target was filtered out."""
    present = {d.replace(os.sep, "/") for d, _, t in [*binaries, *datas] if t != "SYMLINK"}

    def alive(e: Entry) -> bool:
        if e[2] != "SYMLINK":
            return True
        dest = e[0].replace(os.sep, "/")
        target = os.path.normpath(os.path.join(os.path.dirname(dest), e[1].replace(os.sep, "/")))
        return target.replace(os.sep, "/") in present

    b, d = [e for e in binaries if alive(e)], [e for e in datas if alive(e)]
    return b, d, len(binaries) + len(datas) - len(b) - len(d)


_ICU_CODE = re.compile(r"libicu(uc|i18n)\.so")
STRIPPED = "symboles retirés (strip : libpython, extensions, ICU de Qt ; pas les *.libs/ d'auditwheel)"


def strip_debug(entries: list[Entry], workdir: str) -> tuple[list[Entry], int, int]:
    """Entries whose ELF file carries symbols point to a `strip --strip-unneeded` copy; (files, bytes saved).

    Not PyInstaller's strip=True: stripping the auditwheel-patched libraries of numpy.libs/ broke their
    ELF layout ("load command address/offset not page-aligned", measured). Qt's libraries come stripped.
    """
    import shutil
    import subprocess

    if shutil.which("strip") is None:
        return entries, 0, 0
    saved = files = 0
    out: list[Entry] = []
    for dest, src, kind in entries:
        d = dest.replace(os.sep, "/")
        qt_own = d.startswith(_QT) and not _ICU_CODE.match(PurePosixPath(d).name)  # Qt's ICU comes unstripped
        eligible = kind in ("BINARY", "EXTENSION") and not qt_own and not (
            "/" in d and d.rsplit("/", 2)[-2].endswith(".libs"))
        if eligible and _has_debug_info(src):
            copy = os.path.join(workdir, "stripped", d)
            os.makedirs(os.path.dirname(copy), exist_ok=True)
            if not os.path.exists(copy) or os.path.getmtime(copy) < os.path.getmtime(src):
                shutil.copy2(src, copy)
                subprocess.run(["strip", "--strip-unneeded", copy], check=True)
            saved += _size(src) - _size(copy)
            files += 1
            out.append((dest, copy, kind))
        else:
            out.append((dest, src, kind))
    return out, files, saved


def _has_debug_info(path: str) -> bool:
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return False
    return data[:4] == b"\x7fELF" and (b".debug_info" in data or b".symtab" in data)


def apply(entries: Iterable[Entry], *, prune_orphans: bool) -> tuple[list[Entry], dict[str, list[int]]]:
    """The entries to keep, and per rule [files dropped, bytes dropped]."""
    report: dict[str, list[int]] = {name: [0, 0] for name, _ in RULES}
    report[ORPHANS] = [0, 0]
    kept: list[Entry] = []
    for entry in entries:
        dest = entry[0].replace(os.sep, "/")
        rule = next((name for name, match in RULES if match(dest)), None)
        if rule is None:
            kept.append(entry)
        else:
            report[rule][0] += 1
            report[rule][1] += _size(entry[1])
    if prune_orphans:
        kept = drop_orphan_libs(kept, report)
    return kept, report
