"""``contract-tools replay``: send a parity report's recorded requests again: still drifting?"""

from __future__ import annotations

import typer

from contract_tools import api
from contract_tools.cli.common import handle_errors, parse_header
from contract_tools.errors import ExitCode

EPILOG = "Example (after the parity example): contract-tools replay parity.json --finding 1"


def register(app: typer.Typer) -> None:
    app.command("replay", epilog=EPILOG)(replay)


def replay(
    report_file: str = typer.Argument(
        ..., metavar="REPORT", help="A JSON report written by `contract-tools parity --json`."
    ),
    finding: list[int] = typer.Option(
        [], "--finding", help="Replay only finding N (numbered from 1 in report order); repeat."
    ),
    baseline: str | None = typer.Option(
        None, "--baseline", help="Replay against this legacy app instead of the report's."
    ),
    candidate: str | None = typer.Option(
        None, "--candidate", help="Replay against this port instead of the report's."
    ),
    header: list[str] = typer.Option(
        [],
        "--header",
        help="'Name: value' for every request: reports keep parity's --header values REDACTED.",
    ),
    app_dir: str = typer.Option(".", "--app-dir", help="Directory put first on the import path."),
    timeout: float = typer.Option(30.0, "--timeout", help="Seconds to wait for one answer."),
) -> None:
    """Send each recorded finding's request to both apps again and say whether it reproduces."""
    with handle_errors() as stdout:
        report = api.read_report(report_file)
        results = api.replay(
            report,
            findings=finding,
            baseline=baseline,
            candidate=candidate,
            headers=[parse_header(h) for h in header],
            app_dir=app_dir,
            timeout=timeout,
        )
        for result in results:
            f = result.finding
            head = f"#{result.number} {f.operation} {f.id}"
            if result.verdict == "still reproduces":
                typer.echo(f"{head}: still reproduces ({', '.join(f.subject)})", file=stdout)
            elif result.verdict == "changed":
                typer.echo(f"{head}: changed: now {result.now}", file=stdout)
            else:
                typer.echo(f"{head}: no longer reproduces", file=stdout)
        if not results:
            typer.echo("no findings to replay", file=stdout)
    reproduced = any(r.reproduces for r in results)
    raise typer.Exit(ExitCode.GATE_FAILED if reproduced else ExitCode.OK)
