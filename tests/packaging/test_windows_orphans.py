"""The orphan pass on the Windows layout: PE import tables read like objdump, '\\' paths, any case of name."""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import bundle_filters  # noqa: E402
import pe_imports  # noqa: E402

MINGW = "x86_64-w64-mingw32-"
TOOLS = all(shutil.which(MINGW + t) for t in ("gcc", "dlltool", "objdump", "nm"))
pytestmark = pytest.mark.skipif(not TOOLS, reason="tiny DLLs are built with Debian's mingw-w64")


def dll(tmp: Path, name: str, *links: str, delay: tuple[str, ...] = (), calls: tuple[str, ...] = ()) -> Path:
    """A DLL exporting f_<stem>(), calling the functions of the DLLs it links (delay-loaded ones too)."""
    stem = name.split(".")[0]
    body = "".join(f"int f_{c}(void);\n" for c in calls)
    total = "".join(f" + f_{c}()" for c in calls)
    body += f"__declspec(dllexport) int f_{stem}(void) {{ return 0{total}; }}\n"
    (tmp / f"{stem}.c").write_text(body)
    out = tmp / name
    libs = [str(tmp / f"{n.split('.')[0]}.dll") for n in links]
    for n in delay:  # an import library that delay-loads n (MSVC's /DELAYLOAD)
        s = n.split(".")[0]
        (tmp / f"{s}.def").write_text(f"LIBRARY {n}\nEXPORTS\n  f_{s}\n")
        subprocess.run([MINGW + "dlltool", "--input-def", str(tmp / f"{s}.def"), "--output-delaylib",
                        str(tmp / f"lib{s}_delay.a"), "--dllname", n], check=True)
        libs.append(str(tmp / f"lib{s}_delay.a"))
    subprocess.run([MINGW + "gcc", "-shared", "-o", str(out), str(tmp / f"{stem}.c"), *libs], check=True)
    if delay:
        point_delay_directory(out, len(delay))
    return out


def point_delay_directory(path: Path, count: int) -> None:
    """GNU ld links the delay-load descriptors but leaves the PE directory entry empty (MSVC, which builds
    Qt, fills it; the program's own helper never reads it): set it as MSVC does."""
    syms = subprocess.run([MINGW + "nm", str(path)], capture_output=True, text=True, check=True).stdout
    addr = min(int(line.split()[0], 16) for line in syms.splitlines() if "__DELAY_IMPORT_DESCRIPTOR" in line)
    data = bytearray(path.read_bytes())
    (pe,) = struct.unpack_from("<I", data, 0x3C)
    optional = pe + 24
    (image_base,) = struct.unpack_from("<Q", data, optional + 24)
    struct.pack_into("<II", data, optional + 112 + 13 * 8, addr - image_base, 32 * count)
    path.write_bytes(bytes(data))


def objdump_imports(path: Path) -> set[str]:
    dump = [MINGW + "objdump", "-p", str(path)]
    out = subprocess.run(dump, capture_output=True, text=True, check=True).stdout
    return {line.split("DLL Name:", 1)[1].strip().lower() for line in out.splitlines() if "DLL Name:" in line}


def test_pe_imports_match_objdump_and_include_delay_loaded_dlls(tmp_path: Path) -> None:
    dll(tmp_path, "Qt6Base.dll")
    dll(tmp_path, "Qt6Late.dll")
    user = dll(tmp_path, "Qt6User.dll", "Qt6Base.dll", delay=("Qt6Late.dll",), calls=("Qt6Base", "Qt6Late"))
    found = pe_imports.dll_imports(str(user))
    assert {"qt6base.dll", "qt6late.dll", "kernel32.dll"} <= found
    assert found == objdump_imports(user) | {"qt6late.dll"}  # objdump -p does not list delay-loaded DLLs
    text = tmp_path / "notes.txt"
    text.write_text("MZ? no, just text")
    assert pe_imports.dll_imports(str(text)) == set()


def test_windows_orphans_go_with_backslash_paths_and_any_case(tmp_path: Path) -> None:
    """A QML plugin was filtered out: the Qt6Quick3D DLL only it imported goes, and so does what only
    Quick3D imported; what a kept plugin imports (under another case) stays, and so do the DLLs Qt loads
    by name and python3*.dll."""
    base = dll(tmp_path, "Qt6Core.dll")
    d3 = dll(tmp_path, "Qt6Quick3DRuntimeRender.dll")
    quick3d = dll(tmp_path, "Qt6Quick3D.dll", "Qt6Quick3DRuntimeRender.dll",
                  calls=("Qt6Quick3DRuntimeRender",))
    gui = dll(tmp_path, "Qt6Gui.dll", "Qt6Core.dll", calls=("Qt6Core",))
    late = dll(tmp_path, "Qt6Late.dll")
    plugin = dll(tmp_path, "qwindows.dll", "Qt6Gui.dll", delay=("Qt6Late.dll",), calls=("Qt6Gui", "Qt6Late"))
    shutil.copy(gui, tmp_path / "QT6GUI.DLL")  # import names and file names may differ in case
    sw = dll(tmp_path, "opengl32sw.dll")
    py3 = dll(tmp_path, "python3.dll")
    entries = [
        ("PySide6\\plugins\\platforms\\qwindows.dll", str(plugin), "BINARY"),
        ("PySide6\\QT6GUI.DLL", str(tmp_path / "QT6GUI.DLL"), "BINARY"),
        ("PySide6\\Qt6Core.dll", str(base), "BINARY"),
        ("PySide6\\Qt6Late.dll", str(late), "BINARY"),
        ("PySide6\\Qt6Quick3D.dll", str(quick3d), "BINARY"),
        ("PySide6\\Qt6Quick3DRuntimeRender.dll", str(d3), "BINARY"),
        ("PySide6\\opengl32sw.dll", str(sw), "BINARY"),
        ("python3.dll", str(py3), "BINARY"),
    ]
    report = {bundle_filters.ORPHANS: [0, 0]}
    kept = [e[0] for e in bundle_filters.drop_orphan_libs(entries, report)]
    assert kept == [e[0] for e in entries if "Quick3D" not in e[0]]
    assert report[bundle_filters.ORPHANS][0] == 2
    assert report[bundle_filters.ORPHANS][1] == d3.stat().st_size + quick3d.stat().st_size


def test_a_dll_in_a_package_folder_is_never_a_candidate(tmp_path: Path) -> None:
    """numpy.libs/, cryptography/... DLLs may be loaded with ctypes: only PySide6/ and the top are pruned."""
    lone = dll(tmp_path, "libopenblas.dll")
    entries = [("numpy.libs\\libopenblas.dll", str(lone), "BINARY")]
    assert bundle_filters.drop_orphan_libs(entries, {bundle_filters.ORPHANS: [0, 0]}) == entries
