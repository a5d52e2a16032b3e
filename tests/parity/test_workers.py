"""``parity --workers N``: operations explored in worker processes, the same findings for a seed
whatever N; errors of a worker said as in process; results merged in operation order."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from contract_tools._parity.case import Outcome
from contract_tools._parity.compare import BODY, STATUS, Difference
from contract_tools._parity.identity import Signatures
from contract_tools._parity.session import target_for_factory
from contract_tools._parity.unit import Merged, UnitResult, merge
from contract_tools.cli.main import app
from contract_tools.models import Level, Mode, Report, Request, Response, ResponsePath
from tests.parity.apps import bookshop_fastapi, bookshop_flask
from tests.parity.items import STATEFUL, ItemsServer, found, live_run, serving
from tests.parity.running import run

ROOT = Path(__file__).resolve().parents[2]


def _pair(tmp_path: Path, workers: int) -> dict[str, Any]:
    """The bundled pair through the CLI in its own process (see test_example_pair: one process
    per run loads the same modules, which is what makes a seed repeat), probes and harvest on."""
    out = tmp_path / f"parity-{workers}.json"
    command = [
        *(sys.executable, "-m", "contract_tools", "parity"),
        *("examples.legacy_flask:create_app()", "examples.fastapi_port:create_app()"),
        *("--seed", "3", "--max-examples", "8", "--max-sequences", "4", "--no-database"),
        *("--workers", str(workers), "--json", str(out)),
    ]
    # One hash seed for both runs: Flask builds Allow from a set, so the legacy app's own
    # header order (and the finding messages that quote it) follow hash randomisation. What
    # is compared here is the tool's determinism, not the app's.
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600, env=env)
    assert result.returncode == 1, result.stderr  # the gate fails: the pair has drifts
    document: dict[str, Any] = json.loads(out.read_text())
    return document


def _findings(document: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (
            f["id"],
            f["level"],
            f["operation"],
            f["details"].get("about") or tuple(f["details"]["paths"]),
            f["count"],
            f["message"],
        )
        for f in document["findings"]
    ]


def test_the_example_pair_finds_the_same_with_one_and_two_workers(tmp_path: Path) -> None:
    one, two = _pair(tmp_path, 1), _pair(tmp_path, 2)
    assert (one["workers"], two["workers"]) == (1, 2)
    assert _findings(one) == _findings(two)
    assert len(_findings(one)) > 20  # deliberate drifts in most operations: a real comparison
    assert one["noise"] == two["noise"]
    assert one["skipped"] == two["skipped"]
    for key in ("operations", "cases", "shrink_cases", "probe_cases", "findings", "sequences"):
        assert one["summary"][key] == two["summary"][key], key
    per_operation = [[(o["operation"], o["cases"]) for o in d["operations"]] for d in (one, two)]
    assert per_operation[0] == per_operation[1]


def test_an_app_that_does_not_load_in_a_worker_is_one_error_line() -> None:
    baseline = "tests.parity.apps.parent_only:create_app()"
    candidate = "tests.parity.apps.bookshop_fastapi:create_app()"
    args = ["parity", baseline, candidate, "--seed", "1", "--max-examples", "2", "--probes", "none"]
    failed = CliRunner().invoke(app, [*args, "--workers", "2", "--no-stateful"])
    assert failed.exit_code == 3
    assert failed.stderr == (
        f"error: {baseline}: factory 'create_app' raised RuntimeError: "
        "loads in the parent process only\n"
    )
    # In process, the same app loads: only the worker could not build it.
    alone = CliRunner().invoke(app, [*args, "--workers", "1", "--no-stateful"])
    assert alone.exit_code == 0, alone.stderr


def test_targets_handed_in_as_objects_run_in_process() -> None:
    baseline = target_for_factory(bookshop_flask.create_app, "flask")
    candidate = target_for_factory(bookshop_fastapi.create_drifted_app, "fastapi")
    report = run(baseline, candidate, max_examples=5, seed=2, workers=2, stateful=False)
    assert report.meta["workers"] == 1
    assert report.findings  # it ran: the drifted port has drifts


def _result(index: int, cases: int, kinds: list[str], noisy: bool) -> UnitResult:
    """A unit's result for operation ``GET /op{index}``, one drift per kind."""
    operation = f"GET /op{index}"
    signatures = Signatures()
    request = Request("GET", f"/op{index}")
    outcome = Outcome(Response(200, body=b"{}"), Response(500 if STATUS in kinds else 200))
    for kind in kinds:
        path = ResponsePath.parse("status" if kind == STATUS else "$.a")
        diff = Difference(kind, Level.ERROR, (path,), f"{kind} at {index}")
        signatures.record(operation, diff, request, outcome)
    return UnitResult(
        index,
        operation,
        signatures=signatures.by_key,
        noise={(operation, "2xx"): {ResponsePath.parse("$.at")}} if noisy else {},
        cases=cases,
        compared=cases,
        time_s=0.5 * index,
        skipped=None if cases else "no schema",
        save=[(Mode.POSITIVE, request)] if kinds else [],
    )


