"""The feed format: the signed manifest (in its envelope) and the gzip JSON-lines data files."""

from __future__ import annotations

import base64
import binascii
import gzip
import json
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pare_desktop.core.records import ORIGIN_PUBLISHER, Structure, structure_from_dict

from .errors import FeedFormatError

FORMAT = "pare-feed/1"
MANIFEST_NAME = "manifest.json"
FILES_DIR = "files"
MAX_MANIFEST_BYTES = 1_000_000
MAX_LINE_BYTES = 1_000_000
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PATH = re.compile(r"^files/[0-9a-f]{64}\.jsonl\.gz$")


@dataclass(frozen=True, slots=True)
class FileEntry:
    """One data file of the feed: its path under the feed root, sha256 and length in bytes."""

    path: str
    sha256: str
    length: int


@dataclass(frozen=True, slots=True)
class Delta:
    """The changes from version `from_version` to `to_version`, and the dataset hash after them."""

    from_version: int
    to_version: int
    file: FileEntry
    dataset_hash: str


@dataclass(frozen=True, slots=True)
class Manifest:
    """What the publisher signs: which dataset, which version, until when, and every file's digest."""

    dataset_id: str
    tier: str
    version: int
    created: datetime
    expires: datetime
    dataset_hash: str
    record_count: int
    snapshot: FileEntry
    deltas: tuple[Delta, ...]


# --- envelope ---------------------------------------------------------------------------------------


def envelope(manifest_bytes: bytes, keyid: str, signature: bytes) -> bytes:
    """The bytes of manifest.json: the raw signed manifest (base64) and its signatures."""
    doc = {
        "signed": base64.b64encode(manifest_bytes).decode("ascii"),
        "signatures": [{"keyid": keyid, "sig": base64.b64encode(signature).decode("ascii")}],
    }
    return json.dumps(doc, indent=1).encode() + b"\n"


