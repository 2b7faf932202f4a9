"""ICU data trimmed for the bundle: the package format round-trips, only other languages, dictionaries and
multi-byte tables go, and Qt still sorts French, maps case and names time zones with the trimmed library."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import bundle_icu  # noqa: E402


def item(payload: bytes) -> bytes:
    """A data item with its own 16-byte header."""
    return struct.pack("<H", 16) + b"\xda\x27" + b"\0" * 12 + payload


def converter(output_type: int) -> bytes:
    """A .cnv item: header, UConverterStaticData (structSize 100), _MBCSHeader whose flags say outputType."""
    static = struct.pack("<I", 100) + b"\0" * 96
    mbcs = b"\x05\x03\0\0" + b"\0" * 20 + struct.pack("<I", output_type)
    return item(static + mbcs)


def package(names: list[str]) -> bytes:
    info = struct.pack("<HHBBBB", 20, 0, 0, 0, 2, 0) + b"CmnD" + bytes([1, 0, 0, 0]) + bytes(4)
    header = struct.pack("<H", 32) + b"\xda\x27" + info
    header += b"\0" * (32 - len(header))
    items = []
    for name in sorted(names):
        data = converter(0 if "5348" in name else 1) if name.endswith(".cnv") else item(name.encode() * 3)
        items.append((f"icudt73l/{name}", data))
    return bundle_icu.build(header, items)


NAMES = ["root.res", "pool.res", "fr.res", "fr_CA.res", "en.res", "en_001.res", "de.res", "zh_Hant_TW.res",
         "supplementalData.res", "coll/root.res", "coll/fr.res", "coll/de__PHONEBOOK.res", "coll/de_.res",
         "coll/ucadata.icu", "brkitr/thaidict.dict", "brkitr/line.brk", "zone/en.res", "zone/ja.res",
         "ibm-5348_P100-1997.cnv", "ibm-943_P15A-2003.cnv", "translit/root.res", "cnvalias.icu"]


def names_of(blob: bytes) -> set[str]:
    return {name.split("/", 1)[1] for name, _ in bundle_icu.parse(blob)[1]}


def test_a_package_round_trips_and_keeps_french_english_and_root() -> None:
    blob = package(NAMES)
    header, items = bundle_icu.parse(blob)
    assert bundle_icu.build(header, items) == blob
    trimmed, report = bundle_icu.trim(blob, qt_copy=True)
    assert names_of(trimmed) == {
        "root.res", "pool.res", "fr.res", "fr_CA.res", "en.res", "en_001.res", "supplementalData.res",
        "coll/root.res", "coll/fr.res", "coll/ucadata.icu", "brkitr/line.brk", "zone/en.res",
        "ibm-5348_P100-1997.cnv", "cnvalias.icu"}
    assert report[bundle_icu.OTHER_LOCALES][0] == 5  # de, zh_Hant_TW, coll/de__PHONEBOOK, coll/de_, zone/ja
    assert report[bundle_icu.DICTIONARIES][0] == 1 and report[bundle_icu.CONVERTERS][0] == 1
    assert report[bundle_icu.TRANSLITERATORS][0] == 1
    # the items left are byte for byte the same, each on a 16-byte boundary
    before = dict(items)
    offsets = bundle_icu.parse(trimmed)[1]
    assert all(data.startswith(before[name]) for name, data in offsets)


def test_chromium_copy_keeps_its_converters_and_transliterators() -> None:
    trimmed, report = bundle_icu.trim(package(NAMES), qt_copy=False)
    assert {"ibm-943_P15A-2003.cnv", "translit/root.res"} <= names_of(trimmed)
    assert "brkitr/thaidict.dict" not in names_of(trimmed) and "de.res" not in names_of(trimmed)
    assert bundle_icu.CONVERTERS not in report


def test_not_an_icu_package_is_refused() -> None:
    with pytest.raises(ValueError):
        bundle_icu.parse(b"\x20\0\x7fELF" + b"\0" * 60)


def qt_icudata() -> Path | None:
    import PySide6

    found = sorted(Path(PySide6.__file__).parent.glob("Qt/lib/libicudata.so.*"))
    return found[0] if found else None


PROBE = """
from PySide6.QtCore import QCollator, QLocale, QStringDecoder, QTimeZone
fr = QLocale(QLocale.Language.French, QLocale.Country.France)
words = ["zèbre", "école", "Étienne", "eau", "Œuvre", "oeuf", "côte", "cote", "coté", "côté"]
print(sorted(words, key=QCollator(fr).sortKey))
print(fr.toUpper("straße élève"))
paris = QTimeZone(b"Europe/Paris")
print(paris.displayName(QTimeZone.TimeType.StandardTime, QTimeZone.NameType.LongName, fr))
print(QStringDecoder("windows-1252").isValid(), QStringDecoder("ISO-8859-15").isValid())
"""


@pytest.mark.skipif(not sys.platform.startswith("linux") or not (shutil.which("as") and shutil.which("ld")),
                    reason="the shared library is rebuilt with binutils on Linux")
def test_qt_with_the_trimmed_library_sorts_and_names_in_french_as_before(tmp_path: Path) -> None:
    lib = qt_icudata()
    if lib is None:
        pytest.skip("this PySide6 has no libicudata of its own")
    symbol, blob = bundle_icu.library_data(lib)
    header, items = bundle_icu.parse(blob)
    assert bundle_icu.build(header, items) == blob  # the real package round-trips byte for byte
    trimmed, _ = bundle_icu.trim(blob, qt_copy=True)
    assert len(trimmed) < len(blob) / 4
    out = tmp_path / lib.name
    bundle_icu.icu_library(symbol, lib.name, trimmed, out)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")

    def probe(**extra: str) -> str:
        proc = subprocess.run([sys.executable, "-c", PROBE], env={**env, **extra}, capture_output=True,
                              text=True, timeout=120, check=True)
        return proc.stdout

    before, after = probe(), probe(LD_PRELOAD=str(out))
    assert after == before
    assert "['cote', 'coté', 'côte', 'côté', 'eau', 'école', 'Étienne', 'oeuf', 'Œuvre', 'zèbre']" in after
    assert "True True" in after


def test_apply_points_chromium_data_at_a_trimmed_copy_and_reports_it(tmp_path: Path) -> None:
    source = tmp_path / "icudtl.dat"
    source.write_bytes(package(NAMES))
    other = ("resources/referentials/territories.json", str(tmp_path / "t.json"), "DATA")
    entry = ("PySide6/Qt/resources/icudtl.dat", str(source), "DATA")
    binaries, datas, report = bundle_icu.apply([], [entry, other], str(tmp_path / "work"), log=lambda _: None)
    assert binaries == [] and datas[1] == other
    dest, copy, kind = datas[0]
    assert (dest, kind) == entry[::2] and copy != str(source)
    assert names_of(Path(copy).read_bytes()) >= {"fr.res", "root.res", "ibm-943_P15A-2003.cnv"}
    assert report[f"ICU de Chromium : {bundle_icu.OTHER_LOCALES}"][0] == 5


def test_a_package_that_cannot_be_read_is_shipped_as_it_is(tmp_path: Path) -> None:
    source = tmp_path / "icudtl.dat"
    source.write_bytes(b"not ICU data at all" * 10)
    entry = ("PySide6/resources/icudtl.dat", str(source), "DATA")
    logged: list[str] = []
    _, datas, report = bundle_icu.apply([], [entry], str(tmp_path / "work"), log=logged.append)
    assert datas == [entry] and report == {} and logged
