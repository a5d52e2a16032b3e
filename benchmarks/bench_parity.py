"""Cases per second of a parity run on the example pair (prints figures; asserts nothing).

Two kinds of targets, both modes:

- factory: ``module:create_app()``, a fresh app per state-changing request and per
  state-changing probe (what the CLI does for a factory reference: no state leaks between cases);
- shared: ``target_for_app(create_app())``, one instance per side for the whole run (state leaks
  between cases, so its findings may differ; shown for the speed only).

``cases`` are the explored requests; ``shrink`` the requests sent while shrinking drifts (counted
apart, see ``runner._Run._shrink``). The per-request breakdown splits the wall time into app
builds (the factories; for FastAPI the first request of a new instance also pays for its lazy
route set-up, which lands in ``send``), sending (everything inside the targets' ``send``) and the
rest (generation, rendering, comparing, Hypothesis' shrinker).

Each combination runs with shrinking off (``explore``: exploration speed alone) and on.

Usage: ``python benchmarks/bench_parity.py [max_examples]`` (default 50).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from contract_tools._parity import asgi, targets, wsgi
from contract_tools._parity.runner import run_parity
from contract_tools._parity.session import Session, make_target, resolve_specs, target_for_app
from contract_tools._parity.targets import Target
from contract_tools.config import merge
from contract_tools.settings import ParitySettings

BASELINE = "examples.legacy_flask:create_app()"
CANDIDATE = "examples.fastapi_port:create_app()"


@contextmanager
def timed(owner: type, name: str, into: dict[str, float], key: str) -> Iterator[None]:
    """Add the time spent in ``owner.name`` to ``into[key]`` while the block runs."""
    original: Callable[..., Any] = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            into[key] += time.perf_counter() - started

    setattr(owner, name, wrapper)
    try:
        yield
    finally:
        setattr(owner, name, original)


def make_pair(kind: str) -> tuple[Target, Target]:
    if kind == "factory":
        return make_target(BASELINE), make_target(CANDIDATE)
    from examples.fastapi_port import create_app as create_fastapi
    from examples.legacy_flask import create_app as create_flask

    return target_for_app(create_flask(), BASELINE), target_for_app(create_fastapi(), CANDIDATE)


def run(kind: str, mode: str, max_examples: int, shrink: bool) -> None:
    baseline, candidate = make_pair(kind)
    specs = resolve_specs(baseline, candidate)
    spent = {"build": 0.0, "send": 0.0}
    started = time.perf_counter()
    with (
        timed(targets._AppTarget, "_load", spent, "build"),
        timed(wsgi.WSGITarget, "_send", spent, "send"),
        timed(asgi.ASGITarget, "_send", spent, "send"),
    ):
        settings = merge(
            # Exploration and shrinking alone, in this process (the breakdown times methods
            # here): the probe and stateful phases send requests that are neither cases nor
            # shrinking, and workers would explore elsewhere (bench_workers has both).
            ParitySettings(database=None, probes=(), stateful=False, workers=1),
            max_examples=max_examples,
            seed=1,
            mode=mode,
            shrink=shrink,
        )
        report = run_parity(Session(baseline, candidate, specs), settings)
    elapsed = time.perf_counter() - started
    summary = report.meta["summary"]
    cases, shrunk = summary["cases"], summary.get("shrink_cases", 0)
    sent = cases + shrunk
    # Builds happen inside _send for fresh instances: take them out of the send figure.
    send_only = spent["send"] - spent["build"]
    rest = elapsed - spent["send"]
    print(
        f"{mode:8} {kind:7} {'shrink' if shrink else 'explore':7} "
        f"{cases:5d} cases {shrunk:5d} shrink {elapsed:6.1f}s "
        f"{cases / elapsed:6.1f} cases/s {sent / elapsed:6.1f} requests/s "
        f"{len(report.findings):3d} findings | per request: "
        f"build {1000 * spent['build'] / sent:5.1f} ms, send {1000 * send_only / sent:5.1f} ms, "
        f"rest {1000 * rest / sent:5.1f} ms"
    )


def main() -> None:
    max_examples = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    # Shrinking off isolates exploration speed; on, it adds the requests spent on minimising.
    for shrink in (False, True):
        for mode in ("positive", "all"):
            for kind in ("factory", "shared"):
                run(kind, mode, max_examples, shrink)


if __name__ == "__main__":
    main()
