"""The bundled example pair (examples/README.md): exactly the deliberate drifts, fixed seed.

Run as users run it: the CLI in its own process. Hypothesis mixes literal constants from every
local module loaded in the process into its draws, so an in-process run inside a test suite
depends on which modules earlier tests imported; one CLI process loads the same modules every
time, which is what makes `--seed` repeat a run.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from contract_tools.models import Level

ROOT = Path(__file__).resolve().parents[2]


def run_parity_cli(tmp_path: Path, *args: str) -> Any:
    """`contract-tools parity` on the pair in a fresh process; the JSON report as findings."""
    out = tmp_path / "parity.json"
    command = [
        sys.executable,
        "-m",
        "contract_tools",
        "parity",
        "examples.legacy_flask:create_app()",
        "examples.fastapi_port:create_app()",
        "--seed",
        "1",
        "--no-database",
        "--json",
        str(out),
        # What generation alone finds, as documented; later options win (test_probes covers
        # the example pair's run with its defaults).
        *("--probes", "none", "--no-harvest"),
        *args,
    ]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stderr  # the gate fails: the pair has drifts
    document = json.loads(out.read_text())
    findings = [
        SimpleNamespace(
            id=f["id"],
            level=Level.parse(f["level"]),
            operation=f["operation"],
            message=f["message"],
            details=f["details"],
        )
        for f in document["findings"]
    ]
    return SimpleNamespace(
        findings=findings,
        noise=tuple(document["noise"]),
        skipped=tuple(document["skipped"]),
    )


def subject(finding: SimpleNamespace) -> tuple[str, ...]:
    """What differs, as the finding's identity says it: ``about`` (status pair, side) or paths."""
    about = finding.details.get("about")
    return (about,) if about else tuple(finding.details["paths"])


def noise(report: SimpleNamespace) -> set[tuple[str, tuple[str, ...]]]:
    """(operation, paths) learned, whatever the request shapes they were learned for."""
    return {(e["operation"], tuple(e["paths"])) for e in report.noise}


def test_every_operation_positive_mode_finds_exactly_the_listed_drifts(tmp_path: Path) -> None:
    report = run_parity_cli(tmp_path, "--mode", "positive", "--max-examples", "25")
    errors = {(f.id, f.operation, subject(f)) for f in report.findings if f.level is Level.ERROR}
    assert errors == {
        # 1: default limit 10 -> 20 (two path sets: with and without more than 10 items shown)
        ("body-mismatch", "GET /books/", ("$.items[*]", "$.limit")),
        ("body-mismatch", "GET /books/", ("$.limit",)),
        # 2: 201 -> 200 on create (the port's documented example body is a valid book)
        ("status-mismatch", "POST /books/", ("status 201 -> 200",)),
        # 5 shows only with an invalid body: positive mode sends only bodies both sides call
        # valid (the legacy draft declares them). The --mode all test below has it.
        # 3: author -> author_name
        ("body-mismatch", "GET /books/{book_id}", ("$.author", "$.author_name")),
        # 4: DELETE not ported
        ("missing-operation", "DELETE /books/{book_id}", ("missing on candidate",)),
        # 6: Decimal total as a string vs a number (reached through the port's example id)
        ("body-mismatch", "GET /orders/{order_id}", ("$.total",)),
    }
    # Requests outside the legacy contract (Werkzeug's float needs a dot; ids are unsigned):
    # reported, but as warnings, since no client keeping to the legacy contract sends them.
    warnings = {(f.id, f.operation) for f in report.findings if f.level is Level.WARNING}
    assert warnings == {("status-mismatch", "GET /books/cheaper-than/{price}")}
    assert all(
        "outside the baseline's contract" in f.message
        for f in report.findings
        if f.level is Level.WARNING
    )
    assert noise(report) == {("GET /", ("$.served_at",)), ("POST /books/", ("$.created_at",))}
    assert report.skipped == ()


DRIFT_OPERATIONS = (
    "GET /books/",
    "POST /books/",
    "GET /books/{book_id}",
    "DELETE /books/{book_id}",
    "POST /authors/",
    "GET /orders/{order_id}",
)


def test_mode_all_finds_every_drift_with_its_own_positive_budget(tmp_path: Path) -> None:
    """--mode all (the default) once missed drift 2: invalid inputs crowded out valid bodies.
    Drift 2 needs a valid book by an existing author: the port's documented example is one."""
    include = [arg for op in DRIFT_OPERATIONS for arg in ("--include", op)]
    report = run_parity_cli(tmp_path, "--mode", "all", "--max-examples", "25", *include)
    errors = {(f.id, f.operation, subject(f)) for f in report.findings if f.level is Level.ERROR}
    assert errors == {
        ("body-mismatch", "GET /books/", ("$.items[*]", "$.limit")),  # 1
        # The framework difference of MIGRATION_FACTS: ?limit=abc falls back to the default in
        # Flask (the legacy draft says so), FastAPI answers 422.
        ("status-mismatch", "GET /books/", ("status 200 -> 422",)),
        ("status-mismatch", "POST /books/", ("status 201 -> 200",)),  # 2
        ("body-mismatch", "GET /books/{book_id}", ("$.author", "$.author_name")),  # 3
        ("missing-operation", "DELETE /books/{book_id}", ("missing on candidate",)),  # 4
        ("status-mismatch", "POST /authors/", ("status 400 -> 422",)),  # 5
        # 5 again: a body that is not UTF-8 gets FastAPI's own message on that router.
        ("body-mismatch", "POST /authors/", ("$.error",)),
        ("body-mismatch", "GET /orders/{order_id}", ("$.total",)),  # 6
    }
    # Ids that Werkzeug's converters refuse (404) and FastAPI answers 422: outside the contract.
    warnings = {(f.id, f.operation) for f in report.findings if f.level is Level.WARNING}
    assert warnings == {
        ("status-mismatch", "GET /books/{book_id}"),
        ("status-mismatch", "GET /orders/{order_id}"),
    }
    assert noise(report) == {("POST /books/", ("$.created_at",))}
