"""``contract-tools parity``: the same generated requests to both apps, answers compared."""

from __future__ import annotations

from typing import Any

import typer
from rich.markup import escape

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
    err_console,
    handle_errors,
    parse_header,
    say,
    warn,
)
from contract_tools.errors import UsageError
from contract_tools.models import Event, Mode, Report
from contract_tools.settings import DEFAULT_DATABASE

EPILOG = (
    "Example: contract-tools parity 'examples.legacy_flask:create_app()' "
    "'examples.fastapi_port:create_app()' --seed 1 --max-examples 5 --json parity.json"
)


def register(app: typer.Typer) -> None:
    app.command("parity", epilog=EPILOG)(parity)


def parse_ignore(text: str) -> tuple[str, str]:
    """``'GET /books/{id}=$.updated_at'`` or ``'$.updated_at'`` (every operation)."""
    operation, sep, pattern = text.rpartition("=")
    operation, pattern = (operation.strip() or "*", pattern.strip()) if sep else ("*", text.strip())
    if not pattern.startswith(("$", "header:")) and pattern != "status":
        raise UsageError(
            f"--ignore-path {text!r}: expected [OPERATION=]PATH, where PATH is a JSON path "
            "($.field), header:<name> or status"
        )
    return operation, pattern


def parity(
    baseline: str | None = typer.Argument(
        None,
        metavar="BASELINE",
        help="The legacy app: 'module:attr', 'module:factory()' or a URL (or from config).",
    ),
    candidate: str | None = typer.Argument(
        None,
        metavar="CANDIDATE",
        help="The port: 'module:attr', 'module:factory()' or a URL (or from config).",
    ),
    config: ConfigFile = None,
    spec: list[str] = typer.Option(
        [], "--spec", help="OpenAPI file: once for both sides, twice for baseline then candidate."
    ),
    include: list[str] = typer.Option(
        [], "--include", help="Only these operations ('GET /books/{id}' or a regex)."
    ),
    exclude: list[str] = typer.Option(
        [], "--exclude", help="Skip these operations ('GET /books/{id}' or a regex)."
    ),
    max_examples: int | None = typer.Option(
        None, "--max-examples", min=1, help="Cases per operation.  (default: 100)"
    ),
    seed: int | None = typer.Option(None, "--seed", help="Repeat a run (printed every time)."),
    mode: Mode | None = typer.Option(
        None, "--mode", help="Valid, invalid or both kinds of input.  (default: all)"
    ),
    header: list[str] = typer.Option(
        [], "--header", help="'Name: value' added to every request (auth)."
    ),
    strict: bool | None = typer.Option(
        None, "--strict/--no-strict", help="Turn every normalisation rule off."
    ),
    disable_rule: list[str] = typer.Option(
        [], "--disable-rule", help="Switch one normalisation rule off by name."
    ),
    ignore_path: list[str] = typer.Option(
        [], "--ignore-path", help="OPERATION=JSONPATH to ignore ('*' for every operation)."
    ),
    fail_on: FailOnLevel = None,
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
    shard: str | None = typer.Option(
        None, "--shard", help="K/N: run the K-th of N deterministic slices (a CI matrix)."
    ),
    workers: int | None = typer.Option(
        None,
        "--workers",
        min=1,
        help="Processes exploring operations side by side, e.g. --workers 2 (same findings for "
        "a seed whatever N; 1: in this process).  (default: the usable cores)",
    ),
    concurrency: int | None = typer.Option(
        None,
        "--concurrency",
        min=1,
        help="Cases in flight at once to two live servers, e.g. --concurrency 8 (GET, HEAD, "
        "OPTIONS only; answers judged in draw order; 1: one at a time).  (default: 4)",
    ),
    database: str | None = typer.Option(
        None,
        "--database",
        help="Keep found drifts in this directory (or redis:// URL) and check them again on "
        f"later runs, reported apart (e.g. {DEFAULT_DATABASE}; default: no store).",
    ),
    no_database: bool = typer.Option(False, "--no-database", hidden=True),
    allow_unsafe: bool = typer.Option(
        False,
        "--allow-unsafe",
        help="Allow POST/PUT/PATCH/DELETE to a URL target that is not on this machine.",
    ),
    coverage: bool | None = typer.Option(
        None, "--coverage/--no-coverage", help="Send Schemathesis's boundary cases first."
    ),
    probes: str | None = typer.Option(
        None,
        "--probes",
        metavar="LIST|none",
        help="Framework probes sent first: 'all', 'none' or names (contract-tools probes).  "
        "(default: all)",
    ),
    harvest: bool | None = typer.Option(
        None,
        "--harvest/--no-harvest",
        help="Mix values seen in responses (and spec examples) into generated requests.",
    ),
    timeout: float | None = typer.Option(
        None, "--timeout", help="Seconds to wait for one answer.  (default: 30)"
    ),
    stateful: bool | None = typer.Option(
        None,
        "--stateful/--no-stateful",
        help="Also run sequences (create, then act on what was created).  (default: on)",
    ),
    max_steps: int | None = typer.Option(
        None, "--max-steps", min=1, help="Steps per sequence.  (default: 5)"
    ),
    max_sequences: int | None = typer.Option(
        None, "--max-sequences", min=1, help="Sequences per run.  (default: 40)"
    ),
    app_dir: AppDir = ".",
    verbose: bool = typer.Option(
        False, "-v", "--verbose", help="Show each finding's bodies, curl lines and pytest test."
    ),
) -> None:
    """Send the same generated requests to BASELINE and CANDIDATE and report where they differ."""
    with handle_errors() as stdout:
        ignored: dict[str, list[str]] = {}
        for operation, pattern in (parse_ignore(p) for p in ignore_path):
            ignored.setdefault(operation, []).append(pattern)
        settings = api.parity_settings(
            config,
            baseline=baseline,
            candidate=candidate,
            spec=tuple(spec),
            include=tuple(include),
            exclude=tuple(exclude),
            max_examples=max_examples,
            seed=seed,
            mode=mode,
            headers=dict(parse_header(h) for h in header) or None,
            strict=strict,
            disable=tuple(disable_rule),
            ignore_paths=ignored or None,
            fail_on=fail_on,
            json=json_file,
            junit=junit_file,
            markdown=markdown_file,
            html=html_file,
            accepted=accepted,
            update_accepted=update_accepted or None,
            accepted_reason=accepted_reason,
            baseline_file=baseline_file,
            update_baseline=update_baseline or None,
            baseline_reason=baseline_reason,
            github_summary=github_summary or None,
            shard=shard,
            workers=workers,
            concurrency=concurrency,
            database=False if no_database else database,
            allow_unsafe=allow_unsafe or None,
            coverage=coverage,
            probes=probes,
            harvest=harvest,
            timeout=timeout,
            stateful=stateful,
            max_steps=max_steps,
            max_sequences=max_sequences,
            app_dir=app_dir if app_dir != "." else None,
        )
        warn(settings.warnings)
        with _Progress() as progress:
            report = api.parity(settings, progress.on_event)
        warn(report.meta.get("warnings") or ())
        final: list[Report] = [report]
        code = api.finish(
            report, settings, stdout=stdout, on_message=say, verbose=verbose, on_report=final.append
        )
        _summary(final[-1])
    raise typer.Exit(code)


