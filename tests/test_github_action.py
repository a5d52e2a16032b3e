"""The composite GitHub Action and the example workflow: structure, and every command, option,
input and app reference they name is real."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer.main
import yaml

from contract_tools.apps import AppKind, AppRef, app_kind
from contract_tools.cli.main import app

ROOT = Path(__file__).resolve().parents[1]
ACTION_DIR = ".github/actions/contract-parity"
ACTION = ROOT / ACTION_DIR / "action.yml"
WORKFLOW = ROOT / ".github/workflows/parity-example.yml"

# An invocation starts a shell line; echo "contract-tools diff exited ..." is not one.
_COMMAND = re.compile(r"^\s*contract-tools\s+([a-z][a-z-]*)")
_OPTION = re.compile(r"(?<![\w-])(--[a-z][a-z0-9-]*)")
_INPUT = re.compile(r"\binputs\.([A-Za-z0-9_-]+)")
_STEP = re.compile(r"\bsteps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)")
_PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@v\d+$")


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def action() -> dict[Any, Any]:
    return load(ACTION)


@pytest.fixture(scope="module")
def workflow() -> dict[Any, Any]:
    return load(WORKFLOW)


def cli_commands() -> dict[str, Any]:
    """name -> click command of the Typer app (Typer vendors click, so no isinstance checks)."""
    group = typer.main.get_command(app)
    return dict(group.commands)  # type: ignore[attr-defined]


def invocations(script: str) -> list[tuple[str, set[str]]]:
    """(command, --options) for each ``contract-tools COMMAND ...`` logical line of a script."""
    found = []
    for line in script.replace("\\\n", " ").splitlines():
        match = _COMMAND.search(line)
        if match:
            found.append((match.group(1), set(_OPTION.findall(line[match.end() :]))))
    return found


def run_steps(action: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for step in action["runs"]["steps"] if "run" in step]


def step(action: dict[Any, Any], step_id: str) -> dict[str, Any]:
    (found,) = [s for s in action["runs"]["steps"] if s.get("id") == step_id]
    return found


# --- the action ---------------------------------------------------------------------------------


def test_action_has_the_required_keys(action: dict[Any, Any]) -> None:
    assert {"name", "description", "inputs", "outputs", "runs"} <= set(action)
    assert action["name"] == "contract-parity"
    assert action["runs"]["using"] == "composite"
    for name, spec in action["inputs"].items():
        assert spec.get("description"), name
        assert "required" in spec, name
        if not spec["required"]:
            assert isinstance(spec.get("default"), str), name
    required = {name for name, spec in action["inputs"].items() if spec["required"]}
    assert required == {"baseline", "candidate"}
    assert {"base-spec", "revision-spec", "fail-on", "python-version", "working-directory"} <= set(
        action["inputs"]
    )


def test_every_step_is_named_and_run_steps_have_a_shell(action: dict[Any, Any]) -> None:
    steps = action["runs"]["steps"]
    assert steps
    for entry in steps:
        assert entry.get("name"), entry
        assert ("run" in entry) != ("uses" in entry), entry["name"]
        if "run" in entry:
            assert entry.get("shell") == "bash", entry["name"]
        else:
            assert _PINNED.match(entry["uses"]), entry["uses"]


def test_inputs_and_step_outputs_referenced_exist(action: dict[Any, Any]) -> None:
    text = ACTION.read_text(encoding="utf-8")
    assert set(_INPUT.findall(text)) == set(action["inputs"])  # every input used, none invented
    ids = {s["id"] for s in action["runs"]["steps"] if "id" in s}
    for step_id, output in _STEP.findall(text):
        assert step_id in ids, step_id
        assert f"{output}=" in step(action, step_id)["run"], (step_id, output)


def test_setup_install_upload_in_order(action: dict[Any, Any]) -> None:
    uses = [s.get("uses", "run") for s in action["runs"]["steps"]]
    assert uses[0] == "actions/setup-python@v5"
    assert action["runs"]["steps"][0]["with"] == {"python-version": "${{ inputs.python-version }}"}
    install = action["runs"]["steps"][1]
    assert shlex.split(install["run"]) == ["python", "-m", "pip", "install", "$PACKAGE"]
    assert install["env"] == {"PACKAGE": "${{ inputs.package }}"}
    assert action["inputs"]["package"]["default"] == "."
    (upload,) = [s for s in action["runs"]["steps"] if s.get("uses", "").startswith("actions/up")]
    assert upload["uses"] == "actions/upload-artifact@v4"
    assert upload["if"] == "always()"
    patterns = upload["with"]["path"].splitlines()
    assert [p.rsplit("/", 1)[1] for p in patterns] == ["*.html", "*.xml", "*.json"]


def test_both_commands_run_then_the_last_step_fails_the_job(action: dict[Any, Any]) -> None:
    steps = action["runs"]["steps"]
    ids = [s.get("id") for s in steps]
    assert ids.index("diff") < ids.index("parity")
    for step_id in ("diff", "parity"):
        script = step(action, step_id)["run"]
        # The command's failure must not stop the step: the code is recorded, the report kept.
        assert script.index("set +e") < script.index(f"contract-tools {step_id}")
        assert 'echo "exit-code=$code" >> "$GITHUB_OUTPUT"' in script
        assert f'cat "$OUT/{step_id}.md" >> "$GITHUB_STEP_SUMMARY"' in script
        assert "continue-on-error" not in step(action, step_id)
    last = steps[-1]
    assert last["if"] == "always()"
    assert last["env"] == {
        "DIFF_CODE": "${{ steps.diff.outputs.exit-code }}",
        "PARITY_CODE": "${{ steps.parity.outputs.exit-code }}",
    }
    assert last["run"].rstrip().endswith('exit "$status"')


def test_reports_requested_from_both_commands(action: dict[Any, Any]) -> None:
    calls = dict(invocation for s in run_steps(action) for invocation in invocations(s["run"]))
    assert set(calls) == {"diff", "parity"}
    for command in ("diff", "parity"):
        assert {"--fail-on", "--json", "--junit", "--markdown", "--html", "--accepted"} <= calls[
            command
        ]
    assert {"--seed", "--max-examples"} <= calls["parity"]


def test_commands_and_options_exist_in_the_cli(action: dict[Any, Any]) -> None:
    commands = cli_commands()
    used = [call for s in run_steps(action) for call in invocations(s["run"])]
    assert [command for command, _ in used] == ["diff", "parity"]
    for command, options in used:
        assert command in commands, f"contract-tools {command} is not a command"
        known = {opt for param in commands[command].params for opt in param.opts}
        assert sorted(options - known) == [], f"contract-tools {command}: unknown options"


def test_action_options_parse(action: dict[Any, Any]) -> None:
    """The diff line, with the shell variables filled in, is accepted by click as written."""
    commands = cli_commands()
    script = step(action, "diff")["run"].replace("\\\n", " ")
    (line,) = [ln for ln in script.splitlines() if _COMMAND.match(ln)]
    words = shlex.split(line.replace('${DRIFT:+--accepted "$DRIFT"}', "--accepted drift.yaml"))
    words = [w for w in words if w != "${extra[@]}"]
    assert words[:2] == ["contract-tools", "diff"]
    ctx = commands["diff"].make_context("diff", words[2:], resilient_parsing=True)
    assert ctx.params["base"] == "$BASE"
    assert ctx.params["accepted"] == "drift.yaml"
    assert ctx.params["html_file"] == "$OUT/diff.html"


# --- the example workflow -------------------------------------------------------------------------


def test_workflow_structure(workflow: dict[Any, Any]) -> None:
    assert workflow["name"] == "parity-example"
    # YAML 1.1 reads a bare `on:` key as True.
    triggers = workflow.get("on", workflow.get(True))
    assert {"push", "pull_request", "workflow_dispatch"} <= set(triggers)
    (job,) = workflow["jobs"].values()
    assert job["runs-on"] == "ubuntu-latest"
    # The example ports keep deliberate drifts on purpose (examples/README.md).
    assert job["continue-on-error"] is True
    assert job["steps"][0]["uses"] == "actions/checkout@v4"


def action_step(workflow: dict[Any, Any]) -> dict[str, Any]:
    (job,) = workflow["jobs"].values()
    (found,) = [s for s in job["steps"] if s.get("uses", "").startswith("./")]
    return found


def test_workflow_uses_the_action_with_declared_inputs(
    workflow: dict[Any, Any], action: dict[Any, Any]
) -> None:
    used = action_step(workflow)
    assert used["uses"] == f"./{ACTION_DIR}"
    assert (ROOT / used["uses"] / "action.yml").is_file()
    given = set(used["with"])
    assert sorted(given - set(action["inputs"])) == []
    required = {name for name, spec in action["inputs"].items() if spec["required"]}
    assert required <= given
    for name in ("diff-accepted", "parity-accepted"):
        if used["with"].get(name):
            assert (ROOT / used["with"][name]).is_file(), name


def test_workflow_app_references_load(workflow: dict[Any, Any]) -> None:
    refs = action_step(workflow)["with"]
    directory = str(ROOT / refs.get("working-directory", "."))
    assert refs["baseline"] == "examples.legacy_flask:create_app()"
    assert refs["candidate"] == "examples.fastapi_port:create_app()"
    assert app_kind(AppRef.parse(refs["baseline"], directory).load()) is AppKind.FLASK
    assert app_kind(AppRef.parse(refs["candidate"], directory).load()) is AppKind.FASTAPI


# --- the scripts, run by bash as the runner would -------------------------------------------------


def run_script(script: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """``shell: bash`` on a runner is ``bash --noprofile --norc -eo pipefail {0}``."""
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        env={**os.environ, "PATH": path, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_diff_step_records_the_code_and_keeps_going(action: dict[Any, Any], tmp_path: Path) -> None:
    from tests.diff.cases import base_spec, build_pair

    if not (Path(sys.executable).parent / "contract-tools").exists():
        pytest.skip("the contract-tools console script is not installed beside this Python")
    base, breaking, _ = build_pair("operation-removed")
    (tmp_path / "base.json").write_text(json.dumps(base))
    (tmp_path / "port.json").write_text(json.dumps(breaking))
    (tmp_path / "same.json").write_text(json.dumps(base_spec()))
    out, summary, outputs = tmp_path / "out", tmp_path / "summary.md", tmp_path / "outputs"
    out.mkdir()
    env = {
        "BASE": "base.json",
        "REVISION": "port.json",
        "FAIL_ON": "error",
        "DRIFT": "",
        "EXTRA": "--format json",
        "OUT": str(out),
        "GITHUB_OUTPUT": str(outputs),
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    done = run_script(step(action, "diff")["run"], env, tmp_path)
    assert done.returncode == 0, done.stderr
    assert outputs.read_text() == "exit-code=1\n"
    assert json.loads(done.stdout)["findings"][0]["id"] == "operation-removed"
    assert sorted(p.name for p in out.iterdir()) == [
        "diff-junit.xml",
        "diff.html",
        "diff.json",
        "diff.md",
    ]
    assert summary.read_text() == (out / "diff.md").read_text()
    # A usage error (exit 2) leaves no report: the summary says so and the code is still kept.
    again = run_script(step(action, "diff")["run"], {**env, "EXTRA": "--fail-on loud"}, tmp_path)
    assert again.returncode == 0
    assert outputs.read_text() == "exit-code=1\nexit-code=2\n"
    (tmp_path / "ok").mkdir()
    clean = {**env, "REVISION": "same.json", "OUT": str(tmp_path / "ok"), "EXTRA": ""}
    assert run_script(step(action, "diff")["run"], clean, tmp_path).returncode == 0
    assert outputs.read_text().splitlines()[-1] == "exit-code=0"


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.parametrize(
    ("diff_code", "parity_code", "status"),
    [("0", "0", 0), ("1", "0", 1), ("0", "1", 1), ("", "", 0), ("", "3", 1), ("2", "", 1)],
)
def test_last_step_fails_when_either_command_failed(
    action: dict[Any, Any], tmp_path: Path, diff_code: str, parity_code: str, status: int
) -> None:
    env = {"DIFF_CODE": diff_code, "PARITY_CODE": parity_code}
    done = run_script(action["runs"]["steps"][-1]["run"], env, tmp_path)
    assert done.returncode == status
    errors = [line for line in done.stdout.splitlines() if line.startswith("::error ")]
    assert len(errors) == (diff_code not in ("", "0")) + (parity_code not in ("", "0"))
