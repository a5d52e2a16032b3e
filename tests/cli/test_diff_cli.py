"""The diff, fastapi-spec and rules commands: exit codes, files and formats."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from contract_tools.cli.main import app
from tests.diff.cases import base_spec, build_pair

runner = CliRunner()

PORT = """
from fastapi import FastAPI
from pydantic import BaseModel
class Item(BaseModel):
    id: int
    name: str
app = FastAPI()
@app.get("/items/{item_id}")
def item(item_id: int) -> Item: ...
"""


@pytest.fixture
def specs(tmp_path: Path) -> tuple[str, str, str]:
    base, breaking, _ = build_pair("operation-removed")
    paths = []
    for name, doc in (("base.json", base), ("same.json", base_spec()), ("breaking.json", breaking)):
        (tmp_path / name).write_text(json.dumps(doc))
        paths.append(str(tmp_path / name))
    return paths[0], paths[1], paths[2]


@pytest.fixture
def port_dir(tmp_path: Path) -> Iterator[str]:
    (tmp_path / "cli_port_app.py").write_text(PORT)
    yield str(tmp_path)
    sys.modules.pop("cli_port_app", None)


def test_equal_specs_exit_0(specs: tuple[str, str, str]) -> None:
    result = runner.invoke(app, ["diff", specs[0], specs[1]])
    assert result.exit_code == 0, result.output


def test_breaking_change_exits_1_and_names_operation(specs: tuple[str, str, str]) -> None:
    result = runner.invoke(app, ["diff", specs[0], specs[2], "--format", "json"])
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["command"] == "diff"
    assert [(f["id"], f["operation"]) for f in doc["findings"]] == [
        ("operation-removed", "GET /old")
    ]


@pytest.mark.parametrize(("fail_on", "code"), [("never", 0), ("error", 1), ("info", 1)])
def test_fail_on(specs: tuple[str, str, str], fail_on: str, code: int) -> None:
    result = runner.invoke(app, ["diff", specs[0], specs[2], "--fail-on", fail_on])
    assert result.exit_code == code


def test_usage_errors_exit_2(specs: tuple[str, str, str]) -> None:
    assert runner.invoke(app, ["diff", specs[0], specs[2], "--format", "pdf"]).exit_code == 2
    assert runner.invoke(app, ["diff", specs[0]]).exit_code == 2


def test_invalid_spec_exits_3_with_one_line(tmp_path: Path, specs: tuple[str, str, str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("openapi: 3.1.0\npaths: [\n")
    result = runner.invoke(app, ["diff", specs[0], str(bad)])
    assert result.exit_code == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {bad}:3:1: invalid YAML:")


def test_not_openapi_exits_3(tmp_path: Path, specs: tuple[str, str, str]) -> None:
    other = tmp_path / "other.json"
    other.write_text('{"hello": 1}')
    result = runner.invoke(app, ["diff", str(other), specs[0]])
    assert result.exit_code == 3
    assert result.stderr.strip() == (
        f"error: {other}: not an OpenAPI 3 document (no 'openapi: 3.x' key)"
    )


def test_output_file_and_markdown(tmp_path: Path, specs: tuple[str, str, str]) -> None:
    out = tmp_path / "report.md"
    result = runner.invoke(
        app, ["diff", specs[0], specs[2], "--format", "markdown", "-o", str(out)]
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "operation-removed" in out.read_text()


def test_ignore_file_accepts_a_finding(tmp_path: Path, specs: tuple[str, str, str]) -> None:
    ignore = tmp_path / "accepted.yaml"
    ignore.write_text("- operation: GET /old\n  id: operation-removed\n  reason: retired\n")
    result = runner.invoke(app, ["diff", specs[0], specs[2], "--ignore", str(ignore)])
    assert result.exit_code == 0, result.output


def test_app_reference_against_its_own_spec(tmp_path: Path, port_dir: str) -> None:
    out = tmp_path / "port.json"
    made = runner.invoke(
        app, ["fastapi-spec", "cli_port_app:app", "--app-dir", port_dir, "-o", str(out)]
    )
    assert made.exit_code == 0, made.output
    doc = json.loads(out.read_text())
    assert doc["openapi"].startswith("3.1")
    result = runner.invoke(
        app, ["diff", str(out), "cli_port_app:app", "--app-dir", port_dir, "--fail-on", "info"]
    )
    assert result.exit_code == 0, result.output


def test_fastapi_spec_unknown_module_exits_3(port_dir: str) -> None:
    result = runner.invoke(app, ["fastapi-spec", "no_such_module_here:app", "--app-dir", port_dir])
    assert result.exit_code == 3
    assert len(result.stderr.strip().splitlines()) == 1


def test_rules_lists_every_rule() -> None:
    from contract_tools._diff.registry import all_rules

    result = runner.invoke(app, ["rules", "--format", "json"])
    assert result.exit_code == 0
    assert [r["id"] for r in json.loads(result.stdout)] == [r.id for r in all_rules()]
    text = runner.invoke(app, ["rules"])
    assert text.stdout.strip().endswith(f"{len(all_rules())} rules")


@pytest.mark.parametrize("command", ["diff", "fastapi-spec", "rules"])
def test_help_has_an_example(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Example: contract-tools " + command in " ".join(result.stdout.split())