class _Progress:
    """A rich progress bar per operation, on stderr; the engine only emits events."""

    def __init__(self) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[status]}"),
            console=err_console,
            transient=False,
        )
        self.tasks: dict[str, Any] = {}
        self.started = False

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        for task_id in self.tasks.values():
            task = self.progress.tasks[task_id]
            self.progress.update(task_id, total=task.completed or 1, completed=task.completed or 1)
        if self.started:
            self.progress.stop()

    def on_event(self, event: Event) -> None:
        if event.kind == "warning":
            # Printed through the progress display's console, so the bar redraws below it.
            self.progress.console.print(f"[yellow]warning:[/] {escape(event.message)}")
            return
        if event.kind in ("operation", "sequences") and not self.started:
            # Started with the first bar, after both sides loaded (in every worker too): a
            # side that fails to load is one error line, not a line under an empty display.
            self.progress.start()
            self.started = True
        if event.kind in ("operation", "sequences"):
            self._finish_others()
            self.tasks[event.operation] = self.progress.add_task(
                event.operation, total=event.budget, status=""
            )
        elif event.kind in ("case", "sequence") and event.operation in self.tasks:
            self.progress.update(
                self.tasks[event.operation],
                completed=event.cases,
                status=f"{event.findings} drift(s) so far" if event.findings else "",
            )
        elif event.kind == "skipped" and event.operation in self.tasks:
            self.progress.update(self.tasks[event.operation], status="skipped")

    def _finish_others(self) -> None:
        # Hypothesis stops early when an operation has few distinct inputs: close the bar there.
        for task_id in self.tasks.values():
            task = self.progress.tasks[task_id]
            if not task.finished:
                self.progress.update(
                    task_id, total=task.completed or 1, completed=task.completed or 1
                )


def _summary(report: Report) -> None:
    from rich.table import Table

    earlier = report.meta.get("seen_before")
    if isinstance(earlier, list) and earlier:
        say(
            f"also seen before: {len(earlier)} drift(s) from the drift store still show "
            "(listed apart in the JSON report as seen_before; not part of this seeded run)"
        )
    summary = report.meta.get("summary", {})
    table = Table(title="parity", show_header=True, header_style="bold")
    columns = ("operations", "cases", "findings", "causes", "accepted", "noise", "skipped")
    for column in (*columns, "seed", "time"):
        table.add_column(column, justify="right")
    table.add_row(
        str(summary.get("operations", 0)),
        str(summary.get("cases", 0)),
        str(len(report.findings)),
        str(len(report.causes)),
        str(summary.get("accepted", "-")),
        str(sum(len(n["paths"]) for n in report.noise)),
        str(len(report.skipped)),
        str(summary.get("seed")),
        f"{summary.get('duration_s', 0):.1f}s",
    )
    err_console.print(table)
    err_console.print(
        f"seed {summary.get('seed')}: repeat this run with --seed {summary.get('seed')}"
    )
