"""`pare-publish verify`: check a feed end to end (signature, files, record count, dataset hash)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from pare_desktop.core.records import Structure, combine_hashes, hash_hex, record_hash

from .errors import FeedFormatError, IntegrityError
from .feed import MANIFEST_NAME, FileEntry, Manifest, read_items
from .keys import PublicKey
from .verify import verify_manifest

MAX_UNPACKED = 2_000_000_000


def _check_file(feed_dir: Path, f: FileEntry) -> Path:
    path = feed_dir / f.path
    if not path.is_file():
        raise IntegrityError(f"fichier manquant : {f.path}")
    h = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
            size += len(chunk)
    if size != f.length:
        raise IntegrityError(f"{f.path} : {size} octets au lieu des {f.length} signés")
    if h.hexdigest() != f.sha256:
        raise IntegrityError(f"{f.path} : empreinte sha256 différente du manifeste")
    return path


def verify_feed(feed_dir: Path, trusted: list[PublicKey]) -> tuple[Manifest, list[str]]:
    """The verified manifest and a report; raises a SyncError at the first problem."""
    m = verify_manifest((feed_dir / MANIFEST_NAME).read_bytes(), trusted)
    lines = [
        f"manifeste signé : {m.dataset_id} ({m.tier}) version {m.version}, expire le {m.expires:%Y-%m-%d}"
    ]
    snap = _check_file(feed_dir, m.snapshot)
    total, count = 0, 0
    for s in read_items(snap, "snapshot", MAX_UNPACKED):
        assert isinstance(s, Structure)
        total = combine_hashes(total, (record_hash(s),))
        count += 1
    if count != m.record_count or hash_hex(total) != m.dataset_hash:
        raise IntegrityError("instantané : nombre d'enregistrements ou empreinte différents du manifeste")
    lines.append(f"instantané : {count} structure(s), {m.snapshot.length} octets, empreinte conforme")
    for d in m.deltas:
        path = _check_file(feed_dir, d.file)
        n = sum(1 for _ in read_items(path, "delta", MAX_UNPACKED))
        lines.append(f"delta {d.from_version}→{d.to_version} : {n} changement(s), {d.file.length} octets")
    latest = [d for d in m.deltas if d.to_version == m.version]
    if any(d.dataset_hash != m.dataset_hash for d in latest):
        raise FeedFormatError(f"delta vers la version {m.version} : empreinte finale différente du manifeste")
    return m, lines
