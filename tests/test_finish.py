"""How a run finishes (_finish.py, through the CLI and the API): config, report files, the
accepted-drift file, the step summary."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from contract_tools import api
from contract_tools.cli.main import app
from contract_tools.errors import ExitCode, UsageError
from contract_tools.models import FailOn, Finding, Level, Report
from contract_tools.settings import DEFAULT_REASON, DiffSettings, Outputs, ParitySettings

runner = CliRunner()


def spec(*paths: str) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {p: {"get": {"responses": {"200": {"description": "ok"}}}} for p in paths},
    }


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project directory (the cwd) with three specs: base, same, and one dropping /a /b /d."""
    (tmp_path / "base.json").write_text(json.dumps(spec("/a", "/b", "/c", "/d")))
    (tmp_path / "same.json").write_text(json.dumps(spec("/a", "/b", "/c", "/d")))
    (tmp_path / "port.json").write_text(json.dumps(spec("/c")))
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    return tmp_path


def pyproject(directory: Path, diff_table: str, shared: str = "") -> Path:
    path = directory / "pyproject.toml"
    path.write_text(
        f'[project]\nname = "demo"\n\n[tool.contract-tools]\n{shared}\n'
        f"[tool.contract-tools.diff]\n{diff_table}",
        encoding="utf-8",
    )
    return path


def findings_of(path: Path) -> list[tuple[str, str]]:
    doc = json.loads(path.read_text())
    return [(f["operation"], f["id"]) for f in doc["findings"]]


REMOVED = [("GET /a", "operation-removed"), ("GET /b", "operation-removed")]
REMOVED += [("GET /d", "operation-removed")]


# --- config -----------------------------------------------------------------------------------


def test_config_only_run(project: Path) -> None:
    pyproject(project, 'base = "base.json"\nrevision = "port.json"\njson = "diff.json"\n')
    result = runner.invoke(app, ["diff"])
    assert result.exit_code == 1, result.output
    assert findings_of(project / "diff.json") == REMOVED
    doc = json.loads((project / "diff.json").read_text())
    assert (doc["base"], doc["revision"]) == ("base.json", "port.json")
    assert "GET /a" in result.stdout  # the primary report: text on stdout
    assert result.stderr.splitlines()[-1] == "diff: 3 errors, 0 warnings, 0 info -> diff.json"


def test_flags_override_config(project: Path) -> None:
    pyproject(
        project,
        'base = "base.json"\nrevision = "port.json"\nformat = "json"\n',
        shared='fail_on = "never"\n',
    )
    assert runner.invoke(app, ["diff"]).exit_code == 0  # fail_on = never from the file
    failed = runner.invoke(app, ["diff", "--fail-on", "error"])
    assert failed.exit_code == 1
    assert [(f["operation"], f["id"]) for f in json.loads(failed.stdout)["findings"]] == REMOVED
    same = runner.invoke(app, ["diff", "base.json", "same.json", "--fail-on", "info"])
    assert same.exit_code == 0
    assert json.loads(same.stdout)["revision"] == "same.json"
    text = runner.invoke(app, ["diff", "--format", "text"])
    assert "GET /a" in text.stdout
    with pytest.raises(json.JSONDecodeError):
        json.loads(text.stdout)


def test_config_ignore_drops_rule_ids(project: Path) -> None:
    pyproject(
        project, 'base = "base.json"\nrevision = "port.json"\nignore = ["operation-removed"]\n'
    )
    result = runner.invoke(app, ["diff", "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["findings"] == []


def test_config_levels_override_rule_levels(project: Path) -> None:
    pyproject(
        project,
        'base = "base.json"\nrevision = "port.json"\n\n'
        '[tool.contract-tools.diff.levels]\noperation-removed = "warning"\n',
    )
    result = runner.invoke(app, ["diff", "--format", "json"])
    assert result.exit_code == 0  # demoted below the default --fail-on error
    levels = {(f["operation"], f["level"]) for f in json.loads(result.stdout)["findings"]}
    assert levels == {("GET /a", "warning"), ("GET /b", "warning"), ("GET /d", "warning")}
    assert runner.invoke(app, ["diff", "--fail-on", "warning"]).exit_code == 1


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            'operation-remved = "warning"',
            "error: tool.contract-tools.diff.levels: unknown rule id 'operation-remved' "
            "(contract-tools rules lists them)",
        ),
        ('operation-removed = "fatal"', "must map rule ids to 'error', 'warning' or 'info'"),
    ],
)
def test_bad_levels_exit_2(project: Path, table: str, message: str) -> None:
    pyproject(
        project,
        'base = "base.json"\nrevision = "port.json"\n\n'
        f"[tool.contract-tools.diff.levels]\n{table}\n",
    )
    result = runner.invoke(app, ["diff"])
    assert result.exit_code == 2
    assert message in result.stderr


