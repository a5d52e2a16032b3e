"""Parity against the single-process limit (prints figures; asserts nothing).

The limit is what any harness comparing two in-process apps must do, and nothing more:
Schemathesis generation for the same operations with the same budget and seed, each request
rendered and called on both apps (the targets' WSGI/ASGI call; factory references build a fresh
app for a state-changing request, as parity does). No comparison, noise probing, shrinking,
boundary cases or harvesting.

Parity runs the same pair and budget in its own process, as the CLI does (no probes, no
sequences; its boundary cases, comparison and noise probes included), with one worker without
and with shrinking, and with the default workers (the usable cores). The ratio is the limit's
time over parity's for the same budget: over 1, parity explores the same operations and
examples faster than one process could merely generate and send them. (Per case it is lower:
parity sends a request drawn twice once, and counts it once, where the limit sends it again.)

Usage: ``python benchmarks/bench_limit.py [max_examples]`` (default 100).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ROUNDS = 2
BASELINE = "examples.legacy_flask:create_app()"
CANDIDATE = "examples.fastapi_port:create_app()"


def limit(max_examples: int, seed: int = 1) -> tuple[float, int]:
    """(wall seconds, requests) of generating and calling both apps, in this process."""
    from contract_tools._parity.exploration import hypothesis_run, operation_seed
    from contract_tools._parity.generate import build_strategy, merge_operations
    from contract_tools._parity.session import make_target, resolve_specs
    from contract_tools.models import Mode, Request

    baseline, candidate = make_target(BASELINE, app_dir="."), make_target(CANDIDATE, app_dir=".")
    sent = 0
    with baseline, candidate:
        operations = merge_operations(resolve_specs(baseline, candidate))
        started = time.perf_counter()
        for op in operations:
            if not op.sources:
                continue

            def call(request: Request) -> None:
                nonlocal sent
                baseline.send(request)
                candidate.send(request)
                sent += 1

            strategy = build_strategy(op, "positive")
            op_seed = operation_seed(seed, op, Mode.POSITIVE, Mode.POSITIVE)
            hypothesis_run(strategy, call, max_examples, op_seed, shrink=False)
        wall = time.perf_counter() - started
    return wall, sent


_RUN = """
import json, sys
import contract_tools as ct
settings = ct.parity_settings(**json.loads(sys.argv[1]))
print(json.dumps(ct.parity(settings).meta["summary"]))
"""


def parity(max_examples: int, workers: int | None, **extra: object) -> tuple[float, float, int]:
    """(process wall seconds, run seconds, cases) of one run in its own process (as the CLI
    runs: spawned workers, local modules as a user's run loads them)."""
    settings = {
        "baseline": BASELINE,
        "candidate": CANDIDATE,
        "seed": 1,
        "max_examples": max_examples,
        "mode": "positive",
        "probes": "none",
        "stateful": False,
        "database": False,
        **({"workers": workers} if workers else {}),
        **extra,
    }
    env = {k: v for k, v in os.environ.items() if k != "CONTRACT_TOOLS_WORKERS"}
    command = [sys.executable, "-c", _RUN, json.dumps(settings)]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - started
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    return wall, float(summary["duration_s"]), int(summary["cases"])


def main() -> None:
    max_examples = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    print(
        f"example pair, --mode positive --max-examples {max_examples} --seed 1, "
        f"load average {os.getloadavg()[0]:.2f}, {os.cpu_count()} cores; best of {ROUNDS}"
    )
    rows = {
        "parity, one worker, no shrinking": (1, False),
        "parity, one worker": (1, True),
        "parity, default workers": (None, True),
    }
    best: dict[str, tuple[float, int]] = {}
    for _ in range(ROUNDS):  # interleaved, so that a busy minute does not favour one row
        wall, sent = limit(max_examples)
        if "limit" not in best or wall < best["limit"][0]:
            best["limit"] = (wall, sent)
        for label, (workers, shrink) in rows.items():
            _, run, cases = parity(max_examples, workers, shrink=shrink)
            if label not in best or run < best[label][0]:
                best[label] = (run, cases)
    limit_wall, sent = best["limit"]
    print(f"{'single-process limit':32} {limit_wall:6.1f} s, {sent:5} requests sent")
    for label in rows:
        run, cases = best[label]
        print(
            f"{label:32} {run:6.1f} s, {cases:5} cases: {limit_wall / run:.2f}x the limit's speed "
            f"on the same budget ({cases / run:.1f} cases/s against {sent / limit_wall:.1f} "
            "requests/s)"
        )


if __name__ == "__main__":
    main()
