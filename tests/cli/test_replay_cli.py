"""``contract-tools replay``: a parity JSON report's findings sent again to both apps."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from contract_tools.cli.main import app

BASE = "tests.parity.apps.bookshop_flask:create_app()"
DRIFTED = "tests.parity.apps.bookshop_fastapi:create_drifted_app()"
FAITHFUL = "tests.parity.apps.bookshop_fastapi:create_app()"

# Numbered cause by cause, as the report lists them; what differs is said precisely.
STILL = [
    "#1 GET /books/{book_id} body-mismatch: still reproduces ($.year)",
    "#2 DELETE /books/{book_id} missing-operation: still reproduces (missing on candidate)",
    "#3 POST /notes status-mismatch: still reproduces (status 201 -> 200)",
    "#4 GET /health crash: still reproduces (crash on candidate)",
    "#5 GET /books header-mismatch: still reproduces (header:x-total-count)",
]


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One drifted parity run, written with --json, shared by the tests of this module."""
    out = tmp_path_factory.mktemp("replay") / "parity.json"
    result = CliRunner().invoke(
        app,
        [
            "parity",
            BASE,
            DRIFTED,
            "--seed",
            "4",
            "--max-examples",
            "10",
            "--no-database",
            "--probes",
            "none",
            "--json",
            str(out),
        ],
    )
    assert result.exit_code == 1, result.output
    ids = [f["id"] for f in json.loads(out.read_text())["findings"]]
    assert ids == [
        "body-mismatch",
        "missing-operation",
        "status-mismatch",
        "crash",
        "header-mismatch",
    ]
    return out


@pytest.fixture(autouse=True)
def _cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def lines(text: str) -> list[str]:
    return text.strip().splitlines()


def test_every_finding_still_reproduces(report_file: Path) -> None:
    result = CliRunner().invoke(app, ["replay", str(report_file)])
    assert result.exit_code == 1, result.output
    assert lines(result.stdout) == STILL


def test_chosen_findings_only(report_file: Path) -> None:
    result = CliRunner().invoke(
        app, ["replay", str(report_file), "--finding", "3", "--finding", "1", "--finding", "3"]
    )
    assert result.exit_code == 1, result.output
    assert lines(result.stdout) == [STILL[0], STILL[2]]


def test_fixed_port_no_longer_reproduces(report_file: Path) -> None:
    result = CliRunner().invoke(app, ["replay", str(report_file), "--candidate", FAITHFUL])
    assert result.exit_code == 0, result.output
    assert lines(result.stdout) == [
        line.replace("still reproduces", "no longer reproduces").rsplit(" (", 1)[0]
        for line in STILL
    ]


def test_body_base64_carries_the_exact_bytes(report_file: Path, tmp_path: Path) -> None:
    doc = json.loads(report_file.read_text())
    request = doc["findings"][2]["details"]["request"]
    exact = request["body"].encode()
    # The text form may be cut or lossy; the base64 form is what must be sent.
    request["body"] = "x" * len(exact)
    request["body_base64"] = base64.b64encode(exact).decode()
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(doc))
    result = CliRunner().invoke(app, ["replay", str(edited), "--finding", "3"])
    assert result.exit_code == 1, result.output
    assert lines(result.stdout) == [STILL[2]]
    del request["body_base64"]
    edited.write_text(json.dumps(doc))
    garbled = CliRunner().invoke(app, ["replay", str(edited), "--finding", "3"])
    assert garbled.exit_code == 0, garbled.output
    assert lines(garbled.stdout) == ["#3 POST /notes status-mismatch: no longer reproduces"]


@pytest.mark.parametrize("number", ["0", "6"])
def test_bad_finding_number_is_usage(report_file: Path, number: str) -> None:
    result = CliRunner().invoke(app, ["replay", str(report_file), "--finding", number])
    assert result.exit_code == 2
    assert f"--finding {number}: the report has 5 finding(s), numbered from 1" in result.stderr
    assert result.stdout == ""


def test_not_a_parity_report_is_usage(tmp_path: Path) -> None:
    (tmp_path / "diff.json").write_text(json.dumps({"command": "diff", "findings": []}))
    result = CliRunner().invoke(app, ["replay", "diff.json"])
    assert result.exit_code == 2
    assert "diff.json: not a parity report" in result.stderr
    no_request = {
        "command": "parity",
        "baseline": BASE,
        "candidate": FAITHFUL,
        "findings": [{"id": "crash", "level": "error", "operation": "GET /health", "details": {}}],
    }
    (tmp_path / "bare.json").write_text(json.dumps(no_request))
    bare = CliRunner().invoke(app, ["replay", "bare.json"])
    assert bare.exit_code == 2
    assert "finding #1 has no recorded request" in bare.stderr


def test_unreadable_file_and_unloadable_app(report_file: Path, tmp_path: Path) -> None:
    (tmp_path / "garbage.json").write_text("<html>not json</html>")
    garbage = CliRunner().invoke(app, ["replay", "garbage.json"])
    assert garbage.exit_code == 3
    assert "garbage.json: not a JSON report" in garbage.stderr
    missing = CliRunner().invoke(app, ["replay", "nowhere.json"])
    assert missing.exit_code == 3
    assert "nowhere.json: cannot read the report" in missing.stderr
    no_app = CliRunner().invoke(
        app, ["replay", str(report_file), "--candidate", "no_such_module:app"]
    )
    assert no_app.exit_code == 3
    assert "no module named 'no_such_module'" in no_app.stderr


def test_empty_report_replays_nothing(tmp_path: Path) -> None:
    empty = {"command": "parity", "baseline": BASE, "candidate": FAITHFUL, "findings": []}
    (tmp_path / "empty.json").write_text(json.dumps(empty))
    result = CliRunner().invoke(app, ["replay", "empty.json"])
    assert result.exit_code == 0
    assert lines(result.stdout) == ["no findings to replay"]