def test_unknown_config_key_exits_2_naming_it(project: Path) -> None:
    path = pyproject(project, 'bsae = "base.json"\n')
    result = runner.invoke(app, ["diff", "base.json", "port.json"])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"error: {path.resolve()}: unknown key tool.contract-tools.diff.bsae (did you mean base?)"
    )


def test_explicit_config_file(project: Path) -> None:
    settings = project / "settings.toml"
    settings.write_text('[diff]\nbase = "base.json"\nrevision = "port.json"\nfail_on = "never"\n')
    result = runner.invoke(app, ["diff", "--config", str(settings)])
    assert result.exit_code == 0, result.output
    bad = project / "bad.toml"
    bad.write_text('[diff]\nrevison = "port.json"\n')
    wrong = runner.invoke(app, ["diff", "--config", str(bad)])
    assert wrong.exit_code == 2
    assert (
        wrong.stderr.strip() == f"error: {bad}: unknown key diff.revison (did you mean revision?)"
    )


def test_missing_base_and_revision_exit_2(project: Path) -> None:
    result = runner.invoke(app, ["diff"])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: diff: missing BASE and REVISION: give them as arguments or set them in the "
        "tool.contract-tools.diff table (pyproject.toml or --config FILE)"
    )
    only_base = runner.invoke(app, ["diff", "base.json"])
    assert only_base.exit_code == 2
    assert only_base.stderr.startswith("error: diff: missing REVISION:")


# --- report files -----------------------------------------------------------------------------


