"""Choose the smallest way from the installed version to the offered one: deltas or the snapshot."""

from __future__ import annotations

import heapq
from dataclasses import dataclass

from .feed import Delta, FileEntry, Manifest


@dataclass(frozen=True, slots=True)
class Plan:
    """Either the snapshot alone, or a chain of deltas applied in order."""

    snapshot: FileEntry | None
    deltas: tuple[Delta, ...]

    @property
    def files(self) -> tuple[FileEntry, ...]:
        return (self.snapshot,) if self.snapshot else tuple(d.file for d in self.deltas)

    @property
    def total_bytes(self) -> int:
        return sum(f.length for f in self.files)

    @property
    def kind(self) -> str:
        if self.snapshot:
            return "snapshot"
        return "delta" if len(self.deltas) == 1 else "chain"


def choose(m: Manifest, dataset_id: str, version: int | None) -> Plan:
    """The cheapest in bytes of: any chain of deltas from `version` to m.version, or the snapshot."""
    snapshot = Plan(m.snapshot, ())
    if version is None or dataset_id != m.dataset_id:
        return snapshot
    edges: dict[int, list[Delta]] = {}
    for d in m.deltas:
        if d.to_version <= m.version:
            edges.setdefault(d.from_version, []).append(d)
    best: dict[int, int] = {version: 0}
    back: dict[int, Delta] = {}
    queue = [(0, version)]
    while queue:
        cost, at = heapq.heappop(queue)
        if at == m.version or cost > best.get(at, cost):
            continue
        for d in edges.get(at, ()):
            new = cost + d.file.length
            if new < best.get(d.to_version, new + 1):
                best[d.to_version] = new
                back[d.to_version] = d
                heapq.heappush(queue, (new, d.to_version))
    if m.version not in best or best[m.version] >= m.snapshot.length:
        return snapshot
    chain: list[Delta] = []
    at = m.version
    while at != version:
        chain.append(back[at])
        at = back[at].from_version
    return Plan(None, tuple(reversed(chain)))
