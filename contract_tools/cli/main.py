"""The ``contract-tools`` Typer app; each command lives in a module of its own."""

from __future__ import annotations

import os
import signal
import sys
import threading
from pathlib import Path

import typer

from contract_tools import __version__
from contract_tools.cli import diff, fastapi_spec, flask_spec, parity, probes, replay, rules
from contract_tools.cli.common import State, Terminated

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
    """The console script: SIGTERM ends the run like an interrupt (reports of what finished,
    the cursor restored), and a thread an app left running never keeps the process alive."""
    signal.signal(signal.SIGTERM, _terminate)
    # Hypothesis keeps caches (its charmap, literal constants) under .hypothesis/ in the working
    # directory; a tool writes nothing there unless asked. Only the CLI process does this: the
    # pytest plugin runs inside a project whose own Hypothesis settings are its business.
    os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(_cache_dir() / "hypothesis"))
    try:
        app()
    except SystemExit as exc:
        if _lingering():
            # A sync endpoint stuck in a worker thread, a server thread an app started: the
            # answer is decided and written; waiting for them would hang CI.
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(exc.code if isinstance(exc.code, int) else 1)
        raise


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "contract-tools"


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def _lingering() -> bool:
    return any(
        thread.is_alive() and not thread.daemon and thread is not threading.main_thread()
        for thread in threading.enumerate()
    )
