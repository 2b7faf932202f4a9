"""One benchmark report: each benchmark adds its figures (median of its runs) with their target and the
anchors measured in the same run; `python -m benchmarks.report` prints them as one table (make bench).

Figures go to $PARE_BENCH_REPORT (default build/bench-report.jsonl); `--reset` empties it.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def path() -> Path:
    return Path(os.environ.get("PARE_BENCH_REPORT", ROOT / "build" / "bench-report.jsonl"))


def add(name: str, value: float, unit: str, target: float | None = None, anchor: str = "") -> None:
    """Record one figure (lower is better) with its target and the anchor measured beside it."""
    p = path()
    p.parent.mkdir(parents=True, exist_ok=True)
    row = {"name": name, "value": value, "unit": unit, "target": target, "anchor": anchor}
    with p.open("a", encoding="utf-8") as f:
        f.write(json.dumps(row, ensure_ascii=False) + "\n")


def table(rows: list[dict[str, object]]) -> str:
    head = ("figure", "median", "target", "ok", "anchor (same run)")
    lines = [head]
    for r in rows:
        value, target, unit = float(r["value"]), r["target"], str(r["unit"])  # type: ignore[arg-type]
        digits = 2 if value < 100 else 0
        ok = "" if target is None else ("yes" if value <= float(target) else "NO")  # type: ignore[arg-type]
        shown_target = "" if target is None else f"≤ {float(target):.{digits}f} {unit}"  # type: ignore[arg-type]
        lines.append((str(r["name"]), f"{value:.{digits}f} {unit}", shown_target, ok, str(r["anchor"])))
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    out = [" | ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in lines]
    out.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(out)


def main(argv: list[str]) -> int:
    p = path()
    if "--reset" in argv:
        p.unlink(missing_ok=True)
        return 0
    rows = [json.loads(line) for line in p.read_text(encoding="utf-8").splitlines()] if p.exists() else []
    print(table(rows) if rows else "no benchmark figures recorded")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
