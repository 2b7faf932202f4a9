"""pare.spec and its filters: the version comes from one place, and each exclusion rule hits what it names."""

from __future__ import annotations

import ast
import configparser
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pare_desktop import __version__

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import bundle_filters  # noqa: E402

QT = "PySide6/Qt/"


def test_the_bundle_version_is_parsed_from_the_package() -> None:
    import bundle

    assert bundle.version() == __version__
    assert bundle.archive_path().name.startswith(f"pare-desktop-{__version__}-linux-")
    spec = (ROOT / "pare.spec").read_text()
    assert "__version__" in spec and "import pare_desktop" not in spec
    ast.parse(spec)


def rule_of(dest: str) -> str | None:
    return next((name for name, match in bundle_filters.RULES if match(dest)), None)


def test_each_rule_drops_what_it_names_and_keeps_what_the_app_needs() -> None:
    dropped = [
        QT + "qml/QtQuick/Controls/libqtquickcontrols2plugin.so",
        QT + "translations/qtwebengine_locales/de.pak",
        QT + "resources/locales/ja.pak",
        QT + "resources/qtwebengine_devtools_resources.pak",
        QT + "translations/qtbase_de.qm",
        QT + "plugins/platformthemes/libqgtk3.so",
        "libgtk-3.so.0",
        QT + "plugins/sqldrivers/libqsqlite.so",
        QT + "plugins/platforms/libqvnc.so",
        QT + "libexec/rcc",
    ]
    kept = [
        QT + "translations/qtwebengine_locales/fr.pak",
        QT + "resources/locales/en-US.pak",
        QT + "resources/qtwebengine_resources.pak",
        QT + "resources/icudtl.dat",
        QT + "translations/qtbase_fr.qm",
        QT + "translations/qtwebengine_en.qm",
        QT + "plugins/platforms/libqxcb.so",
        QT + "plugins/platforms/libqoffscreen.so",
        QT + "plugins/platforms/libqwayland.so",
        QT + "plugins/xcbglintegrations/libqxcb-glx-integration.so",
        QT + "plugins/imageformats/libqsvg.so",
        QT + "plugins/printsupport/libcupsprintersupport.so",
        QT + "libexec/QtWebEngineProcess",
        QT + "lib/libQt6WebEngineCore.so.6",
        "libglib-2.0.so.0",
        "resources/referentials/territories.json",
    ]
    assert [d for d in dropped if rule_of(d) is None] == []
    assert {d: rule_of(d) for d in kept if rule_of(d) is not None} == {}


def test_rules_cover_the_windows_layout_too() -> None:
    """The Windows wheel has no Qt/ level (PySide6/qml, PySide6/plugins...): the same rules apply there."""
    dropped = [
        "PySide6/qml/QtQuick/Controls/qtquickcontrols2plugin.dll",
        "PySide6/translations/qtwebengine_locales/de.pak",
        "PySide6/resources/locales/ja.pak",
        "PySide6/translations/qtbase_de.qm",
        "PySide6/plugins/sqldrivers/qsqlite.dll",
        "PySide6/plugins/platforms/qminimal.dll",
        "PySide6/metatypes/qt6core_relwithdebinfo_metatypes.json",
        # the debug build's WebEngine resources (the release Qt6WebEngineCore.dll names no .debug file)
        "PySide6/resources/qtwebengine_devtools_resources.debug.pak",
        "PySide6/resources/qtwebengine_resources.debug.pak",
        "PySide6/resources/qtwebengine_resources_200p.debug.pak",
        "PySide6/resources/v8_context_snapshot.debug.bin",
    ]
    kept = [
        "PySide6/translations/qtwebengine_locales/fr.pak",
        "PySide6/resources/qtwebengine_resources.pak",
        "PySide6/resources/qtwebengine_resources_200p.pak",
        "PySide6/resources/v8_context_snapshot.bin",
        "PySide6/resources/icudtl.dat",
        "PySide6/translations/qtbase_fr.qm",
        "PySide6/plugins/platforms/qwindows.dll",
        "PySide6/plugins/platforms/qoffscreen.dll",
        "PySide6/plugins/imageformats/qsvg.dll",
        "PySide6/QtWebEngineProcess.exe",
        "PySide6/Qt6WebEngineCore.dll",
        "PySide6/QtCore.pyd",
    ]
    assert [d for d in dropped if rule_of(d) is None] == []
    assert {d: rule_of(d) for d in kept if rule_of(d) is not None} == {}


