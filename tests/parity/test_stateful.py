"""The stateful phase on the notes pair: each state drift found only by a sequence, the
shortest sequence kept, ids mapped and clocks cancelled, nothing on a faithful port."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from contract_tools._parity.case import Judge
from contract_tools._parity.generate import merge_operations
from contract_tools._parity.links import infer_links
from contract_tools._parity.noise import NoiseBook
from contract_tools._parity.normalize import Normalizer
from contract_tools._parity.sequence_drifts import Budget
from contract_tools._parity.sequences import Planner, Step
from contract_tools._parity.session import resolve_specs, target_for_app, target_for_factory
from contract_tools._parity.stateful import StatefulPhase
from tests.parity.apps import notes_fastapi, notes_flask
from tests.parity.running import run

ROOT = Path(__file__).resolve().parents[2]
SEED = 3
LEGACY = "tests.parity.apps.notes_flask:create_app()"
CREATE = "POST /notes"
ITEM = "/notes/{note_id}"
Shown = set[tuple[str, str, tuple[str, ...], tuple[str, ...]]]


def _cli(tmp_path: Path, candidate: str, *args: str) -> dict[str, Any]:
    """`contract-tools parity` in its own process, as the example pair's tests run it:
    Hypothesis mixes constants of every module a process loaded into its draws, so only a
    fresh process makes a seed repeat a run exactly."""
    out = tmp_path / "parity.json"
    command = [
        sys.executable,
        "-m",
        "contract_tools",
        "parity",
        LEGACY,
        candidate,
        "--seed",
        str(SEED),
        "--no-database",
        "--max-examples",
        "5",
        "--max-sequences",
        "20",
        # Sequences and generation only: the framework probes (HEAD, OPTIONS, //path) have
        # pairs of their own, and the notes ports leave those surfaces as FastAPI has them.
        "--probes",
        "none",
        "--json",
        str(out),
        *args,
    ]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode in (0, 1), result.stderr
    document: dict[str, Any] = json.loads(out.read_text())
    return document


def _shown(document: dict[str, Any]) -> Shown:
    """(operation, id, paths, operations of the sequence) of every finding."""
    return {
        (
            f["operation"],
            f["id"],
            tuple(f["details"]["paths"]),
            tuple(s["operation"] for s in f["details"].get("sequence", ())),
        )
        for f in document["findings"]
    }


def _port(*drifts: str) -> str:
    return f"tests.parity.apps.notes_fastapi:create_app({drifts!r})"


EXPECTED: dict[str, Shown] = {
    "delete-answer": {
        ("DELETE " + ITEM, "status-mismatch", ("status",), (CREATE, "DELETE " + ITEM))
    },
    "archive-hides": {
        (
            "GET " + ITEM,
            "status-mismatch",
            ("status",),
            (CREATE, f"POST {ITEM}/archive", "GET " + ITEM),
        )
    },
    "list-archived": {
        ("GET /notes", "body-mismatch", ("$[*]",), (CREATE, f"POST {ITEM}/archive", "GET /notes"))
    },
    "deleted-gone": {
        ("GET " + ITEM, "status-mismatch", ("status",), (CREATE, "DELETE " + ITEM, "GET " + ITEM)),
        # Its archive answers 410 too: another operation, another finding.
        (
            f"POST {ITEM}/archive",
            "status-mismatch",
            ("status",),
            (CREATE, "DELETE " + ITEM, f"POST {ITEM}/archive"),
        ),
    },
    "patch-resets": {("PATCH " + ITEM, "body-mismatch", ("$.body",), (CREATE, "PATCH " + ITEM))},
}


@pytest.mark.parametrize("drift", sorted(EXPECTED))
def test_each_state_drift_is_found_by_its_shortest_sequence(tmp_path: Path, drift: str) -> None:
    document = _cli(tmp_path, _port(drift))
    assert _shown(document) == EXPECTED[drift]
    for finding in document["findings"]:
        details = finding["details"]
        assert details["step"] == len(details["sequence"])
    assert document["stateful"]["state"] == "fresh per sequence"


def test_no_single_request_reaches_them_and_a_seed_repeats_the_sequences(tmp_path: Path) -> None:
    drifting = "tests.parity.apps.notes_fastapi:create_drifting_app()"
    # One request with a random id only meets the 404 branch on both sides.
    assert _cli(tmp_path, drifting, "--no-stateful")["findings"] == []
    first, again = _cli(tmp_path, drifting), _cli(tmp_path, drifting)
    assert _shown(first) == _shown(again)
    found = {(operation, finding_id, paths) for operation, finding_id, paths, _ in _shown(first)}
    assert found >= {
        ("DELETE " + ITEM, "status-mismatch", ("status",)),
        ("GET /notes", "body-mismatch", ("$[*]",)),
        # archive-hides (200 vs 404) and deleted-gone (404 vs 410) are one drift of the
        # read's status by identity; the shorter sequence is the example.
        ("GET " + ITEM, "status-mismatch", ("status",)),
        ("PATCH " + ITEM, "body-mismatch", ("$.body",)),
    }
    # What else the random plans met is deleted-gone again, on the other operations.
    assert found - {f[:3] for drift in EXPECTED.values() for f in drift} <= {
        ("PATCH " + ITEM, "status-mismatch", ("status",)),
        (f"POST {ITEM}/archive", "status-mismatch", ("status",)),
    }


def test_a_faithful_port_with_random_ids_clocks_and_flask_methods_gives_no_finding(
    tmp_path: Path,
) -> None:
    document = _cli(tmp_path, "tests.parity.apps.notes_fastapi:create_app()")
    assert document["findings"] == []
    assert document["stateful"]["sequences"] == 19
    assert "warnings" not in document
    noise = {entry["operation"]: entry["paths"] for entry in document["noise"]}
    # Clocks are noise, in lists too; ids never are once mapped (only the single-request
    # phase, which cannot map them, learns POST /notes's id).
    assert "$[*].created_at" in noise["GET /notes"]
    assert not any("id" in path for path in noise["GET /notes"])


def _phase(candidate: Any, shared: bool = False) -> tuple[StatefulPhase, Planner]:
    base = (
        target_for_app(notes_flask.create_app())
        if shared
        else target_for_factory(notes_flask.create_app)
    )
    cand = target_for_app(candidate()) if shared else target_for_factory(candidate)
    specs = resolve_specs(base, cand)
    ops = merge_operations(specs)
    noise = NoiseBook()
    normalizer = Normalizer.preset()
    judge = Judge(base, cand, specs, normalizer, noise)
    phase = StatefulPhase(base, cand, judge, noise, normalizer, known=lambda key: None)
    phase._ops = {op.key: op for op in ops}
    planner = Planner(ops, infer_links(ops, specs))
    for link in infer_links(ops, specs):
        phase._links_from.setdefault(link.source, []).append(link)
    return phase, planner


def test_shrinking_leaves_out_every_step_the_drift_does_not_need() -> None:
    phase, planner = _phase(lambda: notes_fastapi.create_app(("archive-hides",)))
    skeleton = {tuple(s.operation for s in p): p for p in planner.skeletons(100)}
    create, archive, read = skeleton[(CREATE, f"POST {ITEM}/archive", "GET " + ITEM)]
    listing = skeleton[(CREATE, "DELETE " + ITEM, "GET /notes")][2]
    # Five steps, two of them irrelevant (a list read, a second read of the archived note).
    long = (create, Step(listing.operation, listing.request), archive, read, read)
    run_ = phase.check(long)
    assert [n for n, _ in run_.shown] == [4, 5]  # a read changes nothing: the plan goes on
    (key,) = phase._record(run_)
    strategy = planner.strategy(5)
    budget = Budget(max_sequences=10, max_steps=5, shrink=True, shrink_sequences=20)
    phase._shrink(key, strategy, {long: run_}, {}, budget, seed=1, explored=0)
    drift = phase.drifts[key]
    assert [s.operation for s in drift.run.plan[: drift.step]] == [
        CREATE,
        f"POST {ITEM}/archive",
        "GET " + ITEM,
    ]
    assert drift.count == 1


def test_a_shared_state_says_so_and_warns_when_the_lists_differ_before_any_sequence() -> None:
    from contract_tools.models import Request

    candidate = target_for_app(notes_fastapi.create_app(), "notes_fastapi")
    with candidate:  # a note the baseline does not hold
        made = candidate.send(
            Request.build(
                "POST",
                "/notes",
                headers=[("Content-Type", "application/json"), ("Content-Length", "22")],
                body=b'{"title": "left over"}',
            )
        )
    assert made.status == 201
    report = run(
        target_for_app(notes_flask.create_app(), "notes_flask"),
        candidate,
        seed=SEED,
        max_examples=3,
        max_sequences=2,
        include=["^GET /notes$"],
    )
    assert report.meta["stateful"]["state"] == "shared"
    assert report.meta["warnings"] == [
        "GET /notes: at the first step of a sequence the baseline listed 0 item(s), the "
        "candidate 1: the two sides' shared state has diverged, so later steps may differ for "
        "that reason (use factory references or reset both)"
    ]


@pytest.fixture(scope="module")
def live_pairs() -> Iterator[list[tuple[str, str]]]:
    """Two pairs, each with its own state: the legacy notes under gunicorn with the drifting
    port under uvicorn, and again with the faithful port."""
    from tests.parity.test_live import BIN, _free_port, _serve

    def legacy(port: int) -> Iterator[str]:
        return _serve([str(BIN / "gunicorn"), "-w", "1", "-b", f"127.0.0.1:{port}", LEGACY], port)

    def port_app(port: int, factory: str) -> Iterator[str]:
        command = [str(BIN / "uvicorn"), "--factory", "--host", "127.0.0.1", "--port", str(port)]
        command += ["--log-level", "warning", f"tests.parity.apps.notes_fastapi:{factory}"]
        return _serve(command, port)

    ports = [_free_port() for _ in range(4)]
    servers = [
        legacy(ports[0]),
        port_app(ports[1], "create_drifting_app"),
        legacy(ports[2]),
        port_app(ports[3], "create_app"),
    ]
    try:
        urls = [next(server) for server in servers]
        yield [(urls[0], urls[1]), (urls[2], urls[3])]
    finally:
        for server in servers:
            server.close()  # runs each generator's finally: its server is stopped


def _live(baseline: str, candidate: str, tmp_path: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """The sequence findings and the warnings of a parity run of two live servers: the CLI in
    its own process, so the draws do not depend on which modules earlier tests loaded."""
    out = tmp_path / "parity.json"
    command = [
        *(sys.executable, "-m", "contract_tools", "parity", baseline, candidate),
        *("--seed", str(SEED), "--max-examples", "5", "--max-sequences", "20"),
        *("--probes", "none", "--no-database", "--fail-on", "never", "--json", str(out)),
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    document = json.loads(out.read_text())
    assert document["stateful"]["state"] == "shared"
    findings = [f for f in document["findings"] if "sequence" in f["details"]]
    return findings, document.get("warnings", [])


def test_live_servers_share_their_state_and_still_show_the_state_drifts(
    live_pairs: list[tuple[str, str]], tmp_path: Path
) -> None:
    (legacy, drifting), (other_legacy, faithful) = live_pairs
    # One state for every sequence: what differs is seen again in later lists with other
    # path sets, so the drifts are checked by operation and finding id.
    drifts, _ = _live(legacy, drifting, tmp_path)
    found = {(f["operation"], f["id"]) for f in drifts}
    assert found == {
        ("DELETE " + ITEM, "status-mismatch"),
        ("GET /notes", "body-mismatch"),
        ("GET " + ITEM, "status-mismatch"),
        ("PATCH " + ITEM, "body-mismatch"),
        ("PATCH " + ITEM, "status-mismatch"),
        (f"POST {ITEM}/archive", "status-mismatch"),
    }
    # The list also holds the notes the single requests created on both servers, never paired
    # (random ids, each server's clock): the read before any sequence shows it, it is said
    # once, and no sequence reports it. (It used to: two GET /notes findings at these fields.)
    quiet, warnings = _live(other_legacy, faithful, tmp_path)
    assert quiet == []
    assert [w for w in warnings if "before any sequence" in w] == [
        "GET /notes: before any sequence both lists already differ at $[*].created_at, "
        "$[*].id (items the single requests created on each side, never paired): not compared "
        "in sequences"
    ]
