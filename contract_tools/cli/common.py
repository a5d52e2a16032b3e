"""Shared CLI plumbing: error-to-exit-code mapping, stderr console, output writing."""

from __future__ import annotations

import contextlib
import enum
import sys
from collections.abc import Iterable, Iterator
from typing import Annotated, Any, TextIO

import typer
from rich.console import Console
from rich.markup import escape

from contract_tools.documents import dump_json, dump_yaml
from contract_tools.errors import ContractToolsError, ExitCode, UsageError
from contract_tools.fileio import write_atomic
from contract_tools.models import FailOn

# Summaries and progress go to stderr so that stdout stays a clean document.
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


class DocFormat(str, enum.Enum):
    json = "json"
    yaml = "yaml"


class State:
    debug = False


class Terminated(KeyboardInterrupt):
    """SIGTERM: end like an interrupt, so context managers run (the cursor comes back). A
    KeyboardInterrupt, so that nothing between here and the signal (Hypothesis, the engine's
    own 'an app failed' handling) mistakes it for a failure of the code under test."""


@contextlib.contextmanager
def handle_errors() -> Iterator[TextIO]:
    """Turn library errors into one line on stderr and the error's exit code.

    Yields the real standard output, and points ``sys.stdout`` at stderr meanwhile: stdout
    belongs to the tool's documents, and an app that prints (at import, in a view) must not
    corrupt the spec or report a user pipes somewhere.
    """
    stdout = sys.stdout
    sys.stdout = sys.stderr
    try:
        yield stdout
    except ContractToolsError as exc:
        if State.debug:
            raise
        # The message is data (paths, config keys in [brackets]): never read it as markup.
        err_console.print(f"[bold red]error:[/] {escape(str(exc))}", markup=True, highlight=False)
        raise typer.Exit(exc.exit_code) from None
    except OSError as exc:
        # A file or socket problem the library did not foresee: still one line, never a traceback.
        if State.debug:
            raise
        err_console.print(f"[bold red]error:[/] {escape(str(exc))}", markup=True, highlight=False)
        raise typer.Exit(ExitCode.LOAD_FAILED) from None
    except Terminated:
        err_console.print("terminated")
        raise typer.Exit(ExitCode.TERMINATED) from None
    except KeyboardInterrupt:
        err_console.print("interrupted")
        raise typer.Exit(ExitCode.INTERRUPTED) from None
    finally:
        sys.stdout = stdout


def say(text: str) -> None:
    """One line on stderr; markup off: JSON paths such as [$.id] and reasons are not markup."""
    err_console.print(text, markup=False, highlight=False)


def warn(lines: Iterable[str]) -> None:
    """Deprecations and other warnings the settings carry, once each, on stderr."""
    for line in lines:
        err_console.print(f"[yellow]warning:[/] {escape(line)}", markup=True, highlight=False)


def dump_document(doc: Any, fmt: DocFormat) -> str:
    return dump_yaml(doc, width=80) if fmt is DocFormat.yaml else dump_json(doc)


def emit(text: str, output: str | None, stdout: TextIO) -> None:
    """Write to ``output`` atomically, or to the tool's stdout when no file is given."""
    if output and output != "-":
        write_atomic(output, text)
    else:
        stdout.write(text)
        stdout.flush()


def parse_header(text: str) -> tuple[str, str]:
    """``--header 'Name: value'`` as a pair (parity and replay both take it)."""
    name, sep, value = text.partition(":")
    if not sep or not name.strip():
        raise UsageError(f"--header {text!r}: expected 'Name: value'")
    return name.strip(), value.strip()


# Options diff and parity share, declared once so their names and help never drift apart.
# The accepted-drift file was called the "baseline" file until 0.2; the old flags still work for
# one release (hidden from --help, with a warning), since "baseline" is the legacy app.
ConfigFile = Annotated[
    str | None,
    typer.Option("--config", help="TOML settings file (default: the nearest pyproject.toml)."),
]
FailOnLevel = Annotated[
    FailOn | None,
    typer.Option(
        "--fail-on",
        help="Exit 1 when a finding is at or above this level.  (default: error)",
        show_default=False,
    ),
]
JsonReport = Annotated[str | None, typer.Option("--json", help="Also write a JSON report here.")]
JunitReport = Annotated[str | None, typer.Option("--junit", help="Also write JUnit XML here.")]
MarkdownReport = Annotated[str | None, typer.Option("--markdown", help="Also write Markdown here.")]
HtmlReport = Annotated[str | None, typer.Option("--html", help="Also write an HTML report here.")]
AcceptedFile = Annotated[
    str | None,
    typer.Option(
        "--accepted",
        help="YAML/JSON file of accepted drift (operation + id + paths, reason, expiry).",
    ),
]
UpdateAccepted = Annotated[
    bool,
    typer.Option("--update-accepted", help="Add this run's new findings to the --accepted file."),
]
AcceptedReason = Annotated[
    str | None,
    typer.Option("--accepted-reason", help="Reason recorded on entries --update-accepted adds."),
]
OldBaselineFile = Annotated[str | None, typer.Option("--baseline", hidden=True)]
OldUpdateBaseline = Annotated[bool, typer.Option("--update-baseline", hidden=True)]
OldBaselineReason = Annotated[str | None, typer.Option("--baseline-reason", hidden=True)]
GithubSummary = Annotated[
    bool,
    typer.Option("--github-summary", help="Append the Markdown report to $GITHUB_STEP_SUMMARY."),
]
AppDir = Annotated[str, typer.Option("--app-dir", help="Directory put first on the import path.")]