def test_apply_reports_files_and_bytes_per_rule(tmp_path: Path) -> None:
    src = tmp_path / "x.pak"
    src.write_bytes(b"0" * 1000)
    kept, report = bundle_filters.apply([(QT + "resources/locales/de.pak", str(src), "DATA"),
                                         (QT + "resources/locales/fr.pak", str(src), "DATA")],
                                        prune_orphans=False)
    assert [k[0] for k in kept] == [QT + "resources/locales/fr.pak"]
    assert report["locales Chromium sauf fr et en-US"] == [1, 1000]


def test_desktop_entry_is_valid() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(ROOT / "resources" / "app" / "pare-desktop.desktop", encoding="utf-8")
    d = entry["Desktop Entry"]
    assert d["Name"] == "PARÉ Desktop" and d["Type"] == "Application" and d["Icon"] == "pare-desktop"
    assert d["Categories"] == "Office;Education;" and d["Exec"].startswith("pare")
    assert d["Comment"]


def test_symlinks_to_dropped_files_go_too() -> None:
    binaries = [(QT + "lib/libQt6Core.so.6", "/x/libQt6Core.so.6", "BINARY"),
                ("libQt6Core.so.6", QT + "lib/libQt6Core.so.6", "SYMLINK"),
                ("libQt6Charts.so.6", QT + "lib/libQt6Charts.so.6", "SYMLINK")]
    kept, datas, dropped = bundle_filters.drop_dangling_symlinks(binaries, [])
    assert [e[0] for e in kept] == [QT + "lib/libQt6Core.so.6", "libQt6Core.so.6"]
    assert dropped == 1 and datas == []


def test_strip_leaves_vendored_wheel_libraries_alone(tmp_path: Path) -> None:
    """PyInstaller's strip=True broke numpy.libs/ (auditwheel): those must keep their bytes."""
    lib = tmp_path / "libfake.so"
    lib.write_bytes(b"\x7fELF" + b"\0" * 64 + b".symtab")
    entries = [("numpy.libs/libscipy_openblas.so", str(lib), "BINARY"),
               (QT + "lib/libQt6Core.so.6", str(lib), "BINARY")]
    out, files, saved = bundle_filters.strip_debug(entries, str(tmp_path / "work"))
    assert out == entries and files == 0 and saved == 0


def test_size_rules_drop_what_the_app_never_loads_in_both_layouts() -> None:
    dropped = [
        "PySide6/QtQuick.abi3.so", "PySide6/QtQml.abi3.so", "PySide6/QtPositioning.pyd",
        "PySide6/QtDBus.abi3.so", "PySide6/QtTest.abi3.so", "PySide6/QtTest.pyd",
        "rapidfuzz/fuzz_cpp_avx2.cpython-311-x86_64-linux-gnu.so",
        "rapidfuzz/distance/metrics_cpp_avx2.cpython-311-x86_64-linux-gnu.so",
        "rapidfuzz/distance/metrics_cpp_avx2.cp311-win_amd64.pyd", "libsystemd.so.0", "libgcrypt.so.20",
        QT + "plugins/imageformats/libqtiff.so", "PySide6/plugins/imageformats/qwebp.dll",
        "xstatic/pkg/leaflet/data/leaflet-src.js", "xstatic/pkg/leaflet/data/leaflet.js.map",
        "xstatic/pkg/leaflet/data/leaflet-src.esm.js",
        "xstatic/pkg/leaflet_markercluster/data/leaflet.markercluster-src.js",
        "pyqtgraph/icons/peegee/peegee_512px.png", "reportlab/fonts/DarkGarden.sfd", "libcups.so.2",
    ]
    kept = [
        "PySide6/QtWebEngineCore.abi3.so", "PySide6/QtOpenGL.abi3.so", "PySide6/QtOpenGLWidgets.abi3.so",
        "PySide6/QtPrintSupport.pyd", "PySide6/QtWebChannel.abi3.so",
        "rapidfuzz/fuzz_cpp.cpython-311-x86_64-linux-gnu.so",
        "rapidfuzz/process_cpp_impl.cp311-win_amd64.pyd",
        "rapidfuzz/distance/metrics_cpp.cpython-311-x86_64-linux-gnu.so",
        "rapidfuzz/_feature_detector_cpp.pyd",
        QT + "lib/libQt6Quick.so.6", QT + "lib/libQt6Positioning.so.6", QT + "lib/libQt6DBus.so.6",
        QT + "plugins/imageformats/libqsvg.so", QT + "plugins/imageformats/libqjpeg.so",
        "PySide6/plugins/imageformats/qico.dll", QT + "plugins/printsupport/libcupsprintersupport.so",
        "xstatic/pkg/leaflet/data/leaflet.js", "xstatic/pkg/leaflet/data/leaflet.css",
        "xstatic/pkg/leaflet/data/images/marker-icon.png",
        "xstatic/pkg/leaflet_markercluster/data/leaflet.markercluster.js",
        "xstatic/pkg/leaflet_markercluster/data/MarkerCluster.Default.css",
        "pyqtgraph/icons/auto.png", "reportlab/fonts/_a______.pfb", "reportlab/fonts/Vera.ttf",
    ]
    assert [d for d in dropped if rule_of(d) is None] == []
    assert {d: rule_of(d) for d in kept if rule_of(d) is not None} == {}


