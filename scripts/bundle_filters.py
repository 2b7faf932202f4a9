"""What pare.spec leaves out of PyInstaller's collection, rule by rule, and how many bytes each rule saved.

PyInstaller's Qt hooks collect plugins, QML and translations wholesale; the app uses widgets, QtWebEngine
(and what it links), pyqtgraph and printing. Each rule below is a named predicate on the destination path
of a collected file; `apply()` drops matching entries, then (Linux) drops the Qt libraries no kept binary
links to any more, and returns a report: rule -> (files, bytes). Measured figures: docs/packaging.md.
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


RULES: tuple[Rule, ...] = (
    ("arbre QML (PySide6/Qt/qml, PySide6/qml)", lambda d: _under(d, "qml/")),
    ("locales Chromium sauf fr et en-US", _webengine_locale),
    ("outils de développement WebEngine (devtools .pak)",
     lambda d: d.endswith("qtwebengine_devtools_resources.pak")),
    ("traductions Qt sauf fr et en", _qt_translation),
    ("pile GTK (thème gtk3 et ses bibliothèques)", _gtk),
    ("dossiers de greffons Qt inutilisés", _unused_plugin_dir),
    ("greffons Qt inutilisés (eglfs, vnc, linuxfb...)", _unused_plugin),
    ("outils Qt de compilation (libexec sauf QtWebEngineProcess)",
     lambda d: _under(d, "libexec/") and not d.endswith("QtWebEngineProcess")),
    ("métatypes et en-têtes Qt", lambda d: _under(d, "metatypes/") or d.startswith((
        "PySide6/include/", "PySide6/typesystems/", "PySide6/glue/"))),
)
ORPHANS = "bibliothèques qu'aucun binaire gardé ne lie plus (Qt, dépendances de la pile GTK)"


def _size(src: str) -> int:
    try:
        return os.path.getsize(src)
    except OSError:
        return 0


def _needed(path: str) -> set[str]:
    """Basenames of the shared libraries an ELF file links to (empty when not ELF or unreadable)."""
    try:
        from PyInstaller.depend.bindepend import get_imports

        return {os.path.basename(name) for name, _ in get_imports(path)}
    except Exception:
        return set()


def _is_lib(dest: str) -> bool:
    """A shared library that was collected as a dependency: a Qt library, or a system one at the top."""
    name = os.path.basename(dest)
    if name.startswith("libpython"):  # loaded by the bootloader itself
        return False
    vendored = "/" in dest and dest.rsplit("/", 2)[-2].endswith(".libs")  # numpy.libs/, pillow.libs/
    is_lib = bool(re.match(r"lib.+\.so(\.|$)", name))
    return is_lib and (name.startswith("libQt6") or "/" not in dest or vendored)


def _is_elf(dest: str) -> bool:
    return dest.endswith(".so") or ".so." in dest or dest.endswith("QtWebEngineProcess")


def drop_orphan_libs(entries: list[Entry], report: dict[str, list[int]]) -> list[Entry]:
    """Drop libraries (Qt's, or system ones) that no kept binary needs any more, to a fixpoint.

    Roots are what Python or Qt load by name: extension modules, plugins, QtWebEngineProcess.
    """
    cache: dict[str, set[str]] = {}
    while True:
        needed: set[str] = set()
        for dest, src, _ in entries:
            if _is_elf(dest):
                if src not in cache:
                    cache[src] = _needed(src)
                needed |= cache[src]
        orphans = {d for d, _, _ in entries if _is_lib(d) and os.path.basename(d) not in needed}
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


STRIPPED = "symboles retirés (strip : libpython, extensions ; pas les *.libs/ d'auditwheel)"


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
        eligible = kind in ("BINARY", "EXTENSION") and not d.startswith(_QT) and not (
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
