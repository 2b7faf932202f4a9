"""A line decoded as a PlainStructure is a plain structure the usual path accepts; the scan stays the same."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from data_inclusion.schema import v1

from benchmarks.bench_import import split_datainclusion, write_datainclusion
from benchmarks.di_varied import write_varied
from pare_desktop.core.importers import datainclusion, di_fast, di_tables
from pare_desktop.core.importers.datainclusion import scan_datainclusion
from pare_desktop.core.importers.di_plain import PlainDecoder, PlainStructure, plain_decoder
from pare_desktop.core.importers.di_validate import schema_problems
from tests.core.importers.test_di_fast import ODD, STRUCTURE

FIELDS = list(v1.Structure.model_fields)
MORE = ["https://example.org/a-b/c_d.html", "http://x.fr", "https://EXAMPLE.org", "contact@example.org",
        "a@b.test", "pas un courriel", "12345678901234", "2A004", "97611", "é" * 3, "😀" * 150, "😀" * 151,
        "a\u0000b", "2024-02-29", "2023-02-29", 9007199254740991, 9007199254740992, -9007199254740991, 1e300,
        -0.0, ["cmp", "cmp"], ["france-travail", "cmp"], ["CMP"]]


def _usual(raw: bytes) -> tuple[bool, Any]:
    """What the scan's usual path makes of a line: (a plain structure the schema accepts, its source)."""
    item = json.loads(raw.decode("utf-8"))
    if not isinstance(item, dict) or "structure_id" in item or not item.keys().isdisjoint(di_tables.V0_KEYS):
        return False, None
    date_maj = item.get("date_maj")
    if isinstance(date_maj, str) and len(date_maj) > 10:
        return False, None
    return schema_problems(item, service=False, v0=False) == [], item.get("source")


def _lines() -> list[bytes]:
    rng = random.Random(21)
    items: list[dict[str, Any]] = [dict(STRUCTURE, **{k: v}) for k in FIELDS for v in ODD + MORE]
    items += [{k: v for k, v in STRUCTURE.items() if k != name} for name in FIELDS]
    for _ in range(4000):  # several odd fields at once, keys in any order, a key the model does not know
        item = dict(STRUCTURE)
        for name in rng.sample(FIELDS, rng.randrange(1, 4)):
            item[name] = rng.choice(ODD + MORE)
        if rng.random() < 0.3:
            keys = list(item)
            rng.shuffle(keys)
            item = {k: item[k] for k in keys}
        if rng.random() < 0.1:
            item[rng.choice(["inconnu", "structure_id", "typologie", "presentation_resume"])] = "x"
        items.append(item)
    lines = []
    for item in items:
        try:
            lines.append(json.dumps(item, ensure_ascii=rng.random() < 0.5).encode())
        except TypeError:  # a set or a tuple among the values: not JSON
            continue
    base = json.dumps(STRUCTURE)[:-1].encode()
    lines += [base + b', "nom": 1}', base + b', "nom": "ab"}', b'{"nom": 1, ' + base[1:] + b"}",
              base + b', "source": "autre"}', base + b', "source": ""}', b'\xef\xbb\xbf' + base + b"}",
              base + b', "latitude": NaN}', base + b', "siret": "\\ud800"}', base + b', "nom": "abc\\u00e9"}']
    return lines


def test_a_plain_line_is_one_the_usual_path_accepts() -> None:
    decode = PlainDecoder()
    vouched = 0
    for raw in _lines():
        decode.trying = True  # (most of these lines are odd: it would give up)
        try:
            value = decode(raw)
        except ValueError:  # json_lines then asks json, as for any line msgspec refuses
            continue
        if isinstance(value, PlainStructure):
            vouched += 1
            assert _usual(raw) == (True, value.source), raw
        else:
            assert repr(value) == repr(json.loads(raw.decode("utf-8"))), raw
    assert vouched > 1000  # plain lines are decoded so, often


def _scan(path: Path) -> str:
    scan = scan_datainclusion(path, source=None, origin="test")
    return repr((scan.source, scan.rejects, scan.structures, scan.services, scan.total_rows,
                 scan.services_only))


def test_the_scan_is_the_same_with_plain_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    varied, one = tmp_path / "varied.jsonl", tmp_path / "di.jsonl"
    write_varied(varied, 400)
    write_datainclusion(one, 300)
    structures, services = tmp_path / "s.jsonl", tmp_path / "v.jsonl"
    split_datainclusion(one, structures, services)
    odd = tmp_path / "odd.jsonl"
    odd.write_bytes(b"\n".join(_lines()[::7]) + b"\n\n[1]\n")
    paths = [varied, one, structures, services, odd]
    plain = [_scan(path) for path in paths]
    monkeypatch.setattr(datainclusion, "plain_decoder", lambda: None)
    assert [_scan(path) for path in paths] == plain


def test_no_plain_decoding_when_the_quick_check_is_off(monkeypatch: pytest.MonkeyPatch) -> None:
    assert plain_decoder() is not None
    checks = di_fast._PLANS
    monkeypatch.setattr(di_fast, "_PLANS", {k: (c, r, False) for k, (c, r, _) in checks.items()})
    assert plain_decoder() is None


def test_the_decoder_stops_trying_on_a_file_of_other_lines() -> None:
    decode = PlainDecoder()
    service = json.dumps({"id": "s", "structure_id": "x", "source": "a"}).encode()
    v0 = json.dumps(dict(STRUCTURE, typologie="CCAS")).encode()
    for _ in range(2000):
        assert decode(service) == json.loads(service)  # a service's line: not tried, not counted
    for _ in range(999):
        decode(v0)
    assert decode.trying
    assert decode(v0) == json.loads(v0) and not decode.trying