def _view(merged: Merged) -> tuple[Any, ...]:
    sigs = [(key, sig.message, sig.count) for key, sig in merged.signatures.by_key.items()]
    return (
        sigs,
        merged.noise,
        merged.cases,
        merged.compared,
        merged.skipped,
        merged.timings,
        merged.save,
    )


@settings(max_examples=50, deadline=None)
@given(
    units=st.lists(
        st.tuples(
            st.integers(0, 40),
            st.lists(st.sampled_from([STATUS, BODY]), max_size=2, unique=True),
            st.booleans(),
        ),
        min_size=1,
        max_size=8,
    ),
    data=st.data(),
)
def test_merge_does_not_depend_on_the_order_units_finish(
    units: list[tuple[int, list[str], bool]], data: st.DataObject
) -> None:
    results = [_result(i, cases, kinds, noisy) for i, (cases, kinds, noisy) in enumerate(units)]
    finished = data.draw(st.permutations(results))
    merged = merge(finished)
    assert _view(merged) == _view(merge(results))
    # Operation order: every operation's drifts after those of the operations before it.
    order = [key.operation for key in merged.signatures.by_key]
    assert order == sorted(order, key=lambda op: int(op.removeprefix("GET /op")))
    assert merged.cases == sum(cases for cases, _, _ in units)
    assert [t["operation"] for t in merged.timings] == [f"GET /op{i}" for i in range(len(units))]


def test_the_default_comes_from_the_environment_else_the_cores(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from contract_tools._parity.workers import default_workers, usable_cores
    from contract_tools.errors import UsageError

    monkeypatch.setenv("CONTRACT_TOOLS_WORKERS", "3")
    assert default_workers() == 3
    monkeypatch.delenv("CONTRACT_TOOLS_WORKERS")
    assert default_workers() == usable_cores() >= 1
    for bad in ("0", "two", "-1"):
        monkeypatch.setenv("CONTRACT_TOOLS_WORKERS", bad)
        with pytest.raises(UsageError, match=rf"^\$CONTRACT_TOOLS_WORKERS='{bad}': expected"):
            default_workers()


def test_a_script_without_a_main_guard_gets_one_line_that_says_what_to_do(tmp_path: Path) -> None:
    # Spawned workers import the calling script again; unguarded, it starts a run there too,
    # which multiprocessing refuses, and the pool breaks. The parent says why, not "broken pool".
    script = tmp_path / "unguarded.py"
    script.write_text(
        "import contract_tools as ct\n"
        "settings = ct.parity_settings(\n"
        "    baseline='tests.parity.apps.bookshop_flask:create_app()',\n"
        "    candidate='tests.parity.apps.bookshop_fastapi:create_app()',\n"
        "    max_examples=2, probes='none', stateful=False, database=False, workers=2,\n"
        ")\n"
        "try:\n"
        "    ct.parity(settings)\n"
        "except ct.ContractToolsError as exc:\n"
        "    print(type(exc).__name__, exc.exit_code, exc)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, str(script)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.stdout.strip().splitlines()[-1] == (
        "AppLoadError 3 a worker process ended abruptly (killed, out of memory, or it could not "
        "start: a script that calls contract_tools.parity must do it under `if __name__ == "
        "'__main__':`, since workers import the script); --workers 1 explores in this process"
    )


# -- live servers: reads in workers first, then writes here, in order -----------------------


def _live_items_run(workers: int) -> tuple[Report, ItemsServer, ItemsServer]:
    with serving() as (legacy, port):
        report = live_run(legacy, port, STATEFUL, workers=workers)
    return report, legacy, port


def test_two_live_servers_read_in_workers_first_then_write_here_with_the_same_findings() -> None:
    one, legacy_one, port_one = _live_items_run(workers=1)
    two, legacy_two, port_two = _live_items_run(workers=2)
    assert (one.meta["workers"], two.meta["workers"]) == (1, 2)
    drifts = [(f.key.operation, f.key.id, f.subject) for f in one.findings]
    assert drifts == [
        ("GET /items/{id}", "status-mismatch", ("status 200 -> 404",)),
        ("POST /items", "status-mismatch", ("status 201 -> 200",)),
    ]
    assert found(two) == found(one)
    assert one.meta["summary"]["cases"] == two.meta["summary"]["cases"]
    for server in (legacy_one, port_one, legacy_two, port_two):
        # Every read before the first write: GET /count saw no item created, whatever N.
        methods = [line.split()[0] for line in server.log]
        assert methods == sorted(methods, key=lambda m: m == "POST")
        assert "POST" in methods and "GET /count" in server.log
