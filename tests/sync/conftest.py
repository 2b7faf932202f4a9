"""Fixtures of the sync tests: keys, a feed directory built with pare-publish, a fresh directory database."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from pare_desktop.core.directory import Directory
from pare_desktop.core.records import Structure
from pare_desktop.sync import keys
from pare_desktop.sync.http import HttpOptions
from pare_desktop.sync.publish import BuildResult, build
from pare_desktop.sync.settings import SyncSettings

from .feedkit import write_source

FAST = HttpOptions(
    socket_timeout=2.0, deadline=10.0, attempts=3, backoff=0.05, max_backoff=0.2, max_retry_after=5.0
)


@pytest.fixture(scope="session")
def keypair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return keys.generate(tmp_path_factory.mktemp("keys"))


@pytest.fixture(scope="session")
def other_keypair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return keys.generate(tmp_path_factory.mktemp("other-keys"))


class Publisher:
    """Builds successive versions into one feed directory, like the PARÉ team would."""

    def __init__(self, root: Path, key: Path, tier: str = "public") -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.feed = root / "feed"
        self.key = key
        self.tier = tier
        self.n = 0

    def publish(self, recs: Sequence[Structure], **kw: object) -> BuildResult:
        self.n += 1
        src = write_source(self.root / f"src-{self.n}.pare.jsonl", recs)
        return build([src], self.key, self.feed, tier=self.tier, **kw)  # type: ignore[arg-type]


@pytest.fixture
def publisher(tmp_path: Path, keypair: tuple[Path, Path]) -> Publisher:
    return Publisher(tmp_path / "pub", keypair[0])


@pytest.fixture
def directory(tmp_path: Path) -> Iterator[Directory]:
    d = Directory.open(tmp_path / "data" / "pare.sqlite")
    yield d
    d.close()


@pytest.fixture
def make_settings(tmp_path: Path, keypair: tuple[Path, Path]):  # type: ignore[no-untyped-def]
    def make(url: str, **kw: object) -> SyncSettings:
        kw.setdefault("key_paths", (keypair[1],))
        kw.setdefault("http", FAST)
        return SyncSettings(feed_url=url, cache_dir=tmp_path / "data" / "sync-cache", **kw)  # type: ignore[arg-type]

    return make
