"""stateful_run: a sequence drift as a Finding — the whole sequence, the step, both sides'
requests, a curl script per side and a pytest test that replays it — and the settings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import contract_tools as ct
from contract_tools.cli.main import app as cli
from contract_tools.models import Finding, Report
from tests.parity.apps import notes_fastapi, notes_flask
from tests.parity.running import run

ROOT = Path(__file__).resolve().parents[2]
LEGACY = "tests.parity.apps.notes_flask:create_app()"
PORT = "tests.parity.apps.notes_fastapi:create_app(('delete-answer',))"


@pytest.fixture(scope="module")
def report() -> Report:
    from contract_tools._parity.session import make_target

    return run(
        make_target(LEGACY, app_dir=str(ROOT)),
        make_target(PORT, app_dir=str(ROOT)),
        seed=3,
        max_examples=3,
        max_sequences=6,
    )


@pytest.fixture(scope="module")
def finding(report: Report) -> Finding:
    (only,) = report.findings
    return only


def test_the_finding_holds_the_sequence_up_to_the_step_that_differs(finding: Finding) -> None:
    assert (finding.operation, finding.id, finding.step) == (
        "DELETE /notes/{note_id}",
        "status-mismatch",
        2,
    )
    assert finding.key.subject == ("sequence", "status 204 -> 200")
    assert finding.message == (
        "status 204 (baseline) vs 200 (candidate) "
        "(step 2 of the sequence POST /notes -> DELETE /notes/{note_id})"
    )
    create, delete = finding.sequence
    assert create.candidate_request is None  # the same request on both sides
    assert delete.candidate_request is not None
    base_id = create.exchange.baseline.json()[1]["id"]
    cand_id = create.exchange.candidate.json()[1]["id"]
    assert base_id != cand_id
    # Each side deleted what it created.
    assert delete.exchange.request.path == f"/notes/{base_id}"
    assert delete.candidate_request.path == f"/notes/{cand_id}"
    assert finding.exchange == delete.exchange


def test_the_curl_script_says_where_each_id_came_from(finding: Finding) -> None:
    assert finding.reproduction is not None
    scripts = dict(finding.reproduction.curl)
    create, delete = finding.sequence
    for side, request, answer in (
        ("baseline", delete.exchange.request, create.exchange.baseline),
        ("candidate", delete.candidate_request, create.exchange.candidate),
    ):
        assert request is not None
        lines = scripts[side].splitlines()
        assert lines[0] == "# step 1/2: POST /notes"
        assert lines[1].startswith("curl --path-as-is --globoff -X POST ")
        assert lines[2] == "# step 2/2: DELETE /notes/{note_id}"
        assert lines[3] == (
            f"#   {{note_id}} = {answer.json()[1]['id']} from step 1's answer ($.id)"
        )
        assert lines[4] == (
            "curl --path-as-is --globoff -X DELETE -H 'Host: localhost' -H Accept: -H User-Agent:"
            f" http://localhost{request.path}"
        )


def test_the_pytest_test_replays_the_sequence_and_fails_while_the_drift_is_there(
    finding: Finding, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert finding.reproduction is not None
    monkeypatch.syspath_prepend(str(ROOT))
    namespace: dict[str, Any] = {}
    exec(compile(finding.reproduction.pytest, "snippet.py", "exec"), namespace)
    (test,) = [v for k, v in namespace.items() if k.startswith("test_")]
    assert test.__name__ == "test_delete_notes_note_id_status_mismatch_sequence"
    with pytest.raises(AssertionError):
        test()
    steps = _steps(finding)
    assert ct.replay_sequence(LEGACY, PORT, steps) == [
        "step 2: status 204 (baseline) vs 200 (candidate)"
    ]
    # The same steps against a faithful port: the test passes.
    assert ct.replay_sequence(LEGACY, "tests.parity.apps.notes_fastapi:create_app()", steps) == []


def _steps(finding: Finding) -> list[Any]:
    from contract_tools._parity.sequence_reproduction import derive_bindings

    return [
        (step.exchange.request, bindings)
        for step, bindings in zip(finding.sequence, derive_bindings(finding.sequence), strict=True)
    ]


def test_the_json_report_round_trips_and_replay_plays_the_sequence_again(
    report: Report, tmp_path: Path
) -> None:
    path = tmp_path / "parity.json"
    path.write_text(json.dumps(report.to_dict()))
    read = ct.read_report(str(path))
    assert [s.to_dict() for s in read.findings[0].sequence] == [
        s.to_dict() for s in report.findings[0].sequence
    ]
    assert read.findings[0].step == 2
    assert read.meta["stateful"] == report.meta["stateful"]
    (result,) = ct.replay(read, baseline=LEGACY, candidate=PORT, app_dir=str(ROOT))
    assert (result.verdict, result.now) == (
        "still reproduces",
        "DELETE /notes/{note_id} status-mismatch [sequence, status 204 -> 200]",
    )
    (fixed,) = ct.replay(
        read,
        baseline=LEGACY,
        candidate="tests.parity.apps.notes_fastapi:create_app()",
        app_dir=str(ROOT),
    )
    assert fixed.verdict == "no longer reproduces"


def test_the_meta_says_what_ran(report: Report) -> None:
    assert report.meta["stateful"] == {
        "state": "fresh per sequence",
        "sequences": report.meta["summary"]["sequences"],
        "shrink_sequences": report.meta["stateful"]["shrink_sequences"],
        "steps": report.meta["stateful"]["steps"],
        "max_steps": 5,
        "max_sequences": 6,
        "links": 20,
    }
    assert report.meta["summary"]["sequences"] == 6


def test_no_stateful_runs_no_sequence() -> None:
    from contract_tools._parity.session import target_for_factory

    quiet = run(
        target_for_factory(notes_flask.create_app),
        target_for_factory(notes_fastapi.create_drifting_app),
        seed=1,
        max_examples=3,
        stateful=False,
    )
    assert quiet.findings == ()
    assert "stateful" not in quiet.meta
    assert quiet.meta["summary"]["sequences"] == 0


def test_the_cli_flags_reach_the_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Any] = []
    monkeypatch.setattr(
        ct.api, "parity", lambda settings, on_event=None: seen.append(settings) or Report("parity")
    )
    result = CliRunner().invoke(
        cli, ["parity", LEGACY, PORT, "--no-stateful", "--max-steps", "3", "--max-sequences", "9"]
    )
    assert result.exit_code == 0, result.output
    (settings,) = seen
    assert (settings.stateful, settings.max_steps, settings.max_sequences) == (False, 3, 9)
    assert ct.parity_settings().stateful is True
    bad = CliRunner().invoke(cli, ["parity", LEGACY, PORT, "--max-steps", "0"])
    assert bad.exit_code == 2
