"""Resident memory of a long parity run, sampled as the cases go by (prints figures; asserts
nothing).

The example pair's GET operations (no state changes, so no app is rebuilt and what grows is the
runner's, not the apps' stores), positive mode, one worker (in this process, so this process's
memory is the run's), no probes, sequences or shrinking, 15,000 examples per operation (several
operations run out of distinct inputs sooner), stopped after ``cases`` cases. Memory is read
from /proc/self/statm every 10,000 cases.

Usage: ``python benchmarks/bench_memory.py [cases]`` (default 100,000; about 10 minutes here).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

EVERY = 10_000


class _Enough(KeyboardInterrupt):
    """Stops the run at the wanted count (an interrupt: the engine lets it through)."""


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        resident = int(statm.read().split()[1])
    return resident * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> None:
    import contract_tools as ct
    from contract_tools.models import Event

    wanted = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    settings = ct.parity_settings(
        baseline="examples.legacy_flask:create_app()",
        candidate="examples.fastapi_port:create_app()",
        include=("GET .*",),
        mode="positive",
        max_examples=15_000,
        seed=1,
        probes="none",
        stateful=False,
        shrink=False,
        database=False,
        workers=1,
    )
    samples: list[tuple[int, float, float]] = []
    cases = 0
    started = time.perf_counter()

    def on_event(event: Event) -> None:
        nonlocal cases
        if event.kind == "case":
            cases += 1
            if cases % EVERY == 0:
                samples.append((cases, rss_mb(), time.perf_counter() - started))
            if cases >= wanted:
                raise _Enough

    before = rss_mb()
    with contextlib.suppress(_Enough):
        ct.parity(settings, on_event=on_event)
    print(
        f"example pair GET operations: {cases} cases in {time.perf_counter() - started:.0f} s, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    print(f"resident before the run: {before:.0f} MB")
    for count, mb, at in samples:
        print(f"after {count:7,} cases ({at:5.0f} s): {mb:6.0f} MB")
    if len(samples) >= 2:
        peak = max(mb for _, mb, _ in samples)
        half = [sample for sample in samples if sample[0] >= samples[-1][0] // 2]
        (first, mb_first, _), (last, mb_last, _) = half[0], half[-1]
        growth = (mb_last - mb_first) / max((last - first) / 1000, 1)
        print(
            f"peak {peak:.0f} MB; from {first:,} to {last:,} cases: "
            f"{growth:+.2f} MB per 1,000 cases"
        )


if __name__ == "__main__":
    main()
