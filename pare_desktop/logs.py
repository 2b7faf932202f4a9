"""Logging set-up: named loggers, a rotating log file in the data directory, quiet stderr."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path


def setup_logging(log_dir: Path | None, *, verbose: bool = False) -> None:
    root = logging.getLogger("pare")
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    if log_dir is not None:
        log_dir.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            log_dir / "pare.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
        handler.setFormatter(fmt)
        root.addHandler(handler)
    if verbose:
        err = logging.StreamHandler()
        err.setFormatter(fmt)
        root.addHandler(err)
