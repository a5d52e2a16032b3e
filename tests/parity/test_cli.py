from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from contract_tools.cli.main import app
from contract_tools.cli.parity import parse_header, parse_ignore

BASE = "tests.parity.apps.bookshop_flask:create_app()"
DRIFTED = "tests.parity.apps.bookshop_fastapi:create_drifted_app()"
FAITHFUL = "tests.parity.apps.bookshop_fastapi:create_app()"


def test_parse_helpers() -> None:
    assert parse_header("Authorization: Bearer x:y") == ("Authorization", "Bearer x:y")
    assert parse_ignore("GET /a={x}=$.b") == ("GET /a={x}", "$.b")
    assert parse_ignore("$.ts") == ("*", "$.ts")


def test_parity_cli_gate_and_json(tmp_path: Path) -> None:
    out = tmp_path / "parity.json"
    result = CliRunner().invoke(
        app,
        [
            *("parity", BASE, DRIFTED, "--seed", "4", "--max-examples", "10", "--probes", "none"),
            *("--json", str(out)),
        ],
    )
    assert result.exit_code == 1, result.output
    doc = json.loads(out.read_text())
    assert doc["command"] == "parity"
    assert (doc["baseline"], doc["candidate"]) == (BASE, DRIFTED)
    assert doc["summary"]["seed"] == 4
    assert sorted(f["id"] for f in doc["findings"]) == [
        "body-mismatch",
        "crash",
        "header-mismatch",
        "missing-operation",
        "status-mismatch",
    ]


def test_parity_cli_clean_run_and_fail_on_never() -> None:
    # --probes none: the faithful port answers no HEAD or OPTIONS (test_probes covers those).
    ok = CliRunner().invoke(
        app, ["parity", BASE, FAITHFUL, "--seed", "1", "--max-examples", "5", "--probes", "none"]
    )
    assert ok.exit_code == 0, ok.output
    never = CliRunner().invoke(
        app, ["parity", BASE, DRIFTED, "--seed", "1", "--max-examples", "5", "--fail-on", "never"]
    )
    assert never.exit_code == 0


def test_parity_cli_usage_and_load_errors() -> None:
    usage = CliRunner().invoke(app, ["parity", BASE, FAITHFUL, "--header", "nocolon"])
    assert usage.exit_code == 2
    load = CliRunner().invoke(app, ["parity", "no_such_module:app", FAITHFUL])
    assert load.exit_code == 3


def test_shard_store_and_config(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.contract-tools.parity]\n"
        f'baseline = "{BASE}"\n'
        f'candidate = "{FAITHFUL}"\n'
        'max_examples = 3\nseed = 5\nprobes = "none"\n'
    )
    result = CliRunner().invoke(app, ["parity", "--shard", "2/2"])
    assert result.exit_code == 0, result.output
    # Nothing is written into the working directory unless asked: no drift store by default.
    drifted = CliRunner().invoke(app, ["parity", BASE, DRIFTED, "--max-examples", "3"])
    assert drifted.exit_code == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pyproject.toml"]
    stored = CliRunner().invoke(
        app, ["parity", BASE, DRIFTED, "--max-examples", "3", "--database", "drifts"]
    )
    assert stored.exit_code == 1
    assert any((tmp_path / "drifts").iterdir())
    bad = CliRunner().invoke(app, ["parity", "--shard", "3/2"])
    assert bad.exit_code == 2
    assert bad.stderr == "error: --shard expects K/N with 1 <= K <= N (e.g. 2/4), not '3/2'\n"
    (tmp_path / "pyproject.toml").write_text("[tool.contract-tools.parity]\nmax_exmples = 3\n")
    unknown = CliRunner().invoke(app, ["parity"])
    assert unknown.exit_code == 2
    assert "unknown key tool.contract-tools.parity.max_exmples" in unknown.stderr


def test_missing_targets_is_a_usage_error() -> None:
    result = CliRunner().invoke(app, ["parity", "--no-database"])
    assert result.exit_code == 2
    assert "parity: missing BASELINE and CANDIDATE" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--ignore-path", "updated_at"], "--ignore-path 'updated_at': expected [OPERATION=]PATH"),
        (
            ["--ignore-path", "GET /a=oops"],
            "--ignore-path 'GET /a=oops': expected [OPERATION=]PATH",
        ),
        (["--include", "("], "--include/--exclude '(': not a valid regex"),
        (["--exclude", "[a-"], "--include/--exclude '[a-': not a valid regex"),
        (["--app-dir", "/no/such/dir"], "--app-dir /no/such/dir: not a directory"),
    ],
)
def test_bad_options_are_one_line_usage_errors(args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, ["parity", BASE, FAITHFUL, "--no-database", *args])
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_header_values_are_redacted_in_reports_and_replay_takes_them_again(
    tmp_path: Path,
) -> None:
    out = {fmt: tmp_path / f"r.{fmt}" for fmt in ("json", "html", "md", "xml")}
    result = CliRunner().invoke(
        app,
        [
            *("parity", BASE, DRIFTED, "--seed", "1", "--max-examples", "5", "--no-database"),
            *("--header", "Authorization: Bearer s3cret", "--json", str(out["json"])),
            *("--html", str(out["html"]), "--markdown", str(out["md"]), "--junit", str(out["xml"])),
        ],
    )
    assert result.exit_code == 1, result.output
    assert "s3cret" not in result.stdout
    for path in out.values():
        text = path.read_text()
        assert "s3cret" not in text, path
        assert "REDACTED" in text, path
    replayed = CliRunner().invoke(
        app,
        ["replay", str(out["json"]), "--finding", "1", "--header", "Authorization: Bearer s3cret"],
    )
    assert replayed.exit_code == 1, replayed.output
    assert "still reproduces" in replayed.stdout
