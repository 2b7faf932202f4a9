"""Run by test_crash: `pare import FILE` (a streamed data·inclusion file), killed (SIGKILL) at one stage."""

from __future__ import annotations

import sys

from pare_desktop.cli import run

from .crash_child import kill_at_stage


def main() -> None:
    data_dir, file, stage, nth = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    kill_at_stage(stage, nth, chunk=50)
    sys.exit(run(["--data-dir", data_dir, "import", file, "--replace", "--skip-invalid"]))


if __name__ == "__main__":
    main()
