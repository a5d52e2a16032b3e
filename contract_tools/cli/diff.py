"""``contract-tools diff``: breaking changes between two contracts (files, URLs or apps)."""

from __future__ import annotations

import datetime as dt
import enum

import typer

from contract_tools.cli.common import emit, err_console, handle_errors

EPILOG = (
    "Example: contract-tools diff 'examples.legacy_flask:create_app()' examples.fastapi_port:app "
    "--fail-on error --format markdown -o diff.md"
)


class FailOn(str, enum.Enum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


class ReportFormat(str, enum.Enum):
    text = "text"
    json = "json"
    markdown = "markdown"
    junit = "junit"
    html = "html"


def register(app: typer.Typer) -> None:
    app.command("diff", epilog=EPILOG)(diff)


def diff(
    base: str = typer.Argument(
        ..., metavar="BASE", help="The contract clients rely on: spec file, URL or app reference."
    ),
    revision: str = typer.Argument(
        ..., metavar="REVISION", help="The new contract: spec file, URL or app reference."
    ),
    fail_on: FailOn = typer.Option(
        FailOn.error, "--fail-on", help="Exit 1 when a finding is at or above this level."
    ),
    fmt: ReportFormat = typer.Option(ReportFormat.text, "--format", help="Report format."),
    output: str | None = typer.Option(
        None, "-o", "--output", help="Write the report here (default: stdout)."
    ),
    ignore: str | None = typer.Option(
        None, "--ignore", help="YAML/JSON file of accepted findings (operation + id)."
    ),
    app_dir: str = typer.Option(".", "--app-dir", help="Directory put first on the import path."),
) -> None:
    """Compare two OpenAPI contracts and report breaking changes, rule by rule."""
    # Imported here so that `contract-tools --help` stays fast.
    from contract_tools.diff.engine import diff_specs
    from contract_tools.gate import Baseline, apply, exit_code_for, parse_fail_on
    from contract_tools.models import Report
    from contract_tools.report import render
    from contract_tools.spec.sources import load_spec

    with handle_errors():
        level = parse_fail_on(fail_on.value)
        baseline = Baseline.load(ignore) if ignore else None
        base_doc = load_spec(base, app_dir)
        revision_doc = load_spec(revision, app_dir)
        report = Report.of("diff", diff_specs(base_doc, revision_doc), base=base, revision=revision)
        if baseline is not None:
            report = apply(report, baseline, dt.date.today()).report
        emit(render(report, fmt.value, fail_on=level), output)
        counts = report.counts()
        where = f" -> {output}" if output and output != "-" else ""
        err_console.print(
            f"diff: {counts['error']} errors, {counts['warning']} warnings, "
            f"{counts['info']} info{where}"
        )
        code = exit_code_for(report, level)
    raise typer.Exit(code)
