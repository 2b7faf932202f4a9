"""pare.spec and its filters: the version comes from one place, and each exclusion rule hits what it names."""

from __future__ import annotations

import ast
import configparser
import sys
from pathlib import Path

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
    ]
    kept = [
        "PySide6/translations/qtwebengine_locales/fr.pak",
        "PySide6/resources/qtwebengine_resources.pak",
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
