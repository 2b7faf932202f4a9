"""JSON lines read by msgspec first: the same values, the same errors (with their lines) as json."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pare_desktop.core.errors import ImportFormatError
from pare_desktop.core.importers import jsonio, limits
from pare_desktop.core.importers.jsonio import json_lines

FUZZ = settings(max_examples=300, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])


def _json_only(path: Path) -> Iterator[tuple[int, Any]]:
    """json_lines as it was before the fast path: every line decoded and read by json."""
    with path.open("rb") as f:
        count = 0
        for number, raw in enumerate(f, start=1):
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise ImportFormatError(f"Le fichier « {path.name} » n'est pas encodé en UTF-8 "
                                        f"(ligne {number}).", path=str(path), line=number) from exc
            if not line.strip():
                continue
            count += 1
            if count > limits.MAX_ROWS:
                raise limits.too_many_rows(path, line=number)
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                raise jsonio._not_json(path, exc, line=number) from exc
            except (ValueError, RecursionError) as exc:
                raise jsonio._unparsable(path, exc, line=number) from exc
            yield number, value


def _outcome(read: Any, path: Path) -> str:
    """What a reading gives, as text: repr tells 1 from 1.0 and True, -0.0 from 0.0, keys' order; or the
    error's message and line."""
    try:
        return repr(list(read(path)))
    except ImportFormatError as exc:
        return f"error {exc} (ligne {exc.line})"


def _same(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "f.jsonl"
    path.write_bytes(content)
    assert _outcome(json_lines, path) == _outcome(_json_only, path), content


#: lines where two JSON readers may part: numbers at their limits, surrogates, odd bytes, odd spacing
EDGES = [
    b'{"a":1,"a":2}', b'{"a":1,"b":2,"a":3}', b'{"a":NaN}', b'{"a":-NaN}', b'{"a":Infinity}',
    b'{"a":-Infinity}', b'{"a":+1}', b'{"a":1e400}', b'{"a":-1e400}',
    b'{"a":1' + b'0' * 5000 + b'}', b'{"a":1' + b'0' * 4299 + b'}', b'{"a":-1' + b'0' * 4300 + b'}',
    b'{"a":1' + b'0' * 30 + b'}', b'{"a":"\\ud800"}', b'{"a":"\\ud83d\\ude00"}',
    b'{"a":"\\udc00\\ud800"}', b'{"a":"\\ud800x"}', b'{"a":01}', b'{"a":1.}', b'{"a":.5}',
    b'{"a":-0}', b'{"a":-0.0}', b'{"a":1E2}', b'{"a":1e-400}', b'{"a":2.2250738585072011e-308}',
    b'{"a":5e-324}', b'{"a":0.1000000000000000055511151231257827}', b'{"a":1.7976931348623159e308}',
    b'{"a":9007199254740993}', b'{"a":9007199254740993.0}', b'{"a":1' + b'0' * 400 + b'.0}',
    b'{"a":0.' + b'0' * 400 + b'1}', b'{"a":1e0000000000000000000001}',
    b'{"a":123456789012345678901234567890}', b'{"a":-9223372036854775809}', b'\xef\xbb\xbf{"a":1}',
    b'{"a":"\xed\xa0\x80"}', b'{"a":"\xc0\xaf"}', b'{"a":"\xff"}', b'{"a":"\xf4\x90\x80\x80"}',
    b'{"a":"\xf0\x9f\x98\x80"}', b'{"a":"\xe2\x80\xa8"}', b'{"a":"\xef\xbf\xbe"}', b'{"a":1}\r',
    b'{"a":1} x', b'{"a":1}\x0c', b'\x0c{"a":1}', b'\xc2\xa0{"a":1}', b' {"a":1} ', b'\t{"a":1}\t',
    b'{"a":"\x7f"}', b'{"a":"\x1f"}', b'{"a":"\t"}', b'{"a":"\\u00E9"}', b'{"a":"\\/"}',
    b'{"a":"\\a"}', b'{"a":"\\u12"}', b'{"a":true,"b":false,"c":null}', b'{"a":[1,2,]}',
    b'{"a":1,}', b'[1]', b'"x"', b'1', b'null', b'[]', b'{"a":' + b'[' * 3000 + b']' * 3000 + b'}',
    b'{"a":' + b'[' * 900 + b']' * 900 + b'}', b'{"a":' + b'[' * 250 + b']' * 250 + b'}',
    b'{"\\u0000":1}', b'{"a":"\\u0000"}', b'{"a":tru}', b'{"a":nulll}', b'{"a":"x"}{}',
    b'{"a" : 1 }', b'{"a":-}', b'{"a":Nan}', b'{"a":infinity}', b'{"a":1e5}', b'{"a":1E+5}',
    b'{"a":1e}', b'{"a":"\\"}', b'{"a":"\xc3"}', b'{a:1}', b"{'a':1}", b'\x00', b'\xef\xbb\xbf',
    b'\xef\xbb\xbf \n', b'{"\xc3\xa9":"\xc3\xa9"}',
]


def test_edge_lines_read_as_json_reads_them(tmp_path: Path) -> None:
    for edge in EDGES:
        for content in (edge, edge + b"\n", b'{"a":1}\n' + edge + b"\n", b"\n\n" + edge + b'\n{"b":2}'):
            _same(tmp_path, content)


_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats() | st.text()
    | st.text(st.characters(min_codepoint=0xD7F0, max_codepoint=0xE010), max_size=3),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12)
_BYTES = st.sampled_from([
    b"", b"0", b"1", b"-", b"+", b".", b"e", b"E", b'"', b"\\", b"\\u", b"d800", b"[", b"]", b"{", b"}",
    b",", b":", b" ", b"\t", b"\r", b"\x0c", b"\x00", b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xef\xbb\xbf",
    b"NaN", b"Infinity", b"true", b"null", b"\xc2\xa0"])


@FUZZ
@given(values=st.lists(_VALUES, min_size=1, max_size=4), ascii_only=st.booleans(),
       edits=st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=2), _BYTES),
                      max_size=3))
def test_any_lines_read_as_json_reads_them(tmp_path: Path, values: list[Any], ascii_only: bool,
                                           edits: list[tuple[int, int, bytes]]) -> None:
    content = bytearray(b"\n".join(json.dumps(v, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
                                   for v in values))
    for where, how, piece in edits:  # insert, replace or delete a few bytes somewhere
        at = where % (len(content) + 1)
        if how == 0:
            content[at:at] = piece
        elif how == 1:
            content[at:at + 1] = piece
        else:
            del content[at:at + 1]
    _same(tmp_path, bytes(content))


def test_second_pass_reads_only_the_wanted_lines(tmp_path: Path) -> None:
    path = tmp_path / "f.jsonl"
    path.write_bytes(b'{"a":1}\n\n{"a":"\\ud800"}\n{"a":1.0}\n{"a":true}\n')
    assert repr(list(json_lines(path, {3, 5}))) == repr([(3, {"a": "\ud800"}), (5, {"a": True})])
