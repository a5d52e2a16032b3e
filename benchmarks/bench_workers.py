"""Wall time and cases per second of ``parity --workers N`` on the example pair, N = 1 and 2,
the same seed (prints figures; asserts nothing).

Each run is the CLI in its own process, as users run it (spawned workers, the probe phase and
the stateful phase in the parent). ``cases`` counts explored requests only (not probes, not
shrinking), the same for every N: the figures compare like with like.

Usage: ``python benchmarks/bench_workers.py [max_examples]`` (default 25).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = "examples.legacy_flask:create_app()"
CANDIDATE = "examples.fastapi_port:create_app()"


def run(workers: int, max_examples: int, seed: int = 1) -> tuple[float, int, int]:
    """(wall seconds, cases, findings) of one CLI run."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "parity.json"
        command = [
            *(sys.executable, "-m", "contract_tools", "parity", BASELINE, CANDIDATE),
            *("--seed", str(seed), "--max-examples", str(max_examples), "--no-database"),
            *("--workers", str(workers), "--fail-on", "never", "--json", str(out)),
        ]
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
        wall = time.perf_counter() - started
        document = json.loads(out.read_text())
    return wall, document["summary"]["cases"], len(document["findings"])


def main() -> None:
    max_examples = int(sys.argv[1]) if len(sys.argv) > 1 else 25
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"example pair, seed 1, --max-examples {max_examples}, load average {load:.2f}")
    walls = {}
    for workers in (1, 2):
        wall, cases, findings = run(workers, max_examples)
        walls[workers] = wall
        print(
            f"--workers {workers}: {wall:6.1f} s wall, {cases} cases, "
            f"{cases / wall:6.1f} cases/s, {findings} findings"
        )
    print(f"ratio (1 worker / 2 workers wall time): {walls[1] / walls[2]:.2f}x")


if __name__ == "__main__":
    main()
