"""Replay through the public API: a written report read back, its findings sent again, and the
one-request replay the generated pytest tests call."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import contract_tools as ct
from contract_tools.errors import UsageError

FLASK = "tests.parity.apps.bookshop_flask:create_app()"
FAITHFUL = "tests.parity.apps.bookshop_fastapi:create_app()"
DRIFTED = "tests.parity.apps.bookshop_fastapi:create_drifted_app()"


def test_parity_report_replays_from_its_json(tmp_path: Path) -> None:
    settings = ct.parity_settings(
        cwd=tmp_path,
        baseline=FLASK,
        candidate=DRIFTED,
        max_examples=10,
        seed=3,
        include=["GET /books/{id}"],
        database=False,
        probes="none",
        json=str(tmp_path / "p.json"),
    )
    report = ct.parity(settings)
    assert [(f.id, f.subject) for f in report.findings] == [("body-mismatch", ("$.year",))]
    with open(tmp_path / "out.txt", "w") as stdout:
        assert ct.finish(report, settings, stdout=stdout) is ct.ExitCode.GATE_FAILED
    again = ct.read_report(str(tmp_path / "p.json"))
    assert again.findings == report.findings
    [result] = ct.replay(again)
    assert (result.number, result.verdict, result.reproduces) == (1, "still reproduces", True)
    [fixed] = ct.replay(again, candidate=FAITHFUL)
    assert (fixed.verdict, fixed.reproduces) == ("no longer reproduces", False)
    with pytest.raises(UsageError, match="--finding 2: the report has 1 finding"):
        ct.replay(again, findings=[2])


def test_replay_request_gives_messages() -> None:
    request = ct.Request.build("GET", "/books/1", headers=[("Host", "localhost")])
    assert ct.replay_request(FLASK, FLASK, request) == []
    assert ct.replay_request(FLASK, DRIFTED, request) == ["body differs at $.year"]


def test_a_report_that_is_not_one(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text(json.dumps({"command": "diff", "findings": []}))
    with pytest.raises(UsageError, match="not a parity report"):
        ct.read_report(str(tmp_path / "x.json"))
    with pytest.raises(ct.LoadError, match="cannot read the report"):
        ct.read_report(str(tmp_path / "none.json"))
