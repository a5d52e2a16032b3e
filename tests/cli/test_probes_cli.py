"""``contract-tools probes`` and ``parity --probes``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import contract_tools as ct
from contract_tools.cli.main import app
from contract_tools.errors import UsageError

BASE = "tests.parity.apps.bookshop_flask:create_app()"
FAITHFUL = "tests.parity.apps.bookshop_fastapi:create_app()"


def test_probes_lists_every_probe_by_family() -> None:
    result = CliRunner().invoke(app, ["probes"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "methods:"
    assert lines[1].split()[:2] == ["head", "operation"]
    assert "requests:" in lines and "bodies:" in lines
    assert lines[-1] == "23 probes (parity --probes NAME,NAME or --probes none)"


def test_probes_as_json_is_the_api_listing() -> None:
    result = CliRunner().invoke(app, ["probes", "--format", "json"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert [d["name"] for d in doc] == [r.name for r in ct.probe_rules()]
    assert doc[1] == {
        "name": "options",
        "scope": "path",
        "family": "methods",
        "description": ct.probe_rules()[1].description,
    }
    assert CliRunner().invoke(app, ["probes", "--format", "yaml"]).exit_code == 2


def test_parity_probes_selects_and_an_unknown_name_is_a_usage_error(tmp_path: Path) -> None:
    out = tmp_path / "p.json"
    args = ["parity", BASE, FAITHFUL, "--seed", "1", "--max-examples", "2", "--no-database"]
    result = CliRunner().invoke(
        app, [*args, "--include", "GET /health", "--probes", "head", "--json", str(out)]
    )
    assert result.exit_code == 1, result.output
    doc = json.loads(out.read_text())
    assert doc["probes"] == ["head"]
    assert [(f["operation"], f["details"]["probe"]) for f in doc["findings"]] == [
        ("GET /health", "head")
    ]
    bad = CliRunner().invoke(app, [*args, "--probes", "head,haed"])
    assert bad.exit_code == 2
    assert bad.stderr == (
        "error: --probes: unknown probe 'haed' (contract-tools probes lists them)\n"
    )


@pytest.mark.parametrize(
    ("value", "probes"),
    [
        ("all", ("all",)),
        ("none", ()),
        ("head, options", ("head", "options")),
        (["cookie"], ("cookie",)),
    ],
)
def test_the_probes_setting(value: object, probes: tuple[str, ...], tmp_path: Path) -> None:
    assert ct.parity_settings(cwd=tmp_path, probes=value).probes == probes


def test_the_probes_setting_refuses_what_names_nothing(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.contract-tools.parity]\nprobes = ' , '\n")
    with pytest.raises(UsageError, match="probes must name probes, 'all' or 'none'"):
        ct.parity_settings(cwd=tmp_path)
