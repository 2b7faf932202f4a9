"""Run by test_crash: `pare import FILE` (a streamed data·inclusion file), killed (SIGKILL) at one stage."""

from __future__ import annotations

import os
import signal
import sys

from pare_desktop.cli import run
from pare_desktop.core import writes


def main() -> None:
    data_dir, file, stage, nth = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    seen = {"n": 0}

    def kill_at(name: str, conn: object) -> None:
        if name == stage:
            seen["n"] += 1
            if seen["n"] == nth:
                os.kill(os.getpid(), signal.SIGKILL)

    writes._checkpoint = kill_at  # type: ignore[assignment]
    writes.CHUNK = 50  # several chunks with a small file
    sys.exit(run(["--data-dir", data_dir, "import", file, "--replace", "--skip-invalid"]))


if __name__ == "__main__":
    main()
