"""ICU data trimmed to what PARÉ uses: French and English locales, no Asian dictionaries, no legacy tables.

Two copies of ICU's "common data" (format CmnD) ship with QtWebEngine: Qt's own `libicudata.so.NN`
(32 MB, a shared library whose only symbol `icudtNN_dat` is the package) and Chromium's `icudtl.dat`
(10 MB, read by the WebEngine process). Both carry every language of the world. `trim()` rewrites a
package keeping the root, `fr*` and `en*` items of each locale tree; the other locales, the word-break
dictionaries (Chinese, Japanese, Thai, Khmer, Lao, Burmese) and, for Qt's copy only, the legacy
converters and transliterators go. An item that is asked for and missing makes ICU fall back to
root — never a crash. `icu_library()` wraps a trimmed package into a shared library again with `as` and
`ld` (binutils, already needed for `strip`). Measured figures: docs/packaging.md.
"""

from __future__ import annotations

import re
import struct
import subprocess
from collections.abc import Callable
from pathlib import Path

KEEP_LANGUAGES = ("fr", "en")
#: A locale item: a language code of 2-3 letters, then optional script/region/variant subtags.
_LOCALE = re.compile(r"^([a-z]{2,3})(_[A-Za-z0-9]*)*\.res$")  # de_PHONEBOOK is de__PHONEBOOK.res
#: Trees whose .res items are per-locale (the package root holds the main locale data).
_LOCALE_TREES = {"", "coll", "curr", "lang", "region", "unit", "zone", "rbnf", "brkitr"}
_ALIGN = 16

OTHER_LOCALES = "locales autres que fr et en"
DICTIONARIES = "dictionnaires de césure (chinois, japonais, thaï, khmer, lao, birman)"
CONVERTERS = "tables des codages multi-octets (chinois, japonais, coréen, EBCDIC mixte)"
TRANSLITERATORS = "translittérations"


