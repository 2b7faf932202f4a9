"""Machine-readable output is UTF-8 with "\n" line ends whatever the platform's console encoding."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def test_json_to_a_pipe_is_utf8_with_lf_even_under_a_legacy_locale(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "cp1252", "PYTHONUTF8": "0", "LC_ALL": "C"}
    out = subprocess.run(
        [sys.executable, "-m", "pare_desktop", "--data-dir", str(tmp_path),
         "show", "reference:119", "--json"],
        capture_output=True, env=env, timeout=120, check=True,
    ).stdout
    assert b"\r\n" not in out
    record = json.loads(out.decode("utf-8"))
    assert "Allô" in record["name"]  # bytes of cp1252 would not even decode