def test_every_report_file_written_atomically(project: Path) -> None:
    out = project / "reports"
    out.mkdir()
    args = ["diff", "base.json", "port.json", "-o", "reports/diff.txt", "--json", "reports/d.json"]
    args += ["--junit", "reports/d.xml", "--markdown", "reports/d.md", "--html", "reports/d.html"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert sorted(p.name for p in out.iterdir()) == [
        "d.html",
        "d.json",
        "d.md",
        "d.xml",
        "diff.txt",
    ]
    assert findings_of(out / "d.json") == REMOVED
    suites = ET.parse(out / "d.xml").getroot()
    assert suites.tag == "testsuites"
    assert suites.get("failures") == "3"
    assert "operation-removed" in (out / "d.md").read_text()
    html = (out / "d.html").read_text()
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert "GET /a" in (out / "diff.txt").read_text()
    assert result.stderr.splitlines()[-1] == (
        "diff: 3 errors, 0 warnings, 0 info -> reports/diff.txt, reports/d.json, reports/d.xml, "
        "reports/d.md, reports/d.html"
    )


def test_report_paths_from_config_resolve_against_its_directory(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pyproject(project, 'base = "base.json"\nrevision = "port.json"\nmarkdown = "diff.md"\n')
    sub = project / "sub"
    sub.mkdir()
    monkeypatch.chdir(sub)
    result = runner.invoke(app, ["diff", "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    assert (project / "diff.md").is_file()
    assert list(sub.iterdir()) == []


def test_missing_report_directory_exits_2_before_loading(project: Path) -> None:
    result = runner.invoke(app, ["diff", "nope.json", "port.json", "--junit", "no/such/d.xml"])
    assert result.exit_code == 2
    assert (
        result.stderr.strip() == "error: --junit no/such/d.xml: directory 'no/such' does not exist"
    )


def test_two_reports_to_one_file_exit_2(project: Path) -> None:
    result = runner.invoke(app, ["diff", "base.json", "port.json", "--json", "r", "--html", "r"])
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: --html and --json both write r"


def test_markdown_truncation_points_at_html(tmp_path: Path) -> None:
    findings = [Finding("body-mismatch", Level.ERROR, f"GET /x/{n}", "x" * 400) for n in range(400)]
    report = Report.of("parity", findings)
    md, html = tmp_path / "p.md", tmp_path / "p.html"
    outputs = Outputs(markdown=str(md), html=str(html), output=str(tmp_path / "t"))
    assert api.finish(report, outputs) is ExitCode.GATE_FAILED
    assert f"See the HTML report (`{html}`) for everything." in md.read_text()


# --- GitHub step summary ----------------------------------------------------------------------


def test_github_summary_appends_markdown(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    summary = project / "summary.md"
    summary.write_text("# earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    args = ["diff", "base.json", "port.json", "--markdown", "d.md", "--github-summary"]
    assert runner.invoke(app, args).exit_code == 1
    assert summary.read_text() == "# earlier step\n" + (project / "d.md").read_text()
    # Without --markdown the summary is rendered anyway; a second run appends again.
    assert runner.invoke(app, ["diff", "base.json", "port.json", "--github-summary"]).exit_code == 1
    assert summary.read_text() == "# earlier step\n" + 2 * (project / "d.md").read_text()


def test_github_summary_without_env_is_a_note(project: Path) -> None:
    result = runner.invoke(app, ["diff", "base.json", "same.json", "--github-summary"])
    assert result.exit_code == 0
    assert "--github-summary: $GITHUB_STEP_SUMMARY is not set; skipped" in result.stderr
    assert runner.invoke(app, ["diff", "base.json", "same.json"]).exit_code == 0
    assert not list(project.glob("*.md"))


# --- accepted-drift file ----------------------------------------------------------------------


def accepted_file(directory: Path, entries: list[dict[str, Any]]) -> Path:
    path = directory / "drift.yaml"
    path.write_text(yaml.safe_dump({"version": 1, "accepted": entries}))
    return path


def entry(operation: str, reason: str, expires: str | None = None) -> dict[str, Any]:
    data = {"operation": operation, "id": "operation-removed", "reason": reason}
    return data if expires is None else {**data, "expires": expires}


def test_accepted_expired_stale_new(project: Path) -> None:
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    path = accepted_file(
        project,
        [
            entry("GET /a", "gone", tomorrow),
            entry("GET /b", "late", "2020-01-31"),
            entry("GET /zzz", "old news"),
        ],
    )
    args = ["diff", "base.json", "port.json", "--accepted", str(path), "--json", "d.json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1  # the expired /b and the new /d still fail
    assert findings_of(project / "d.json") == [REMOVED[1], REMOVED[2]]
    assert result.stderr.splitlines()[:3] == [
        f"accepted drift {path}: 1 accepted, 1 expired, 1 stale, 1 new",
        "  expired 2020-01-31: GET /b operation-removed: late",
        "  stale (no longer reproduced): GET /zzz operation-removed: old news",
    ]
    drift = json.loads((project / "d.json").read_text())["accepted_drift"]
    assert [e["operation"] for e in drift["accepted"]] == ["GET /a"]
    assert [e["operation"] for e in drift["expired"]] == ["GET /b"]
    assert [e["operation"] for e in drift["stale"]] == ["GET /zzz"]


@pytest.mark.parametrize("flag", ["--baseline", "--ignore"])
def test_the_old_flags_still_read_the_accepted_drift_file_with_a_warning(
    project: Path, flag: str
) -> None:
    path = accepted_file(
        project,
        [{"operation": op, "id": rule, "reason": "retired"} for op, rule in REMOVED],
    )
    result = runner.invoke(app, ["diff", "base.json", "port.json", flag, str(path)])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[:2] == [
        f"warning: {flag} FILE is deprecated and goes in the next release: use --accepted",
        f"accepted drift {path}: 3 accepted, 0 expired, 0 stale, 0 new",
    ]


def test_ignore_takes_rule_ids(project: Path) -> None:
    result = runner.invoke(
        app,
        ["diff", "base.json", "port.json", "--ignore", "operation-removed", "--json", "d.json"],
    )
    assert result.exit_code == 0, result.output
    assert findings_of(project / "d.json") == []


def test_help_shows_only_the_new_names() -> None:
    for command in ("diff", "parity"):
        text = runner.invoke(app, [command, "--help"]).stdout
        assert "--accepted" in text and "--update-accepted" in text
        assert "--baseline " not in text and "--update-baseline" not in text


def test_accepted_file_from_config(project: Path) -> None:
    accepted_file(project, [{"operation": op, "id": r, "reason": "ok"} for op, r in REMOVED])
    pyproject(project, 'base = "base.json"\nrevision = "port.json"\n', 'accepted = "drift.yaml"\n')
    assert runner.invoke(app, ["diff"]).exit_code == 0


def test_missing_accepted_file_exits_3(project: Path) -> None:
    result = runner.invoke(app, ["diff", "base.json", "port.json", "--accepted", "none.yaml"])
    assert result.exit_code == 3
    assert result.stderr.strip() == "error: none.yaml: accepted-drift file not found"


def test_update_accepted_then_gate_passes(project: Path) -> None:
    args = ["diff", "base.json", "port.json", "--accepted", "new.yaml"]
    assert runner.invoke(app, args).exit_code == 3  # not there yet
    made = runner.invoke(app, [*args, "--update-accepted", "--accepted-reason", "retired in v2"])
    assert made.exit_code == 0, made.output
    assert made.stderr.splitlines()[:2] == [
        "accepted drift new.yaml: 0 accepted, 0 expired, 0 stale, 3 new",
        "accepted-drift file new.yaml updated: 3 added, 0 pruned, 3 entries",
    ]
    doc = yaml.safe_load((project / "new.yaml").read_text())
    assert doc == {
        "version": 1,
        "accepted": [
            {"operation": op, "id": rule, "paths": [], "reason": "retired in v2"}
            for op, rule in REMOVED
        ],
    }
    assert [p.name for p in project.iterdir() if p.name.startswith(".")] == []
    again = runner.invoke(app, args)
    assert again.exit_code == 0, again.output
    assert again.stderr.splitlines()[0] == (
        "accepted drift new.yaml: 3 accepted, 0 expired, 0 stale, 0 new"
    )


def test_update_accepted_merges_and_keeps_expired(project: Path) -> None:
    path = accepted_file(
        project,
        [entry("GET /b", "late", "2020-01-31"), entry("GET /zzz", "old news")],
    )
    args = ["diff", "base.json", "port.json", "--accepted", str(path), "--update-accepted"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1  # an expired entry is not silently renewed
    doc = yaml.safe_load(path.read_text())
    assert [(e["operation"], e["reason"]) for e in doc["accepted"]] == [
        ("GET /a", DEFAULT_REASON),
        ("GET /b", "late"),
        ("GET /d", DEFAULT_REASON),
        ("GET /zzz", "old news"),
    ]


def test_update_accepted_json_file(project: Path) -> None:
    args = ["diff", "base.json", "port.json", "--accepted", "drift.json", "--update-accepted"]
    assert runner.invoke(app, args).exit_code == 0
    doc = json.loads((project / "drift.json").read_text())
    assert [e["operation"] for e in doc["accepted"]] == ["GET /a", "GET /b", "GET /d"]


def test_update_accepted_needs_a_file(project: Path) -> None:
    result = runner.invoke(app, ["diff", "base.json", "port.json", "--update-accepted"])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: --update-accepted needs --accepted FILE (the file to write)"
    )


# --- the library helpers the commands share ---------------------------------------------------


def test_settings_merge_config_and_flags(project: Path) -> None:
    pyproject(project, 'base = "base.json"\nrevision = "port.json"\n', 'fail_on = "warning"\n')
    assert api.diff_settings(revision="same.json", json=None) == DiffSettings(
        base="base.json", revision="same.json", fail_on=FailOn.WARNING
    )
    assert api.parity_settings(seed=3) == ParitySettings(seed=3, fail_on=FailOn.WARNING)
    with pytest.raises(UsageError, match=r"^--fail-on must be one of"):
        api.diff_settings(fail_on="sometimes")


def test_report_files_are_the_requested_ones() -> None:
    outputs = ParitySettings(junit="p.xml", json="-")
    assert outputs.report_files() == {"junit": "p.xml"}


def test_check_outputs_fails_fast(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"^--format: unknown report format 'pdf'"):
        api.check_outputs(Outputs(format="pdf"))
    with pytest.raises(UsageError, match=r"^--json .*: directory '.*' does not exist$"):
        api.check_outputs(Outputs(json=str(tmp_path / "no" / "r.json")))
    api.check_outputs(Outputs(fail_on=FailOn.NEVER))


def test_finish_through_the_api(tmp_path: Path) -> None:
    import io

    report = Report.of("diff", [Finding("operation-removed", Level.ERROR, "GET /a", "gone")])
    stdout = io.StringIO()
    said: list[str] = []
    settings = Outputs(format="json", json=str(tmp_path / "r.json"))
    code = api.finish(report, settings, stdout=stdout, on_message=said.append, summary_line=True)
    assert code is ExitCode.GATE_FAILED
    assert json.loads(stdout.getvalue())["summary"]["error"] == 1
    assert said == [f"diff: 1 errors, 0 warnings, 0 info -> {tmp_path / 'r.json'}"]
    never = Outputs(fail_on=FailOn.NEVER, output=str(tmp_path / "r.txt"))
    assert api.finish(report, never, today=dt.date(2030, 1, 1)) is ExitCode.OK
    assert (tmp_path / "r.txt").read_text().startswith("contract-tools diff")


def test_accepting_one_removed_property_does_not_accept_another(project: Path) -> None:
    def body_spec(*names: str) -> dict[str, Any]:
        schema = {"type": "object", "properties": {n: {"type": "string"} for n in names}}
        ok = {"description": "ok", "content": {"application/json": {"schema": schema}}}
        return {
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {"200": ok}}}},
        }

    for name, props in (("p0", "abc"), ("p1", "bc"), ("p2", "c")):
        (project / f"{name}.json").write_text(json.dumps(body_spec(*props)))
    accept = ["--accepted", "acc.yaml", "--update-accepted", "--accepted-reason", "a on purpose"]
    assert (
        runner.invoke(
            app, ["diff", "p0.json", "p1.json", "--fail-on", "warning", *accept]
        ).exit_code
        == 0
    )
    result = runner.invoke(
        app, ["diff", "p0.json", "p2.json", "--fail-on", "warning", "--accepted", "acc.yaml"]
    )
    assert result.exit_code == 1
    assert "1 accepted, 0 expired, 0 stale, 1 new" in result.stderr