def parse(blob: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """(header, [(item name, item bytes)]) of an ICU common data package (little-endian, offset TOC)."""
    if len(blob) < 32 or blob[2:4] != b"\xda\x27" or blob[12:16] != b"CmnD":
        raise ValueError("pas un paquet de données ICU (CmnD)")
    header_size = struct.unpack_from("<H", blob, 0)[0]
    try:
        count = struct.unpack_from("<I", blob, header_size)[0]
        toc = [struct.unpack_from("<II", blob, header_size + 4 + 8 * i) for i in range(count)]
    except struct.error as exc:
        raise ValueError("paquet de données ICU tronqué") from exc
    items = []
    for i, (name_at, data_at) in enumerate(toc):
        start = header_size + name_at
        name = blob[start:blob.index(b"\0", start)].decode("ascii")
        end = toc[i + 1][1] if i + 1 < count else len(blob) - header_size
        items.append((name, blob[header_size + data_at:header_size + end]))
    return blob[:header_size], items


def build(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    """The package again: same header, items in the same (sorted) order, each aligned on 16 bytes."""
    names = b"".join(name.encode("ascii") + b"\0" for name, _ in items)
    toc_size = 4 + 8 * len(items)
    data_at = toc_size + len(names)
    data_at += -(len(header) + data_at) % _ALIGN
    entries, chunks, name_at, at = [], [], toc_size, data_at
    for name, data in items:
        entries.append(struct.pack("<II", name_at, at))
        name_at += len(name) + 1
        padded = data + b"\xaa" * (-len(data) % _ALIGN)
        chunks.append(padded)
        at += len(padded)
    toc = struct.pack("<I", len(items)) + b"".join(entries) + names
    toc += b"\xaa" * (data_at - len(toc))  # ICU pads with 0xaa
    return header + toc + b"".join(chunks)


def _multibyte_table(data: bytes) -> bool:
    """A converter table whose output is not one byte per character (MBCS header's outputType != 0)."""
    try:
        header: int = struct.unpack_from("<H", data, 0)[0]
        static_size: int = struct.unpack_from("<I", data, header)[0]  # UConverterStaticData.structSize
        flags: int = struct.unpack_from("<I", data, header + static_size + 24)[0]  # _MBCSHeader.flags
    except struct.error:
        return False
    return flags & 0xFF != 0


def reason(name: str, data: bytes = b"", *, qt_copy: bool) -> str | None:
    """Why an item goes ("icudt73l/coll/de.res" -> OTHER_LOCALES), or None when it stays.

    Qt's copy also loses the multi-byte converter tables (QStringDecoder("Shift_JIS")): the one-byte
    ones stay (windows-1252, ISO-8859-15... still decode), as do the UTF and Latin-1 converters (code).
    """
    parts = name.split("/")[1:]  # without the package name (icudt73l)
    leaf, tree = parts[-1], "/".join(parts[:-1])
    if leaf.endswith(".dict"):
        return DICTIONARIES
    if qt_copy and leaf.endswith(".cnv") and _multibyte_table(data):
        return CONVERTERS
    if qt_copy and tree == "translit":
        return TRANSLITERATORS
    match = _LOCALE.match(leaf)
    if tree in _LOCALE_TREES and match and match.group(1) not in KEEP_LANGUAGES:
        return OTHER_LOCALES
    return None


def trim(blob: bytes, *, qt_copy: bool) -> tuple[bytes, dict[str, list[int]]]:
    """The trimmed package and, per reason, [items dropped, bytes dropped]."""
    header, items = parse(blob)
    report: dict[str, list[int]] = {}
    kept = []
    for name, data in items:
        why = reason(name, data, qt_copy=qt_copy)
        if why is None:
            kept.append((name, data))
        else:
            row = report.setdefault(why, [0, 0])
            row[0] += 1
            row[1] += len(data)
    return build(header, kept), report


def library_data(path: Path) -> tuple[str, bytes]:
    """(symbol, package bytes) of a libicudata.so: its one exported object, read from the ELF file."""
    out = subprocess.run(["readelf", "--dyn-syms", "-W", str(path)], capture_output=True, text=True,
                         check=True).stdout
    sym = next(line.split() for line in out.splitlines() if re.search(r"\bicudt\d+_dat\b", line))
    value, size, name = int(sym[1], 16), int(sym[2], 0), sym[7]
    sections = subprocess.run(["readelf", "-S", "-W", str(path)], capture_output=True, text=True,
                              check=True).stdout
    for line in sections.splitlines():
        cols = line.replace("[ ", "[").split()
        if len(cols) > 5 and cols[1] == ".rodata":
            addr, offset = int(cols[3], 16), int(cols[4], 16)
            blob = path.read_bytes()
            start = offset + value - addr
            return name, blob[start:start + size]
    raise ValueError(f"{path} : section .rodata introuvable")


def icu_library(symbol: str, soname: str, package: bytes, out: Path) -> None:
    """A shared library exporting `symbol` = the package (16-byte aligned, read-only), as ICU expects."""
    out.parent.mkdir(parents=True, exist_ok=True)
    dat, asm, obj = out.with_suffix(".dat"), out.with_suffix(".s"), out.with_suffix(".o")
    dat.write_bytes(package)
    asm.write_text(
        f'\t.section .rodata\n\t.globl {symbol}\n\t.type {symbol}, @object\n\t.balign 16\n'
        f'{symbol}:\n\t.incbin "{dat}"\n\t.size {symbol}, . - {symbol}\n'
        '\t.section .note.GNU-stack,"",@progbits\n'
    )
    subprocess.run(["as", "-o", str(obj), str(asm)], check=True)
    subprocess.run(["ld", "-shared", "-soname", soname, "-o", str(out), str(obj)], check=True)


Entry = tuple[str, str, str]


def apply(binaries: list[Entry], datas: list[Entry], workdir: str,
          log: Callable[[str], None] = print) -> tuple[list[Entry], list[Entry], dict[str, list[int]]]:
    """Entries pointing at trimmed copies of Qt's libicudata and Chromium's icudtl.dat; per reason
    [items, bytes] summed over both. A copy that cannot be made leaves the original in place."""
    report: dict[str, list[int]] = {}

    def add(rows: dict[str, list[int]], copy: str) -> None:
        for why, (n, size) in rows.items():
            row = report.setdefault(f"ICU {copy} : {why}", [0, 0])
            row[0] += n
            row[1] += size

    out_dir = Path(workdir, "icu")
    new_bins = []
    for dest, src, kind in binaries:
        name = Path(dest).name
        if kind == "BINARY" and re.match(r"libicudata\.so\.\d+$", name):
            try:
                symbol, package = library_data(Path(src))
                trimmed, rows = trim(package, qt_copy=True)
                target = out_dir / name
                icu_library(symbol, name, trimmed, target)
                add(rows, "de Qt")
                src = str(target)
            except (OSError, ValueError, subprocess.CalledProcessError) as exc:
                log(f"ICU de Qt laissée entière : {exc}")
        new_bins.append((dest, src, kind))
    new_datas = []
    for dest, src, kind in datas:
        if dest.replace("\\", "/").endswith("/icudtl.dat"):
            try:
                trimmed, rows = trim(Path(src).read_bytes(), qt_copy=False)
                target = out_dir / "icudtl.dat"
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(trimmed)
                add(rows, "de Chromium")
                src = str(target)
            except (OSError, ValueError) as exc:
                log(f"ICU de Chromium laissée entière : {exc}")
        new_datas.append((dest, src, kind))
    return new_bins, new_datas, report
