"""The DLL names a Windows PE file imports (import and delay-import tables), read with the stdlib only.

The `readelf -d` of Windows for the bundle's orphan pass (bundle_filters.drop_orphan_libs): it runs inside
the Windows Python under wine (pare.spec) and on Linux (tests), reads only the headers and the name strings
(a 200 MB Qt6WebEngineCore.dll costs a few seeks). A file that is not PE gives no names; a PE file whose
tables cannot be read raises (the orphan pass must never drop a DLL because a reader gave up).
"""

from __future__ import annotations

import struct
from typing import BinaryIO

_IMPORT, _DELAY_IMPORT = 1, 13  # data directory indices


def dll_imports(path: str) -> set[str]:
    """Lower-case names of the DLLs `path` imports, directly or delay-loaded; empty if not a PE file."""
    with open(path, "rb") as f:
        return _read(f)


def _read(f: BinaryIO) -> set[str]:
    dos = f.read(64)
    if len(dos) < 64 or dos[:2] != b"MZ":
        return set()
    (pe,) = struct.unpack_from("<I", dos, 0x3C)
    f.seek(pe)
    if f.read(4) != b"PE\0\0":
        return set()
    _machine, n_sections, _, _, _, opt_size, _ = struct.unpack("<HHIIIHH", f.read(20))
    opt_start = f.tell()
    opt = f.read(opt_size)
    (magic,) = struct.unpack_from("<H", opt, 0)
    dirs_at = {0x10B: 96, 0x20B: 112}.get(magic)  # PE32, PE32+
    if dirs_at is None:
        raise ValueError(f"en-tête PE optionnel inconnu ({magic:#x})")
    image_base = struct.unpack_from("<Q" if magic == 0x20B else "<I", opt, 24 if magic == 0x20B else 28)[0]
    (n_dirs,) = struct.unpack_from("<I", opt, dirs_at - 4)
    directories = [struct.unpack_from("<II", opt, dirs_at + 8 * i) for i in range(min(n_dirs, 16))]
    f.seek(opt_start + opt_size)
    sections = []
    for _ in range(n_sections):
        raw = f.read(40)
        vsize, vaddr, rsize, roff = struct.unpack_from("<IIII", raw, 8)
        sections.append((vaddr, max(vsize, rsize), roff))

    def offset(rva: int) -> int:
        for vaddr, size, roff in sections:
            if vaddr <= rva < vaddr + size:
                return int(rva - vaddr + roff)
        raise ValueError(f"RVA {rva:#x} hors des sections")

    def name_at(rva: int) -> str:
        if not rva:
            raise ValueError("descripteur d'import sans nom")
        f.seek(offset(rva))
        raw = f.read(256)
        return raw.split(b"\0", 1)[0].decode("ascii", "replace").lower()

    names: set[str] = set()
    # (directory, descriptor size, offset of the DLL name's RVA in a descriptor)
    for index, size, name_field in ((_IMPORT, 20, 12), (_DELAY_IMPORT, 32, 4)):
        if index >= len(directories) or not directories[index][0]:  # (rva, size)
            continue
        rva_dir, dir_size = directories[index]
        pos = offset(rva_dir)
        # The import table ends with a zero descriptor (as the loader reads it); the delay-import table is
        # read by the program's own helper and GNU ld writes no terminator: its size bounds it too.
        count = dir_size // size if index == _DELAY_IMPORT else -1
        while count != 0:
            count -= 1
            f.seek(pos)
            desc = f.read(size)
            if len(desc) < size or not any(desc):
                break
            (rva,) = struct.unpack_from("<I", desc, name_field)
            if index == _DELAY_IMPORT and not desc[0] & 1:  # old-style delay import: addresses, not RVAs
                rva -= image_base
            names.add(name_at(rva))
            pos += size
    return names
