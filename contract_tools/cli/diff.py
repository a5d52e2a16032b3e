"""``contract-tools diff``: breaking changes between two contracts (files, URLs or apps)."""

from __future__ import annotations

import enum
from collections.abc import Mapping

import typer

from contract_tools.cli.common import (
    AppDir,
    BaselineReason,
    ConfigFile,
    FailOnLevel,
    GithubSummary,
    HtmlReport,
    JsonReport,
    JunitReport,
    MarkdownReport,
    UpdateBaseline,
    handle_errors,
)
from contract_tools.cli.reporting import RunOutputs, prepare, with_config
from contract_tools.errors import UsageError
from contract_tools.gate import DEFAULT_REASON
from contract_tools.models import Level

EPILOG = (
    "Example: contract-tools diff 'examples.legacy_flask:create_app()' examples.fastapi_port:app "
    "--fail-on error --format markdown -o diff.md"
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
    json_file: JsonReport = None,
    junit_file: JunitReport = None,
    markdown_file: MarkdownReport = None,
    html_file: HtmlReport = None,
    baseline_file: str | None = typer.Option(
        None,
        "--baseline",
        "--ignore",
        help="YAML/JSON file of accepted drift (operation + id + paths, reason, expiry).",
    ),
    update_baseline: UpdateBaseline = False,
    reason: BaselineReason = DEFAULT_REASON,
    github_summary: GithubSummary = False,
    app_dir: AppDir = ".",
) -> None:
    """Compare two OpenAPI contracts and report breaking changes, rule by rule."""
    # Imported here so that `contract-tools --help` stays fast.
    from contract_tools.diff.engine import diff_specs
    from contract_tools.models import Report
    from contract_tools.spec.sources import load_spec

    with handle_errors():
        settings = with_config(
            "diff",
            config,
            base=base,
            revision=revision,
            fail_on=fail_on.value if fail_on else None,
            format=fmt.value if fmt else None,
            output=output,
            json=json_file,
            junit=junit_file,
            markdown=markdown_file,
            html=html_file,
            baseline_file=baseline_file,
        )
        missing = [name.upper() for name in ("base", "revision") if not getattr(settings, name)]
        if missing:
            them, arguments = ("them", "arguments") if len(missing) == 2 else ("it", "an argument")
            raise UsageError(
                f"diff: missing {' and '.join(missing)}: give {them} as {arguments} or set "
                f"{them} in the tool.contract-tools.diff table (pyproject.toml or --config FILE)"
            )
        assert settings.base is not None and settings.revision is not None
        run = prepare(
            RunOutputs.from_settings(
                settings,
                update_baseline=update_baseline,
                reason=reason,
                github_summary=github_summary,
            )
        )
        base_doc = load_spec(settings.base, app_dir)
        revision_doc = load_spec(settings.revision, app_dir)
        # [tool.contract-tools.diff] ignore: rule ids the team does not want reported at all.
        ignored = set(settings.ignore)
        levels = _levels(settings.levels)
        findings = [
            f for f in diff_specs(base_doc, revision_doc, levels=levels) if f.id not in ignored
        ]
        report = Report.of("diff", findings, base=settings.base, revision=settings.revision)
        code = run.finish(report)
    raise typer.Exit(code)


def _levels(configured: Mapping[str, str]) -> dict[str, Level]:
    """[tool.contract-tools.diff.levels], checked against the registry so a typo is named."""
    from contract_tools.diff.registry import all_rules

    known = {rule.id for rule in all_rules()}
    unknown = sorted(set(configured) - known)
    if unknown:
        raise UsageError(
            f"tool.contract-tools.diff.levels: unknown rule id {unknown[0]!r} "
            "(contract-tools rules lists them)"
        )
    return {rule_id: Level.parse(level) for rule_id, level in configured.items()}
