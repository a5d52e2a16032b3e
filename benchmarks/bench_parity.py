"""Cases per second of a parity run on the example pair (prints figures; asserts nothing)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from contract_tools.parity.runner import ParityOptions, resolve_specs, run_parity
from contract_tools.parity.targets import make_target

BASELINE = "examples.legacy_flask:create_app()"
CANDIDATE = "examples.fastapi_port:create_app()"


def main() -> None:
    max_examples = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    for mode in ("positive", "all"):
        for label in ("factories: fresh app per state-changing case and per probe",):
            baseline = make_target(BASELINE)
            candidate = make_target(CANDIDATE)
            specs = resolve_specs(baseline, candidate)
            started = time.perf_counter()
            report = run_parity(
                baseline,
                candidate,
                specs,
                ParityOptions(max_examples=max_examples, seed=1, mode=mode),
            )
            elapsed = time.perf_counter() - started
            cases = report.meta["summary"]["cases"]
            print(
                f"{mode:8} {label} {cases:5d} cases {elapsed:6.1f}s "
                f"{cases / elapsed:7.1f} cases/s  {len(report.findings)} findings"
            )


if __name__ == "__main__":
    main()
