"""The publisher side: build the next signed version of a static feed from source files."""

from __future__ import annotations

import hashlib
import io
import logging
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pare_desktop.core.records import (
    ORIGIN_PUBLISHER,
    VISIBILITY_PUBLIC,
    Structure,
    canonical_json,
    dataset_hash,
    structure_to_dict,
)

from . import keys
from .errors import PublishError, SyncError
from .feed import (
    FILES_DIR,
    MANIFEST_NAME,
    Delta,
    FileEntry,
    Manifest,
    delta_lines,
    envelope,
    manifest_bytes,
    read_items,
    snapshot_lines,
    write_gzip,
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
        raise PublishError(f"le flux existant dans « {feed_dir} » ne peut pas être prolongé : {exc.message}") from exc


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


def _gzip(lines: object) -> bytes:
    buf = io.BytesIO()
    write_gzip(lines, buf)  # type: ignore[arg-type]
    return buf.getvalue()


def _old_records(feed_dir: Path, prev: Manifest) -> dict[str, bytes]:
    path = feed_dir / prev.snapshot.path
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != prev.snapshot.sha256:
        raise PublishError(f"l'instantané précédent « {path} » est altéré : construction refusée")
    return {s.id: canonical_json(s) for s in read_items(path, "snapshot", MAX_FILE) if isinstance(s, Structure)}


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
    header = {"dataset_id": ds_id, "version": version}
    docs = [structure_to_dict(s) for s in records]
    snapshot = _write_file(feed_dir, _gzip(snapshot_lines(header, docs)))
    new_hash = dataset_hash(records)
    deltas: list[Delta] = []
    upserts = removals = 0
    if prev:
        old = _old_records(feed_dir, prev)
        changed = [d for s, d in zip(records, docs, strict=True) if old.get(s.id) != canonical_json(s)]
        current = {s.id for s in records}
        gone = sorted(x for x in old if x not in current)
        upserts, removals = len(changed), len(gone)
        head = {"dataset_id": ds_id, "from": prev.version, "to": version}
        entry = _write_file(feed_dir, _gzip(delta_lines(head, changed, gone)))
        deltas = [d for d in prev.deltas if d.from_version >= version - keep]
        deltas.append(Delta(prev.version, version, entry, new_hash))
    manifest = Manifest(
        dataset_id=ds_id, tier=tier, version=version, created=now, expires=now + timedelta(days=expires_days),
        dataset_hash=new_hash, record_count=len(records), snapshot=snapshot, deltas=tuple(deltas),
    )
    signed = manifest_bytes(manifest)
    _atomic_write(feed_dir / MANIFEST_NAME, envelope(signed, public.keyid, private.sign(signed)), 0o644)
    _prune(feed_dir, manifest, prev)
    log.info("feed %s v%d built: %d records, %d upserts, %d removals", ds_id, version, len(records),
             upserts, removals)
    return BuildResult(manifest, upserts, removals)


def _prune(feed_dir: Path, manifest: Manifest, prev: Manifest | None) -> None:
    """Delete files no manifest refers to; the previous manifest's stay for clients mid-download."""
    keep = {f.path for m in (manifest, prev) if m for f in (m.snapshot, *(d.file for d in m.deltas))}
    for p in (feed_dir / FILES_DIR).glob("*.jsonl.gz"):
        if f"{FILES_DIR}/{p.name}" not in keep:
            p.unlink()
