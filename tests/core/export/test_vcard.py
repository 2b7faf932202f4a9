"""vCards parse with vobject and keep accents, commas, semicolons and newlines; lines fold at 75 octets."""

from __future__ import annotations

from pathlib import Path

import pytest
import vobject

from pare_desktop.core.export import CONFIDENTIAL_NOTICE, ExportOptions, export
from pare_desktop.core.export.vcard import escape, fold
from pare_desktop.core.records import Structure


def test_escape_and_fold() -> None:
    assert escape("a\\b,c;d\ne") == "a\\\\b\\,c\\;d\\ne"
    line = "NOTE:" + "é" * 100
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line  # no character split


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_cards_round_trip(tmp_path: Path, records: list[Structure], hostile: Structure, version: str) -> None:
    out = tmp_path / "a.vcf"
    n = export(records, "vcard", out, ExportOptions(vcard_version=version))
    raw = out.read_bytes()
    lines = raw.split(b"\r\n")
    assert all(len(x) <= 75 for x in lines)
    assert b"\n" not in raw.replace(b"\r\n", b"")
    raw.decode("utf-8")  # folding never cut a character
    cards = list(vobject.readComponents(raw.decode("utf-8")))
    assert len(cards) == n
    card = cards[0]
    assert card.version.value == version
    assert card.fn.value == hostile.name  # accents, commas, semicolons, quotes, markup kept as text
    note = card.note.value
    assert hostile.description in note
    assert "\nligne 2 ; a, b \\ c\n" in note
    assert "Écoute, information, orientation" in note
    tels = [t.value for t in card.contents["tel"]]
    if version == "4.0":
        assert tels == ["tel:+262262123456", "tel:+33261917770"]
        assert card.tel.params["VALUE"] == ["uri"]
    else:
        assert tels == ["+262262123456", "+33261917770"]
    assert "0262 99 99 99" not in raw.decode()
    adr = card.adr.value
    assert adr.city == "Saint-Denis" and adr.code == hostile.postal_code
    assert adr.street == '+33 rue "des Écoliers", -bât. B; porte 2'
    assert card.email.value == hostile.emails[0]
    assert card.url.value == hostile.website
    assert "PARÉ" in card.categories.value


def test_confidential_cards_say_so(tmp_path: Path, records: list[Structure]) -> None:
    out = tmp_path / "c.vcf"
    export(
        records, "vcard", out, ExportOptions(include_confidential=True, pro_mode=True, vcard_version="3.0")
    )
    card = next(vobject.readComponents(out.read_text(encoding="utf-8")))
    assert card.note.value.startswith(CONFIDENTIAL_NOTICE)
    assert card.contents["class"][0].value == "CONFIDENTIAL"
    assert "+262262999999" in [t.value for t in card.contents["tel"]]
