"""`make demo`: the whole migration check on the bundled pair, as a user would run it.

Each step is the real CLI. The port carries deliberate drifts (examples/README.md), so diff and
parity are expected to exit 1: the demo shows that, and fails only on any other exit code.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "out"
LEGACY = "examples.legacy_flask:create_app()"
PORT = "examples.fastapi_port:create_app()"

STEPS: list[tuple[str, list[str], tuple[int, ...]]] = [
    (
        "1. Draft the legacy contract from Flask's url_map (no annotations needed)",
        ["flask-spec", LEGACY, "-o", str(OUT / "legacy.json")],
        (0,),
    ),
    (
        "2. Pull the FastAPI port's contract",
        ["fastapi-spec", PORT, "-o", str(OUT / "port.json")],
        (0,),
    ),
    (
        "3. Diff the declared contracts (breaking-change rules)",
        ["diff", str(OUT / "legacy.json"), str(OUT / "port.json")],
        (0, 1),
    ),
    (
        "4. Fire identical generated requests at both apps and compare the answers",
        [
            "parity",
            LEGACY,
            PORT,
            "--seed",
            "1",
            "--max-examples",
            "25",
            "--mode",
            "positive",
            "--json",
            str(OUT / "parity.json"),
            "--html",
            str(OUT / "parity.html"),
            "--markdown",
            str(OUT / "parity.md"),
        ],
        (0, 1),
    ),
]


def main() -> int:
    OUT.mkdir(exist_ok=True)
    for title, args, expected in STEPS:
        print(f"\n=== {title}", flush=True)
        print(f"$ contract-tools {shlex.join(args)}", flush=True)
        code = subprocess.call([sys.executable, "-m", "contract_tools", *args], cwd=ROOT)
        if code not in expected:
            print(f"demo: step failed with exit code {code}", file=sys.stderr)
            return code
        if code == 1:
            print("(exit 1: the gate found drift, as the example intends)", flush=True)
    print(f"\nReports are in {OUT.relative_to(ROOT)}/: open parity.html in a browser.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
