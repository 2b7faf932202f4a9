"""Phone normalisation speed: national numbers for mainland and overseas records, and « +33 … » forms.

    python benchmarks/bench_phones.py

CPU time per number (process_time), 40,000 valid numbers each, after a warm-up (templates learned).
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pare_desktop.core.phones import InvalidPhone, normalize_phone


def _valid(numbers: list[str], departement: str) -> int:
    ok = 0
    for number in numbers:
        try:
            normalize_phone(number, departement)
        except InvalidPhone:
            continue
        ok += 1
    return ok


def main() -> None:
    rng = random.Random(1)
    candidates = [f"0{rng.choice('1234567')} " + " ".join(f"{rng.randrange(100):02d}" for _ in range(4))
                  for _ in range(60_000)]
    good = [n for n in candidates if _valid([n], "75")][:40_000]
    international = ["+33 " + n[1:] for n in good]
    cases = (("national, mainland record", good, "75"), ("national, Guyane record", good, "973"),
             ("+33 form, mainland record", international, "75"))
    for label, numbers, departement in cases:
        _valid(numbers[:100], departement)
        start = time.process_time()
        ok = _valid(numbers, departement)
        per = (time.process_time() - start) / len(numbers) * 1e6
        print(f"{label}: {per:.1f} µs/number CPU ({ok}/{len(numbers)} valid)")


if __name__ == "__main__":
    main()
