"""Helpers shared by the benchmarks."""

from __future__ import annotations

import resource


def peak_rss_mb() -> float:
    """This process's own peak resident memory, in MB.

    VmHWM from /proc: on Linux ru_maxrss keeps the forking parent's peak across exec, which made a child
    that imports 100k records look as big as the parent that generated them.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
