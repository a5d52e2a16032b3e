"""The CLI as a process: stdout holds only documents, SIGTERM ends cleanly, nothing lingers,
and a lifespan that fails on the way out costs no report."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FLASK = "tests.cli.process_apps:create_flask()"
FASTAPI = "tests.cli.process_apps:create_fastapi()"


def contract_tools(*args: str, cwd: Path, **kwargs: object) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(cwd / "cache")}
    return subprocess.Popen(
        [sys.executable, "-m", "contract_tools", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,  # type: ignore[arg-type]
    )


def test_stdout_is_the_document_even_when_the_app_prints(tmp_path: Path) -> None:
    process = contract_tools("flask-spec", FLASK, cwd=tmp_path)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    assert json.loads(stdout)["openapi"] == "3.1.0"
    assert "an app module that prints at import" in stderr


def test_a_run_whose_lifespan_fails_on_the_way_out_keeps_its_reports(tmp_path: Path) -> None:
    process = contract_tools(
        "parity",
        FLASK,
        FASTAPI,
        "--include",
        "GET /items",
        "--max-examples",
        "3",
        "--probes",
        "none",
        "--json",
        "p.json",
        cwd=tmp_path,
    )
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr
    assert json.loads((tmp_path / "p.json").read_text())["findings"] == []
    warning = (
        f"warning: {FASTAPI}: ASGI lifespan shutdown failed: RuntimeError: could not flush "
        "the cache"
    )
    assert stderr.count(warning) == 1
    assert "Traceback" not in stderr
    assert "a view that prints" not in stdout


def test_a_hung_endpoint_is_no_answer_and_never_keeps_the_process_alive(tmp_path: Path) -> None:
    process = contract_tools(
        "parity",
        FLASK,
        FASTAPI,
        "--include",
        "GET /slow/{n}",
        "--max-examples",
        "1",
        "--probes",
        "none",
        "--mode",
        "positive",
        "--no-coverage",
        "--timeout",
        "1",
        "--json",
        "p.json",
        cwd=tmp_path,
    )
    process.communicate(timeout=300)  # ends although a worker thread still sleeps
    assert process.returncode == 1
    findings = json.loads((tmp_path / "p.json").read_text())["findings"]
    # Nothing answered on the port's side: no-answer, and the run compared nothing at all.
    assert sorted(f["id"] for f in findings) == ["no-answer", "nothing-compared"]
    # The JSON report and what it asked for beside it (a pytest file per finding).
    assert {p.name for p in tmp_path.iterdir()} <= {"cache", "p.json", "parity-tests"}


def test_sigterm_ends_the_run_like_an_interrupt(tmp_path: Path) -> None:
    process = contract_tools(
        "parity", FLASK, FLASK, "--include", "GET /slow/{n}", "--max-examples", "500", cwd=tmp_path
    )
    time.sleep(8)  # loaded and sending (each answer takes 0.3 s)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 143
    assert stderr.rstrip().endswith("terminated")
