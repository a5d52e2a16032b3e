"""``contract-tools diff``: breaking changes between two contracts (files, URLs or apps)."""

from __future__ import annotations

import enum
from pathlib import Path

import typer

from contract_tools import api
from contract_tools.cli.common import (
    AcceptedFile,
    AcceptedReason,
    AppDir,
    ConfigFile,
    FailOnLevel,
    GithubSummary,
    HtmlReport,
    JsonReport,
    JunitReport,
    MarkdownReport,
    OldBaselineFile,
    OldBaselineReason,
    OldUpdateBaseline,
    UpdateAccepted,
    handle_errors,
    say,
    warn,
)

EPILOG = (
    "Example: contract-tools diff 'examples.legacy_flask:create_app()' "
    "'examples.fastapi_port:create_app()' --fail-on error --format markdown -o diff.md"
)


class ReportFormat(str, enum.Enum):
    text = "text"
    json = "json"
    markdown = "markdown"
    junit = "junit"
    html = "html"


def register(app: typer.Typer) -> None:
    app.command("diff", epilog=EPILOG)(diff)


def diff(
    base: str | None = typer.Argument(
        None,
        metavar="BASE",
        help="The contract clients rely on: spec file, URL or app reference "
        "(default: base in \\[tool.contract-tools.diff]).",
        show_default=False,
    ),
    revision: str | None = typer.Argument(
        None,
        metavar="REVISION",
        help="The new contract: spec file, URL or app reference "
        "(default: revision in \\[tool.contract-tools.diff]).",
        show_default=False,
    ),
    config: ConfigFile = None,
    fail_on: FailOnLevel = None,
    fmt: ReportFormat | None = typer.Option(
        None, "--format", help="Format of the primary report.  (default: text)", show_default=False
    ),
    output: str | None = typer.Option(
        None, "-o", "--output", help="Write the primary report here (default: stdout)."
    ),
    ignore: list[str] = typer.Option(
        [], "--ignore", help="A rule id not to report at all (repeat; see contract-tools rules)."
    ),
    json_file: JsonReport = None,
    junit_file: JunitReport = None,
    markdown_file: MarkdownReport = None,
    html_file: HtmlReport = None,
    accepted: AcceptedFile = None,
    update_accepted: UpdateAccepted = False,
    accepted_reason: AcceptedReason = None,
    baseline_file: OldBaselineFile = None,
    update_baseline: OldUpdateBaseline = False,
    baseline_reason: OldBaselineReason = None,
    github_summary: GithubSummary = False,
    app_dir: AppDir = ".",
) -> None:
    """Compare two OpenAPI contracts and report breaking changes, rule by rule."""
    with handle_errors() as stdout:
        rule_ids, old_accepted = _split_ignore(ignore)
        settings = api.diff_settings(
            config,
            base=base,
            revision=revision,
            fail_on=fail_on,
            format=fmt.value if fmt else None,
            output=output,
            ignore=rule_ids,
            json=json_file,
            junit=junit_file,
            markdown=markdown_file,
            html=html_file,
            accepted=accepted,
            update_accepted=update_accepted or None,
            accepted_reason=accepted_reason,
            baseline_file=baseline_file,
            ignore_file=old_accepted,
            update_baseline=update_baseline or None,
            baseline_reason=baseline_reason,
            github_summary=github_summary or None,
            app_dir=app_dir if app_dir != "." else None,
        )
        warn(settings.warnings)
        report = api.diff(settings)
        code = api.finish(report, settings, stdout=stdout, on_message=say, summary_line=True)
    raise typer.Exit(code)


def _split_ignore(values: list[str]) -> tuple[tuple[str, ...], str | None]:
    """``--ignore`` takes rule ids. Until 0.2 it took the accepted-drift file: a value that is a
    file (or names one by its extension) is still read so, with the deprecation warning the
    settings add for ``--baseline``."""
    rule_ids: list[str] = []
    old: str | None = None
    for value in values:
        if Path(value).is_file() or value.endswith((".yaml", ".yml", ".json")):
            old = value
        else:
            rule_ids.append(value)
    return tuple(rule_ids), old
