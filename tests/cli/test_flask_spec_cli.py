"""The flask-spec command: documents, files, formats and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from contract_tools.cli.main import app

runner = CliRunner()

SOURCE = """
from flask import Flask
def create_app():
    app = Flask("cli")
    @app.get("/items/<int:item_id>")
    def item(item_id):
        return ""
    @app.route("/by/<int:ident>")
    def by_id(ident):
        return ""
    @app.route("/by/<name>")
    def by_name(name):
        return ""
    return app
def broken():
    raise ValueError("bad config")
"""


def module(tmp_path: Path, name: str) -> str:
    (tmp_path / f"{name}.py").write_text(SOURCE)
    return name


def test_json_to_stdout_and_summary_to_stderr(tmp_path: Path) -> None:
    mod = module(tmp_path, "cli_app_a")
    result = runner.invoke(app, ["flask-spec", f"{mod}:create_app()", "--app-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert sorted(document["paths"]) == ["/by/{ident}", "/items/{item_id}"]
    assert result.stderr.splitlines() == [
        "warning: GET /by/<name> (by_name): same path shape as '/by/{ident}', which OpenAPI "
        "cannot tell apart",
        f"{mod}:create_app(): 2 operations on 2 paths, 1 diagnostics",
    ]


def test_yaml_to_a_file(tmp_path: Path) -> None:
    mod = module(tmp_path, "cli_app_b")
    out = tmp_path / "spec.yaml"
    yaml_out = ["-o", str(out), "--format", "yaml"]
    result = runner.invoke(
        app,
        ["flask-spec", f"{mod}:create_app()", "--app-dir", str(tmp_path), *yaml_out],
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert yaml.safe_load(out.read_text())["openapi"] == "3.1.0"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".spec")] == []


def test_load_failures_exit_3_with_one_line_and_no_file(tmp_path: Path) -> None:
    mod = module(tmp_path, "cli_app_c")
    out = tmp_path / "never.json"
    for ref, message in [
        (f"{mod}:broken()", f"{mod}:broken(): factory 'broken' raised ValueError: bad config"),
        (f"{mod}:nothing", f"{mod}:nothing: module '{mod}' has no attribute 'nothing'"),
        ("no_such_mod_q:app", "no_such_mod_q:app: no module named 'no_such_mod_q'"),
    ]:
        result = runner.invoke(app, ["flask-spec", ref, "--app-dir", str(tmp_path), "-o", str(out)])
        assert result.exit_code == 3
        assert result.stderr == f"error: {message}\n"
        assert not out.exists()


def test_fastapi_app_is_not_a_flask_app(tmp_path: Path) -> None:
    (tmp_path / "cli_fast_d.py").write_text("from fastapi import FastAPI\napp = FastAPI()\n")
    result = runner.invoke(app, ["flask-spec", "cli_fast_d:app", "--app-dir", str(tmp_path)])
    assert result.exit_code == 3
    assert result.stderr == (
        "error: cli_fast_d:app: a fastapi app, not a Flask app; use contract-tools fastapi-spec\n"
    )


def test_bad_option_is_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["flask-spec", "x:app", "--format", "xml"])
    assert result.exit_code == 2


def test_missing_output_directory_is_usage_error(tmp_path: Path) -> None:
    mod = module(tmp_path, "cli_app_e")
    missing = tmp_path / "nope" / "x.json"
    result = runner.invoke(
        app,
        ["flask-spec", f"{mod}:create_app()", "--app-dir", str(tmp_path), "-o", str(missing)],
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")
    assert "does not exist" in result.stderr


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    mod = module(tmp_path, "cli_app_f")
    result = runner.invoke(
        app, ["--debug", "flask-spec", f"{mod}:broken()", "--app-dir", str(tmp_path)]
    )
    assert result.exit_code == 1
    assert type(result.exception).__name__ == "AppLoadError"


def test_version_and_help() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.stdout == "contract-tools 0.2.0\n"
    result = runner.invoke(app, ["flask-spec", "--help"])
    assert result.exit_code == 0
    assert "Example: contract-tools flask-spec" in result.stdout


def test_error_text_in_brackets_survives(tmp_path: Path) -> None:
    (tmp_path / "cli_brackets_g.py").write_text(
        "def make():\n    raise ValueError('set [tool.x] first')\n"
    )
    result = runner.invoke(app, ["flask-spec", "cli_brackets_g:make()", "--app-dir", str(tmp_path)])
    assert result.exit_code == 3
    assert result.stderr == (
        "error: cli_brackets_g:make(): factory 'make' raised ValueError: set [tool.x] first\n"
    )
