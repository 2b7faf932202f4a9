"""Read the verified feed files into change sets and hand them to the Directory, which applies them in
ONE transaction and re-checks the signed dataset hash before COMMIT. No SQL here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pare_desktop.core.changes import (
    MODE_ADD,
    MODE_REPLACE,
    ApplyOutcome,
    ChangeSet,
    DatasetHashError,
    DiskFullError,
    OlderVersionError,
)
from pare_desktop.core.progress import Progress, check_cancelled
from pare_desktop.core.records import Structure, structure_from_dict

from .errors import FeedFormatError, IntegrityError, RollbackError, StorageError
from .feed import Delta, Manifest, Removal, Upsert, read_items, read_snapshot_raw
from .plan import Plan

if TYPE_CHECKING:
    from pare_desktop.core.directory import Directory

MAX_UNPACKED = 2_000_000_000


def apply_plan(
    directory: Directory, manifest: Manifest, plan: Plan, files: Sequence[Path], progress: Progress
) -> ApplyOutcome:
    """Apply the downloaded files; any error (hash mismatch, disk full, cancel) rolls everything back."""
    if plan.snapshot:
        steps = [_snapshot(manifest, files[0], progress)]
    else:
        if not plan.deltas or plan.deltas[-1].dataset_hash != manifest.dataset_hash:
            raise IntegrityError("empreinte du jeu de données différente du manifeste : mise à jour annulée")
        steps = [_delta(d, path) for d, path in zip(plan.deltas, files, strict=True)]
    steps[-1] = _stamped(steps[-1], manifest)
    try:
        return directory.apply_changes(steps, progress)
    except DatasetHashError as exc:
        raise IntegrityError(exc.message) from exc
    except OlderVersionError as exc:
        raise RollbackError(exc.offered, exc.trusted) from exc
    except DiskFullError as exc:
        raise StorageError(
            "espace disque insuffisant : mise à jour annulée, les données précédentes sont intactes"
        ) from exc


def _stamped(step: ChangeSet, m: Manifest) -> ChangeSet:
    """The last step carries the trusted manifest facts and retires the demo."""
    meta = {
        "dataset_id": m.dataset_id,
        "version": str(m.version),
        "tier": m.tier,
        "published": m.created.date().isoformat(),
        "expires": m.expires.isoformat(),
        "last_sync": datetime.now().replace(microsecond=0).isoformat(),
    }
    return ChangeSet(
        step.upserts,
        step.removals,
        step.source,
        step.mode,
        retire_demo=True,
        meta=meta,
        expected_hash=step.expected_hash,
        trusted_version=m.version,
    )


def _snapshot(m: Manifest, path: Path, progress: Progress) -> ChangeSet:
    """The whole dataset: every publisher record absent from it leaves the directory."""
    seen: set[str] = set()
    records: list[Structure] = []
    for _line, d in read_snapshot_raw(path, MAX_UNPACKED):
        sid = d["id"]
        if sid in seen:
            raise FeedFormatError(f"{path.name} : identifiant en double « {sid} »")
        seen.add(sid)
        records.append(structure_from_dict(d))
        if len(records) % 2000 == 0:
            check_cancelled(progress)
    if len(records) != m.record_count:
        raise IntegrityError("empreinte du jeu de données différente du manifeste : mise à jour annulée")
    return ChangeSet(tuple(records), source=m.dataset_id, mode=MODE_REPLACE, expected_hash=m.dataset_hash)


def _delta(delta: Delta, path: Path) -> ChangeSet:
    upserts: list[Structure] = []
    removals: list[str] = []
    seen: set[str] = set()
    for item in read_items(path, "delta", MAX_UNPACKED):
        key = item.record.id if isinstance(item, Upsert) else item.id if isinstance(item, Removal) else ""
        if key in seen:
            raise FeedFormatError(f"{path.name} : identifiant en double « {key} »")
        seen.add(key)
        if isinstance(item, Upsert):
            upserts.append(item.record)
        elif isinstance(item, Removal):
            removals.append(item.id)
    return ChangeSet(
        tuple(upserts), tuple(removals), source=path.name, mode=MODE_ADD, expected_hash=delta.dataset_hash
    )