def test_the_map_page_loads_no_file_a_rule_drops() -> None:
    from pare_desktop.map import assets

    for url in (*assets.SCRIPTS, *assets.STYLES):
        parts = url.split("/")
        if parts[1] in ("leaflet", "markercluster"):
            pkg = {"leaflet": "leaflet", "markercluster": "leaflet_markercluster"}[parts[1]]
            assert rule_of(f"xstatic/pkg/{pkg}/data/{'/'.join(parts[2:])}") is None, url


PROBE = """
import importlib, pkgutil, sys
import pare_desktop
for m in pkgutil.walk_packages(pare_desktop.__path__, "pare_desktop."):
    importlib.import_module(m.name)
import pyqtgraph, reportlab.platypus, openpyxl, phonenumbers
from pare_desktop.core.phones import normalize_phone
normalize_phone("0269 61 00 00", "976")
print("\\n".join(sorted(sys.modules)))
"""


def test_no_module_left_out_is_imported_by_the_app() -> None:
    """Every module in `excludes` (UNUSED_MODULES): importing every pare_desktop module loads none of them."""
    import os

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=300,
                         check=True).stdout.split()
    loaded = [m for m in out for ex in bundle_filters.unused_modules() if m == ex or m.startswith(ex + ".")]
    assert loaded == []
    assert "lxml.etree" in out and "numpy.linalg" in out  # what stays is what is used


BINUTILS = all(shutil.which(t) for t in ("as", "ld", "readelf"))


@pytest.mark.skipif(not sys.platform.startswith("linux") or not BINUTILS,
                    reason="tiny ELF libraries are linked with binutils")
def test_orphans_follow_direct_links_so_a_system_library_keeps_nothing_alive(tmp_path: Path) -> None:
    """The print plugin links the system's libcups (not bundled); libcups' gnutls must not stay for it."""
    empty = tmp_path / "empty.o"
    (tmp_path / "empty.s").write_text('\t.section .note.GNU-stack,"",@progbits\n')
    subprocess.run(["as", "-o", str(empty), str(tmp_path / "empty.s")], check=True)

    def lib(name: str, *needs: str) -> str:
        out = tmp_path / name
        subprocess.run(["ld", "-shared", "-soname", name, "-o", str(out), str(empty),
                        *[str(tmp_path / n) for n in needs]], check=True)
        return str(out)

    gnutls, dep = lib("libgnutls.so.30"), lib("libdep.so.1")
    lib("libcups.so.2", "libgnutls.so.30")
    qt = lib("libQt6Fake.so.6", "libdep.so.1")
    plugin = lib("libcupsprintersupport.so", "libcups.so.2", "libQt6Fake.so.6")
    entries = [(QT + "plugins/printsupport/libcupsprintersupport.so", plugin, "BINARY"),
               ("libQt6Fake.so.6", qt, "BINARY"), ("libdep.so.1", dep, "BINARY"),
               ("libgnutls.so.30", gnutls, "BINARY")]
    report = {bundle_filters.ORPHANS: [0, 0]}
    kept = bundle_filters.drop_orphan_libs(entries, report)
    assert [e[0] for e in kept] == [QT + "plugins/printsupport/libcupsprintersupport.so", "libQt6Fake.so.6",
                                    "libdep.so.1"]
    assert report[bundle_filters.ORPHANS][0] == 1


def test_numpy_1_keeps_the_modules_its_init_imports(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Windows build's numpy 1.26 imports numpy.random and numpy.fft in its __init__ (numpy 2 lazily):
    excluding them there made every frozen command fail (« cannot import name 'fft' »)."""
    monkeypatch.setattr(bundle_filters, "_numpy_major", lambda: 1)
    assert "numpy.fft" not in bundle_filters.unused_modules()
    assert "numpy.random" not in bundle_filters.unused_modules()
    assert "numpy.f2py" in bundle_filters.unused_modules()
    monkeypatch.setattr(bundle_filters, "_numpy_major", lambda: 2)
    assert {"numpy.fft", "numpy.random", "numpy.f2py"} <= set(bundle_filters.unused_modules())
