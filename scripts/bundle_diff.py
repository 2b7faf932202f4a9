"""What two builds' manifests (build/bundle-manifest.json) differ by, attributed to the module groups of
bundle_filters.UNUSED_MODULES: the measure of each `excludes` group (files, PYZ modules, bytes).

Usage: python scripts/bundle_diff.py BEFORE.json AFTER.json
Files that went and belong to no group (a vendored library of an excluded extension, a trimmed ICU file
that changed size) are listed by size under "autres".
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bundle_filters


def _file_module(path: str) -> str:
    """'numpy/random/_generator.cpython-311-x86_64-linux-gnu.so' -> 'numpy.random._generator'."""
    path = path.removeprefix("_internal/").removeprefix("python3.11/lib-dynload/")
    return path.split(".cpython-")[0].split(".abi3")[0].removesuffix(".so").replace("/", ".")


def group_of(module: str) -> str | None:
    for group, modules in bundle_filters.UNUSED_MODULES.items():
        if any(module == m or module.startswith(m + ".") for m in modules):
            return group
    return None


def diff(before: dict[str, dict[str, int]], after: dict[str, dict[str, int]]) -> dict[str, list[int]]:
    """Per group (and "autres"): [files or modules gone, bytes gone (negative: grew)]."""
    rows: dict[str, list[int]] = {}
    for kind in ("files", "pyz"):
        old, new = before.get(kind, {}), after.get(kind, {})
        for name, size in old.items():
            saved = size - new.get(name, 0)
            if saved == 0:
                continue
            group = group_of(name if kind == "pyz" else _file_module(name))
            key = group or f"autres : {name}"
            row = rows.setdefault(key, [0, 0])
            row[0] += name not in new
            row[1] += saved
    return rows


def main() -> int:
    before, after = (json.loads(Path(p).read_text()) for p in sys.argv[1:3])
    rows = diff(before, after)
    grouped = {k: v for k, v in rows.items() if not k.startswith("autres")}
    others = sorted(((k, v) for k, v in rows.items() if k.startswith("autres")), key=lambda kv: -kv[1][1])
    for name, (n, size) in sorted(grouped.items(), key=lambda kv: -kv[1][1]):
        print(f"{size / 1e6:8.2f} Mo  {n:5d}  {name}")
    print(f"{sum(v[1] for v in grouped.values()) / 1e6:8.2f} Mo  modules exclus au total")
    for name, (n, size) in others[:40]:
        print(f"{size / 1e6:8.2f} Mo  {n:5d}  {name}")
    print(f"{sum(v[1] for _, v in others) / 1e6:8.2f} Mo  autres au total")
    return 0


if __name__ == "__main__":
    sys.exit(main())