def open_envelope(raw: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """Split manifest.json into the raw signed bytes and (keyid, signature) pairs; nothing is trusted yet."""
    if len(raw) > MAX_MANIFEST_BYTES:
        raise FeedFormatError("manifeste trop gros : refusé")
    try:
        doc = json.loads(raw)
        signed = base64.b64decode(doc["signed"], validate=True)
        sigs = [(str(s["keyid"]), base64.b64decode(s["sig"], validate=True)) for s in doc["signatures"]]
    except (ValueError, KeyError, TypeError, binascii.Error) as exc:
        raise FeedFormatError("manifeste illisible : ce n'est pas un manifeste PARÉ signé") from exc
    return signed, sigs


# --- manifest ---------------------------------------------------------------------------------------


def _ts(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _file_dict(f: FileEntry) -> dict[str, Any]:
    return {"path": f.path, "sha256": f.sha256, "length": f.length}


def manifest_bytes(m: Manifest) -> bytes:
    """The canonical bytes that are signed (sorted keys, UTF-8)."""
    doc = {
        "format": FORMAT,
        "dataset_id": m.dataset_id,
        "tier": m.tier,
        "version": m.version,
        "created": _ts(m.created),
        "expires": _ts(m.expires),
        "dataset_hash": m.dataset_hash,
        "record_count": m.record_count,
        "snapshot": _file_dict(m.snapshot),
        "deltas": [
            {"from": d.from_version, "to": d.to_version, "dataset_hash": d.dataset_hash, **_file_dict(d.file)}
            for d in m.deltas
        ],
    }
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, indent=1).encode()


def _file(d: Any) -> FileEntry:
    path, sha, length = d["path"], d["sha256"], d["length"]
    if not (isinstance(path, str) and _PATH.match(path) and isinstance(sha, str) and _HEX64.match(sha)):
        raise ValueError("bad file entry")
    if path != f"{FILES_DIR}/{sha}.jsonl.gz" or not isinstance(length, int) or length <= 0:
        raise ValueError("bad file entry")
    return FileEntry(path, sha, length)


def _when(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ValueError("bad date")
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError("bad integer")
    return value


def parse_manifest(signed: bytes) -> Manifest:
    """Parse manifest bytes whose signature was already verified."""
    try:
        d = json.loads(signed)
        if d.get("format") != FORMAT:
            raise FeedFormatError(
                f"format de flux inconnu « {d.get('format')} » : mettez PARÉ Desktop à jour"
            )
        for key in ("dataset_hash",):
            if not _HEX64.match(str(d[key])):
                raise ValueError(key)
        deltas = tuple(
            Delta(_int(x["from"]), _int(x["to"]), _file(x), str(x["dataset_hash"])) for x in d["deltas"]
        )
        if any(x.to_version <= x.from_version or not _HEX64.match(x.dataset_hash) for x in deltas):
            raise ValueError("delta")
        return Manifest(
            dataset_id=str(d["dataset_id"]),
            tier=str(d["tier"]),
            version=_int(d["version"]),
            created=_when(d["created"]),
            expires=_when(d["expires"]),
            dataset_hash=str(d["dataset_hash"]),
            record_count=_int(d["record_count"]),
            snapshot=_file(d["snapshot"]),
            deltas=deltas,
        )
    except FeedFormatError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise FeedFormatError("manifeste signé mais mal formé : refusé") from exc


# --- data files -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Upsert:
    record: Structure


@dataclass(frozen=True, slots=True)
class Removal:
    id: str


def _record(d: Any, where: str) -> Structure:
    try:
        s = structure_from_dict(d)
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        raise FeedFormatError(f"{where} : enregistrement illisible") from exc
    if s.origin != ORIGIN_PUBLISHER or s.withdrawn or not s.id or s.id.startswith(("local:", "reference:")):
        raise FeedFormatError(f"{where} : enregistrement « {s.id} » non autorisé dans un flux")
    return s


_FIELDS = frozenset(f.name for f in fields(Structure))


def check_record(d: Any, where: str) -> dict[str, Any]:
    """A snapshot line's record in its JSON form, checked cheaply (the file's sha256 is already verified)."""
    if not isinstance(d, dict) or d.keys() != _FIELDS:
        raise FeedFormatError(f"{where} : enregistrement incomplet ou inconnu")
    sid, name, upd = d["id"], d["name"], d["updated"]
    if not (isinstance(sid, str) and sid and isinstance(name, str) and name):
        raise FeedFormatError(f"{where} : identifiant ou nom manquant")
    if (
        d["origin"] != ORIGIN_PUBLISHER
        or d["withdrawn"] is not False
        or sid.startswith(("local:", "reference:"))
    ):
        raise FeedFormatError(f"{where} : enregistrement « {sid} » non autorisé dans un flux")
    if upd is not None and not (isinstance(upd, str) and _DATE.match(upd)):
        raise FeedFormatError(f"{where} : date de mise à jour invalide")
    return d


def _lines(path: Path, kind: str, max_bytes: int) -> Iterator[tuple[str, bytes, Any]]:
    """(where, raw line, parsed JSON) of a data file after its header line, every size cap checked."""
    try:
        total = 0
        with gzip.open(path, "rb") as gz:
            for n, line in enumerate(gz, start=1):
                total += len(line)
                if total > max_bytes or len(line) > MAX_LINE_BYTES:
                    raise FeedFormatError(f"{path.name} : contenu décompressé trop gros")
                where = f"{path.name}, ligne {n}"
                try:
                    obj = json.loads(line)
                except ValueError as exc:
                    raise FeedFormatError(f"{where} : JSON invalide") from exc
                if n == 1:
                    if not isinstance(obj, dict) or obj.get("kind") != kind:
                        raise FeedFormatError(f"{where} : en-tête « {kind} » attendu")
                    continue
                yield where, line, obj
    except (OSError, EOFError, zlib.error) as exc:
        raise FeedFormatError(f"{path.name} : fichier compressé illisible") from exc


def read_snapshot_raw(path: Path, max_bytes: int) -> Iterator[tuple[bytes, dict[str, Any]]]:
    """Stream a verified snapshot as (canonical JSON line, record dict): the fast path of a full sync."""
    for where, line, obj in _lines(path, "snapshot", max_bytes):
        yield line.rstrip(b"\n"), check_record(obj, where)


def read_items(path: Path, kind: str, max_bytes: int) -> Iterator[Structure | Upsert | Removal]:
    """Stream a verified data file: snapshot records, or delta upserts and removals."""
    for where, _line, obj in _lines(path, kind, max_bytes):
        if kind == "snapshot":
            yield _record(obj, where)
        elif isinstance(obj, dict) and "put" in obj:
            yield Upsert(_record(obj["put"], where))
        elif isinstance(obj, dict) and isinstance(obj.get("del"), str):
            yield Removal(obj["del"])
        else:
            raise FeedFormatError(f"{where} : ligne de delta inconnue")
