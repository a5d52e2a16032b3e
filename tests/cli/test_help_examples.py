"""The example each command's --help shows runs as printed (from a project directory)."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from contract_tools.cli.main import app

runner = CliRunner()
# In the order a newcomer would run them: replay reads the report parity writes.
COMMANDS = ("flask-spec", "fastapi-spec", "diff", "rules", "probes", "parity", "replay")
# What each example exits with on the bundled pair: the port has deliberate drift.
EXPECTED = {"diff": 1, "parity": 1, "replay": 1}


def example(command: str) -> list[str]:
    group = app.registered_commands
    (registered,) = [c for c in group if c.name == command]
    epilog = registered.epilog or ""
    assert "Example" in epilog, f"{command} --help has no example"
    text = epilog.split(":", 1)[1].strip()
    words = shlex.split(text.split(">", 1)[0].split(" (then", 1)[0])
    assert words[:2] == ["contract-tools", command]
    return words[2:]


def test_every_command_has_an_example_and_each_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for command in COMMANDS:
        result = runner.invoke(app, [command, *example(command)])
        assert result.exit_code == EXPECTED.get(command, 0), (command, result.output)
    assert json.loads((tmp_path / "legacy.json").read_text())["openapi"] == "3.1.0"
    assert json.loads((tmp_path / "port.json").read_text())["openapi"].startswith("3.1")
    assert (tmp_path / "diff.md").read_text().startswith("## ")
    assert json.loads((tmp_path / "parity.json").read_text())["command"] == "parity"
