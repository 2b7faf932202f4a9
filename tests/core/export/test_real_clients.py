"""Exports as real clients read them: national phone forms, ordinary permissions, GeoJSON nulls, embedded
PDF fonts; LibreOffice and GDAL's ogrinfo open the files when they are installed (skipped otherwise)."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from pare_desktop.core.export import export, fonts
from pare_desktop.core.records import Phone, Structure


@pytest.fixture()
def caribbean(hostile: Structure) -> Structure:
    """An overseas record with a mainland fiction number stored the old way (« +33 3 53 01 31 40 »)."""
    return replace(hostile, departement="971", region="01", phones=(
        Phone("+33353013140", "+33 3 53 01 31 40", "Standard"), Phone("+262269610000", "+262 269 61 00 00"),
        Phone("116006", "116 006", "France Victimes")), age_min=12, age_max=None, website="")


def test_french_outputs_show_national_numbers(tmp_path: Path, caribbean: Structure) -> None:
    out = tmp_path / "c.csv"
    export([caribbean], "csv", out)
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["téléphones"] == "Standard : 03 53 01 31 40 | 0269 61 00 00 | France Victimes : 116 006"
    assert row["téléphones à composer"] == "tel:+33353013140 | tel:+262269610000 | tel:116006"
    pdf = tmp_path / "c.pdf"
    export([caribbean], "pdf", pdf)
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "03 53 01 31 40" in text and "+33 3 53" not in text
    vcf = tmp_path / "c.vcf"
    export([caribbean], "vcard", vcf)
    assert "tel:+33353013140" in vcf.read_text(encoding="utf-8")  # the vCard keeps E.164


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "vcard", "pdf", "geojson"])
def test_exported_files_get_ordinary_permissions(tmp_path: Path, caribbean: Structure, fmt: str) -> None:
    old = os.umask(0o022)
    try:
        out = tmp_path / f"export.{fmt}"
        export([caribbean], fmt, out)
        assert out.stat().st_mode & 0o777 == 0o644
        out.chmod(0o600)  # a file the user made private stays private when exported over
        export([caribbean], fmt, out)
        assert out.stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(old)


def test_geojson_writes_null_and_numbers(tmp_path: Path, caribbean: Structure) -> None:
    out = tmp_path / "c.geojson"
    export([caribbean], "geojson", out)
    props = json.loads(out.read_text(encoding="utf-8"))["features"][0]["properties"]
    assert props["age_min"] == 12 and props["age_max"] is None
    assert props["site_web"] is None
    assert "" not in props.values()


def test_pdf_fonts_are_embedded(tmp_path: Path, records: list[Structure],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "dejavu.pdf"
    export(records, "pdf", out)
    assert b"Helvetica" not in out.read_bytes() and b"/FontFile2" in out.read_bytes()
    # without DejaVu installed: Bitstream Vera, which reportlab ships, embedded too
    monkeypatch.setattr(fonts, "FONT_DIRS", ())
    fonts.pdf_fonts.cache_clear()
    try:
        out = tmp_path / "vera.pdf"
        export(records, "pdf", out)
        data = out.read_bytes()
        assert b"Helvetica" not in data and b"Vera" in data and b"/FontFile2" in data
    finally:
        fonts.pdf_fonts.cache_clear()


@pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")),
                    reason="LibreOffice absent")
def test_csv_export_opens_in_libreoffice_without_formula(tmp_path: Path, records: list[Structure]) -> None:
    src = tmp_path / "export.csv"
    export(records, "csv", src)
    office = shutil.which("soffice") or shutil.which("libreoffice")
    assert office is not None
    subprocess.run([office, "--headless", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                    "--infilter=CSV:59,34,76,1", "--convert-to", "ods", "--outdir", str(tmp_path), str(src)],
                   check=True, capture_output=True, timeout=180)
    content = zipfile.ZipFile(tmp_path / "export.ods").read("content.xml").decode()
    assert "table:formula" not in content


@pytest.mark.skipif(not shutil.which("ogrinfo"), reason="GDAL absent")
def test_geojson_export_opens_in_gdal(tmp_path: Path, records: list[Structure]) -> None:
    out = tmp_path / "export.geojson"
    export(records, "geojson", out)
    info = subprocess.run(["ogrinfo", "-ro", "-al", "-so", str(out)], capture_output=True, text=True,
                          check=True, timeout=60).stdout
    located = len(json.loads(out.read_text(encoding="utf-8"))["features"])
    assert located > 10 and f"Feature Count: {located}" in info
    assert "age_min: Integer" in info
