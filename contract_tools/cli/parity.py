"""``contract-tools parity``: the same generated requests to both apps, answers compared."""

from __future__ import annotations

import enum
from typing import Any

import typer

from contract_tools.cli.common import emit, err_console, handle_errors
from contract_tools.errors import UsageError

EPILOG = (
    "Example: contract-tools parity 'examples.legacy_flask:create_app()' "
    "'examples.fastapi_port:create_app()' --seed 1 --max-examples 50 --json parity.json"
)


class FailOn(str, enum.Enum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


class Mode(str, enum.Enum):
    positive = "positive"
    negative = "negative"
    all = "all"


def register(app: typer.Typer) -> None:
    app.command("parity", epilog=EPILOG)(parity)


def parse_header(text: str) -> tuple[str, str]:
    name, sep, value = text.partition(":")
    if not sep or not name.strip():
        raise UsageError(f"--header {text!r}: expected 'Name: value'")
    return name.strip(), value.strip()


def parse_ignore(text: str) -> tuple[str, str]:
    """``'GET /books/{id}=$.updated_at'`` or ``'$.updated_at'`` (every operation)."""
    operation, sep, pattern = text.rpartition("=")
    if not sep:
        return "*", text.strip()
    if not pattern.strip():
        raise UsageError(f"--ignore-path {text!r}: expected OPERATION=JSONPATH")
    return operation.strip() or "*", pattern.strip()


def parity(
    baseline: str = typer.Argument(
        ..., metavar="BASELINE", help="The legacy app: 'module:attr', 'module:factory()' or a URL."
    ),
    candidate: str = typer.Argument(
        ..., metavar="CANDIDATE", help="The port: 'module:attr', 'module:factory()' or a URL."
    ),
    spec: list[str] = typer.Option(
        [], "--spec", help="OpenAPI file: once for both sides, twice for baseline then candidate."
    ),
    include: list[str] = typer.Option(
        [], "--include", help="Only these operations ('GET /books/{id}' or a regex)."
    ),
    exclude: list[str] = typer.Option(
        [], "--exclude", help="Skip these operations ('GET /books/{id}' or a regex)."
    ),
    max_examples: int = typer.Option(100, "--max-examples", min=1, help="Cases per operation."),
    seed: int | None = typer.Option(None, "--seed", help="Repeat a run (printed every time)."),
    mode: Mode = typer.Option(Mode.all, "--mode", help="Valid, invalid or both kinds of input."),
    header: list[str] = typer.Option(
        [], "--header", help="'Name: value' added to every request (auth)."
    ),
    strict: bool = typer.Option(False, "--strict", help="Turn every normalisation rule off."),
    ignore_path: list[str] = typer.Option(
        [], "--ignore-path", help="OPERATION=JSONPATH to ignore ('*' for every operation)."
    ),
    fail_on: FailOn = typer.Option(
        FailOn.error, "--fail-on", help="Exit 1 when a finding is at or above this level."
    ),
    json_file: str | None = typer.Option(None, "--json", help="Write the JSON report here."),
    junit_file: str | None = typer.Option(None, "--junit", help="Write a JUnit XML report here."),
    markdown_file: str | None = typer.Option(None, "--markdown", help="Write Markdown here."),
    html_file: str | None = typer.Option(None, "--html", help="Write an HTML report here."),
    timeout: float = typer.Option(30.0, "--timeout", help="Seconds to wait for one answer."),
    app_dir: str = typer.Option(".", "--app-dir", help="Directory put first on the import path."),
) -> None:
    """Send the same generated requests to BASELINE and CANDIDATE and report where they differ."""
    from contract_tools.gate import exit_code_for, parse_fail_on
    from contract_tools.parity.runner import ParityOptions, resolve_specs, run_parity
    from contract_tools.parity.targets import make_target
    from contract_tools.report import render

    with handle_errors():
        options = ParityOptions(
            max_examples=max_examples,
            seed=seed,
            mode=mode.value,
            include=tuple(include),
            exclude=tuple(exclude),
            headers=tuple(parse_header(h) for h in header),
            strict=strict,
            ignore_paths=tuple(parse_ignore(p) for p in ignore_path),
        )
        level = parse_fail_on(fail_on.value)
        base_target = make_target(baseline, app_dir=app_dir, timeout=timeout)
        cand_target = make_target(candidate, app_dir=app_dir, timeout=timeout)
        specs = resolve_specs(base_target, cand_target, spec)
        with _Progress() as progress:
            report = run_parity(base_target, cand_target, specs, options, progress.on_event)
        for fmt, path in (
            ("json", json_file),
            ("junit", junit_file),
            ("markdown", markdown_file),
            ("html", html_file),
        ):
            if path:
                kwargs: dict[str, Any] = {"fail_on": level}
                if fmt == "markdown" and html_file:
                    kwargs["html_report"] = html_file
                emit(render(report, fmt, **kwargs), path)
        emit(render(report, "text", fail_on=level), None)
        _summary(report)
    raise typer.Exit(exit_code_for(report, level))


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

    def __enter__(self) -> _Progress:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        for task_id in self.tasks.values():
            task = self.progress.tasks[task_id]
            self.progress.update(task_id, total=task.completed or 1, completed=task.completed or 1)
        self.progress.stop()

    def on_event(self, event: Any) -> None:
        if event.kind == "operation":
            self._finish_others()
            self.tasks[event.operation] = self.progress.add_task(
                event.operation, total=event.budget, status=""
            )
        elif event.kind == "case" and event.operation in self.tasks:
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


def _summary(report: Any) -> None:
    from rich.table import Table

    summary = report.meta.get("summary", {})
    table = Table(title="parity", show_header=True, header_style="bold")
    for column in ("operations", "cases", "findings", "noise", "skipped", "seed", "time"):
        table.add_column(column, justify="right")
    table.add_row(
        str(summary.get("operations", 0)),
        str(summary.get("cases", 0)),
        str(summary.get("findings", 0)),
        str(sum(len(n["paths"]) for n in report.noise)),
        str(len(report.skipped)),
        str(summary.get("seed")),
        f"{summary.get('duration_s', 0):.1f}s",
    )
    err_console.print(table)
    err_console.print(
        f"seed {summary.get('seed')}: repeat this run with --seed {summary.get('seed')}"
    )
