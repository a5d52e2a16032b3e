"""``contract-tools parity``: the same generated requests to both apps, answers compared."""

from __future__ import annotations

import enum
from typing import Any

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
    err_console,
    handle_errors,
    parse_header,
)
from contract_tools.cli.reporting import RunOutputs, prepare, with_config
from contract_tools.errors import UsageError
from contract_tools.gate import DEFAULT_REASON

# Like Hypothesis's .hypothesis/: found drifts are replayed first on the next run.
DEFAULT_DATABASE = ".contract-tools/drifts"

EPILOG = (
    "Example: contract-tools parity 'examples.legacy_flask:create_app()' "
    "'examples.fastapi_port:create_app()' --seed 1 --max-examples 50 --json parity.json"
)


class Mode(str, enum.Enum):
    positive = "positive"
    negative = "negative"
    all = "all"


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
    baseline_file: str | None = typer.Option(
        None,
        "--baseline",
        help="YAML/JSON file of accepted drift (operation + id + paths, reason, expiry).",
    ),
    update_baseline: UpdateBaseline = False,
    reason: BaselineReason = DEFAULT_REASON,
    github_summary: GithubSummary = False,
    shard: str | None = typer.Option(
        None, "--shard", help="K/N: run the K-th of N deterministic slices (a CI matrix)."
    ),
    database: str = typer.Option(
        DEFAULT_DATABASE,
        "--database",
        help="Directory (or redis:// URL) where found drifts are kept and replayed first.",
    ),
    no_database: bool = typer.Option(False, "--no-database", help="Keep no drift store."),
    coverage: bool = typer.Option(
        True, "--coverage/--no-coverage", help="Send Schemathesis's boundary cases first."
    ),
    timeout: float = typer.Option(30.0, "--timeout", help="Seconds to wait for one answer."),
    app_dir: AppDir = ".",
) -> None:
    """Send the same generated requests to BASELINE and CANDIDATE and report where they differ."""
    from contract_tools.parity.runner import ParityOptions, resolve_specs, run_parity
    from contract_tools.parity.targets import make_target

    with handle_errors():
        ignored: dict[str, list[str]] = {}
        for operation, pattern in (parse_ignore(p) for p in ignore_path):
            ignored.setdefault(operation, []).append(pattern)
        settings = with_config(
            "parity",
            config,
            baseline=baseline,
            candidate=candidate,
            spec=spec[0] if len(spec) == 1 else None,
            include=tuple(include),
            exclude=tuple(exclude),
            max_examples=max_examples,
            seed=seed,
            mode=mode.value if mode else None,
            headers=dict(parse_header(h) for h in header) or None,
            strict=strict,
            ignore_paths=ignored or None,
            fail_on=fail_on.value if fail_on else None,
            json=json_file,
            junit=junit_file,
            markdown=markdown_file,
            html=html_file,
            baseline_file=baseline_file,
        )
        if not settings.baseline or not settings.candidate:
            raise UsageError(
                "parity: missing BASELINE and CANDIDATE: give them as arguments or set them "
                "in the tool.contract-tools.parity table (pyproject.toml or --config FILE)"
            )
        disabled = {name for name, on in settings.normalize.items() if not on} | set(disable_rule)
        options = ParityOptions(
            max_examples=settings.max_examples,
            seed=settings.seed,
            mode=settings.mode,
            include=settings.include,
            exclude=settings.exclude,
            headers=tuple(settings.headers.items()),
            strict=settings.strict,
            preset=settings.preset,
            disable=tuple(sorted(disabled)),
            ignore_paths=tuple(
                (operation, pattern)
                for operation, patterns in settings.ignore_paths.items()
                for pattern in patterns
            ),
            shard=parse_shard(shard) if shard else None,
            database=None if no_database else database,
            coverage=coverage,
        )
        run = prepare(
            RunOutputs.from_settings(
                settings,
                update_baseline=update_baseline,
                reason=reason,
                github_summary=github_summary,
                summary=False,
            )
        )
        base_target = make_target(settings.baseline, app_dir=app_dir, timeout=timeout)
        cand_target = make_target(settings.candidate, app_dir=app_dir, timeout=timeout)
        spec_files = spec if len(spec) == 2 else ([settings.spec] if settings.spec else [])
        # Load both (apps built, lifespans run, servers reached) before any progress display, so
        # a target that does not load is one line on stderr and exit 3. Opening is idempotent.
        for target in (base_target, cand_target):
            target.open()
        specs = resolve_specs(base_target, cand_target, spec_files)
        with _Progress() as progress:
            report = run_parity(base_target, cand_target, specs, options, progress.on_event)
        code = run.finish(report)
        _summary(report)
    raise typer.Exit(code)


def parse_shard(text: str) -> tuple[int, int]:
    k, sep, n = text.partition("/")
    try:
        shard = (int(k), int(n))
    except ValueError:
        shard = (0, 0)
    if not sep or not 1 <= shard[0] <= shard[1]:
        raise UsageError(f"--shard {text!r}: expected K/N with 1 <= K <= N, e.g. 2/4")
    return shard


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
