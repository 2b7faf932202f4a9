"""Run in a subprocess by test_crash: sync, killing itself with SIGKILL at one stage of the apply."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from pare_desktop.core import writes
from pare_desktop.core.directory import Directory
from pare_desktop.sync.client import SyncClient
from pare_desktop.sync.settings import SyncSettings

from .conftest import FAST


def kill_at_stage(stage: str, nth: int, chunk: int) -> None:
    """The write path kills this process (SIGKILL) the nth time it reaches `stage`, writing `chunk`
    rows at a time (several chunks with a small dataset)."""
    seen = {"n": 0}

    def kill_at(name: str, conn: object) -> None:
        if name == stage:
            seen["n"] += 1
            if seen["n"] == nth:
                os.kill(os.getpid(), signal.SIGKILL)

    writes._checkpoint = kill_at  # type: ignore[assignment]
    writes.CHUNK = chunk


def main() -> None:
    db_path, url, key, stage, nth = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
    kill_at_stage(stage, nth, chunk=250)
    d = Directory.open(Path(db_path))
    settings = SyncSettings(
        feed_url=url, cache_dir=Path(db_path).parent / "sync-cache", key_paths=(Path(key),), http=FAST
    )
    print(SyncClient(d, settings).run().message)


if __name__ == "__main__":
    main()
