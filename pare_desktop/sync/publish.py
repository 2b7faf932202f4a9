"""The publisher side: build the next signed version of a static feed from source files."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import logging
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pare_desktop.core.records import (
    ORIGIN_PUBLISHER,
    VISIBILITY_PUBLIC,
    Structure,
    canonical_json,
    combine_hashes,
    hash_hex,
)

from . import keys
from .errors import PublishError, SyncError
from .feed import (
    FILES_DIR,
    MANIFEST_NAME,
    Delta,
    FileEntry,
    Manifest,
    envelope,
    manifest_bytes,
    read_snapshot_raw,
)
from .sources import read_sources
from .verify import verify_manifest

log = logging.getLogger("pare.sync.publish")
TIERS = ("public", "pro")
MAX_FILE = 2_000_000_000


@dataclass(frozen=True, slots=True)
class BuildResult:
    manifest: Manifest
    upserts: int
    removals: int


def for_tier(records: Sequence[Structure], tier: str) -> list[Structure]:
    """Publisher records as the tier may see them: the public one drops pro-only records and fields."""
    if tier not in TIERS:
        raise PublishError(f"niveau de flux inconnu « {tier} » (public ou pro)")
    out = [replace(s, origin=ORIGIN_PUBLISHER, withdrawn=False) for s in records]
    if tier == "public":
        out = [s.for_public() for s in out if s.visibility == VISIBILITY_PUBLIC]
    return sorted(out, key=lambda s: s.id)


def previous_manifest(feed_dir: Path, public: keys.PublicKey) -> Manifest | None:
    path = feed_dir / MANIFEST_NAME
    if not path.exists():
        return None
    try:
        return verify_manifest(path.read_bytes(), [public])
    except SyncError as exc:
        raise PublishError(
            f"le flux existant dans « {feed_dir} » ne peut pas être prolongé : {exc.message}"
        ) from exc


def _write_file(feed_dir: Path, lines_bytes: bytes) -> FileEntry:
    sha = hashlib.sha256(lines_bytes).hexdigest()
    rel = f"{FILES_DIR}/{sha}.jsonl.gz"
    _atomic_write(feed_dir / rel, lines_bytes, 0o644)
    return FileEntry(rel, sha, len(lines_bytes))


def _atomic_write(path: Path, data: bytes, mode: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _gzip(header: dict[str, Any], lines: Iterable[bytes]) -> bytes:
    """One data file: a JSON header line, then canonical JSON lines, gzip-compressed reproducibly."""
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=6, mtime=0) as gz:
        gz.write(json.dumps(header, sort_keys=True, separators=(",", ":")).encode() + b"\n")
        for line in lines:
            gz.write(line + b"\n")
    return buf.getvalue()


def _old_lines(feed_dir: Path, prev: Manifest) -> dict[str, bytes]:
    """The previous version's records as canonical lines by id (the file re-checked against its sha256)."""
    path = feed_dir / prev.snapshot.path
    if hashlib.sha256(path.read_bytes()).hexdigest() != prev.snapshot.sha256:
        raise PublishError(f"l'instantané précédent « {path} » est altéré : construction refusée")
    return {d["id"]: line for line, d in read_snapshot_raw(path, MAX_FILE)}


def _hash_lines(lines: Iterable[bytes]) -> str:
    return hash_hex(combine_hashes(0, (int.from_bytes(hashlib.sha256(x).digest(), "big") for x in lines)))


def build(
    sources: Sequence[Path],
    key_path: Path,
    feed_dir: Path,
    *,
    tier: str = "public",
    expires_days: int = 30,
    dataset_id: str | None = None,
    keep: int = 30,
    now: datetime | None = None,
) -> BuildResult:
    """Write the next version of the feed: snapshot, delta from the previous version, signed manifest."""
    if expires_days <= 0:
        raise PublishError("--expires doit être un nombre de jours positif")
    private = keys.load_private(key_path)
    public = keys.public_key(private.public_key())
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    records = for_tier(read_sources(sources), tier)
    prev = previous_manifest(feed_dir, public)
    ds_id = dataset_id or (prev.dataset_id if prev else f"pare-{tier}")
    if prev and (prev.dataset_id != ds_id or prev.tier != tier):
        raise PublishError(
            f"le flux de « {feed_dir} » publie « {prev.dataset_id} » ({prev.tier}) : "
            f"impossible d'y ajouter « {ds_id} » ({tier})"
        )
    version = prev.version + 1 if prev else 1
    lines = [canonical_json(s) for s in records]  # each line is its record's canonical JSON
    snapshot = _write_file(
        feed_dir, _gzip({"kind": "snapshot", "dataset_id": ds_id, "version": version}, lines)
    )
    new_hash = _hash_lines(lines)
    deltas: list[Delta] = []
    upserts = removals = 0
    if prev:
        old = _old_lines(feed_dir, prev)
        changed = [line for s, line in zip(records, lines, strict=True) if old.get(s.id) != line]
        current = {s.id for s in records}
        gone = sorted(x for x in old if x not in current)
        upserts, removals = len(changed), len(gone)
        head = {"kind": "delta", "dataset_id": ds_id, "from": prev.version, "to": version}
        body = [b'{"put":' + x + b"}" for x in changed]
        body += [json.dumps({"del": x}, ensure_ascii=False, separators=(",", ":")).encode() for x in gone]
        entry = _write_file(feed_dir, _gzip(head, body))
        deltas = [d for d in prev.deltas if d.from_version >= version - keep]
        deltas.append(Delta(prev.version, version, entry, new_hash))
    manifest = Manifest(
        dataset_id=ds_id,
        tier=tier,
        version=version,
        created=now,
        expires=now + timedelta(days=expires_days),
        dataset_hash=new_hash,
        record_count=len(records),
        snapshot=snapshot,
        deltas=tuple(deltas),
    )
    signed = manifest_bytes(manifest)
    _atomic_write(feed_dir / MANIFEST_NAME, envelope(signed, public.keyid, private.sign(signed)), 0o644)
    _prune(feed_dir, manifest, prev)
    log.info(
        "feed %s v%d built: %d records, %d upserts, %d removals",
        ds_id,
        version,
        len(records),
        upserts,
        removals,
    )
    return BuildResult(manifest, upserts, removals)


def _prune(feed_dir: Path, manifest: Manifest, prev: Manifest | None) -> None:
    """Delete files no manifest refers to; the previous manifest's stay for clients mid-download."""
    keep = {f.path for m in (manifest, prev) if m for f in (m.snapshot, *(d.file for d in m.deltas))}
    for p in (feed_dir / FILES_DIR).glob("*.jsonl.gz"):
        if f"{FILES_DIR}/{p.name}" not in keep:
            p.unlink()
