"""The ``contract-tools`` Typer app; each command lives in a module of its own."""

from __future__ import annotations

import typer

from contract_tools import __version__
from contract_tools.cli import diff, fastapi_spec, flask_spec, parity, probes, replay, rules
from contract_tools.cli.common import State

app = typer.Typer(
    name="contract-tools",
    help="Measure and gate behavioural drift between a Flask service and its FastAPI port.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"contract-tools {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
    debug: bool = typer.Option(
        False, "--debug", help="Show tracebacks instead of one-line errors."
    ),
) -> None:
    """Measure and gate behavioural drift between a Flask service and its FastAPI port."""
    State.debug = debug


flask_spec.register(app)
fastapi_spec.register(app)
diff.register(app)
rules.register(app)
parity.register(app)
probes.register(app)
replay.register(app)


def run() -> None:
    app()
