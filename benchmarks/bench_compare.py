"""Comparing two large JSON bodies: time and peak memory of one parity comparison.

Two ~48 MB bodies with 1,000 differing items (the case that took 234 s and 2.4 GB when DeepDiff
explained every difference). Each comparison runs in a fresh process so that its peak memory
(ru_maxrss) is its own; the figure includes parsing both bodies.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def bodies(items: int, changed: int) -> tuple[bytes, bytes]:
    rows = [
        {"id": n, "name": f"item {n}", "tags": ["a", "b"], "price": n * 1.25, "note": "x" * 300}
        for n in range(items)
    ]
    other = [dict(row) for row in rows]
    step = max(1, items // changed)
    for n in range(0, items, step)[:changed]:
        other[n]["price"] = -1
    return json.dumps({"rows": rows}).encode(), json.dumps({"rows": other}).encode()


def measure() -> None:
    from contract_tools._parity.compare import compare
    from contract_tools.models import Response

    left, right = bodies(125_000, 1_000)
    headers = (("Content-Type", "application/json"),)
    started = time.perf_counter()
    differences = compare(Response(200, headers, left), Response(200, headers, right))
    took = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    paths = [str(p) for d in differences for p in d.paths]
    print(
        f"two {len(left) / 1e6:.0f} MB bodies, 1,000 differing items: {took:.2f} s, "
        f"peak {peak:.0f} MB (process), paths {paths}"
    )


def main() -> None:
    # A process of its own: the peak RSS is this comparison's, not the whole benchmark run's.
    subprocess.run(
        [sys.executable, __file__, "--measure"], check=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT)}
    )


if __name__ == "__main__":
    if "--measure" in sys.argv:
        sys.path.insert(0, str(ROOT))
        measure()
    else:
        main()
