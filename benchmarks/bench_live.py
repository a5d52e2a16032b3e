"""Live parity: gunicorn (the legacy example) and uvicorn (its port) on loopback, cases per
second with the two requests of a case sent one after the other, side by side, and with several
cases in flight (``--concurrency``), and Schemathesis's own CLI against the port alone for scale
(prints figures; asserts nothing).

Parity: ``--mode positive --max-examples 100 --seed 1`` (another budget: ``bench_live.py N``),
no probes, no sequences, one worker and two (reads in workers, then writes in process).
Schemathesis: ``st run`` on the port's /openapi.json with the same budget and seed, positive
cases, no checks' failures counted against it.

Usage: ``python benchmarks/bench_live.py [max_examples]`` (default 100: enough cases that the
start-up, loading both specs, is not most of the time).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
MAX_EXAMPLES = int(sys.argv[1]) if len(sys.argv) > 1 else 100


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _serving(args: list[str], port: int) -> Iterator[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"server did not start: {' '.join(args)}") from None
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _parity(
    baseline: str, candidate: str, side_by_side: bool, concurrency: int, workers: int = 1
) -> tuple[float, int]:
    import contract_tools as ct
    from contract_tools._parity import overlap

    original = overlap.overlaps
    if not side_by_side:
        overlap.overlaps = lambda a, b: False  # type: ignore[assignment]
    try:
        settings = ct.parity_settings(
            baseline=baseline,
            candidate=candidate,
            mode="positive",
            max_examples=MAX_EXAMPLES,
            seed=1,
            probes="none",
            stateful=False,
            database=False,
            workers=workers,
            concurrency=concurrency,
        )
        started = time.perf_counter()
        report = ct.parity(settings)
        wall = time.perf_counter() - started
    finally:
        overlap.overlaps = original
    return wall, int(report.meta["summary"]["cases"])


def _schemathesis(candidate: str) -> tuple[float, int]:
    command = [
        str(BIN / "st"), "run", f"{candidate}/openapi.json",
        "--max-examples", str(MAX_EXAMPLES), "--seed", "1", "--mode", "positive",
        "--phases", "examples,coverage,fuzzing", "--no-color",
    ]  # fmt: skip
    started = time.perf_counter()
    # In a scratch directory: the CLI keeps a crash cache (.schemathesis/) where it runs.
    with tempfile.TemporaryDirectory() as scratch:
        result = subprocess.run(command, cwd=scratch, capture_output=True, text=True)
    wall = time.perf_counter() - started
    match = re.search(r"(\d+) generated", result.stdout)
    return wall, int(match.group(1)) if match else -1


def main() -> None:
    base_port, cand_port = _free_port(), _free_port()
    gunicorn = [str(BIN / "gunicorn"), "-w", "1", "-b", f"127.0.0.1:{base_port}",
                "examples.legacy_flask:create_app()"]  # fmt: skip
    uvicorn = [str(BIN / "uvicorn"), "--factory", "--host", "127.0.0.1", "--port", str(cand_port),
               "--log-level", "warning", "examples.fastapi_port:create_app"]  # fmt: skip
    with _serving(gunicorn, base_port) as baseline, _serving(uvicorn, cand_port) as candidate:
        rows = []
        for label, side_by_side, concurrency, workers in (
            ("one after the other", False, 1, 1),
            ("side by side", True, 1, 1),
            ("side by side, --concurrency 4", True, 4, 1),
            ("side by side, --concurrency 8", True, 8, 1),
            ("--concurrency 4 --workers 2 (the defaults)", True, 4, 2),
            ("--concurrency 8 --workers 2", True, 8, 2),
        ):
            wall, cases = _parity(baseline, candidate, side_by_side, concurrency, workers)
            rows.append((f"parity, {label}", wall, cases))
        wall, cases = _schemathesis(candidate)
        rows.append(("schemathesis CLI, the port alone", wall, cases))
    load = os.getloadavg()[0]
    print(f"live example pair (gunicorn -w 1, uvicorn), load average {load:.2f}")
    for label, wall, cases in rows:
        rate = cases / wall if wall and cases > 0 else float("nan")
        print(f"{label:45} {wall:6.1f} s wall, {cases:5} cases, {rate:6.1f} cases/s")


if __name__ == "__main__":
    main()
