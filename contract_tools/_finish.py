"""How every run ends: accepted drift applied (and updated), reports written, exit code decided.

``diff`` and ``parity`` (and scripts using the API) all finish here, so that a report format or
an accepted-drift rule changes in one place. ``prepare`` checks everything a run will need
before it runs (formats, directories, the accepted-drift file), so that a typo fails in a
second instead of after a long parity run.

Beside the report files of a parity run (the directory of the first one) it also writes what
the reports point to: ``parity-tests/test_finding_<n>.py``, one pytest file per finding that
fails while the drift exists, and ``parity-bodies/<sha256>.bin``, the large non-text request
bodies the curl lines read with ``--data-binary @file`` (run them from that directory).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from contract_tools import gate
from contract_tools.errors import ExitCode, UsageError
from contract_tools.fileio import write_atomic
from contract_tools.models import Finding, Level, Report
from contract_tools.redaction import redact
from contract_tools.report import formats, render
from contract_tools.settings import Outputs

SUMMARY_ENV = "GITHUB_STEP_SUMMARY"
Say = Callable[[str], None]


@dataclass(frozen=True)
class Prepared:
    """Validated outputs and the loaded accepted-drift file."""

    outputs: Outputs
    level: Level | None
    accepted: gate.Accepted | None
    primary: str  # the format written to --output, or to standard output


def prepare(outputs: Outputs) -> Prepared:
    """Everything a run's end will need, checked now."""
    if outputs.format not in formats():
        raise UsageError(
            f"--format: unknown report format {outputs.format!r} (expected one of: "
            f"{', '.join(formats())})"
        )
    primary = _primary(outputs)
    targets: dict[str, str] = {}
    named = [
        ("--output", outputs.output),
        *((f"--{fmt}", path) for fmt, path in outputs.report_files().items()),
    ]
    if outputs.update_accepted:
        named.append(("--accepted", outputs.accepted))
    for flag, path in named:
        if not path or path == "-":
            continue
        key = os.path.realpath(path)
        if key in targets:
            raise UsageError(f"{flag} and {targets[key]} both write {path}")
        targets[key] = flag
        _check_writable(flag, path)
    accepted = None
    if outputs.accepted:
        accepted = gate.Accepted.load(outputs.accepted, missing_ok=outputs.update_accepted)
    return Prepared(outputs, outputs.fail_on.level, accepted, primary)


def _primary(outputs: Outputs) -> str:
    """``--json -`` (any report flag given ``-``) means that report on standard output, in place
    of the text one; two of them cannot share it."""
    dashed = [fmt for fmt in ("json", "junit", "markdown", "html") if getattr(outputs, fmt) == "-"]
    stdout_taken = outputs.output in (None, "-")
    if len(dashed) > 1:
        raise UsageError(f"--{dashed[0]} - and --{dashed[1]} - both write to standard output")
    if dashed and stdout_taken and outputs.format != "text":
        raise UsageError(
            f"--{dashed[0]} - and --format {outputs.format} both write to standard output"
        )
    if dashed and not stdout_taken:
        raise UsageError(
            f"--{dashed[0]} -: standard output is free only without --output; "
            f"write the {outputs.format} report to {outputs.output} and the {dashed[0]} one "
            "to a file, or drop --output"
        )
    return dashed[0] if dashed else outputs.format


def _check_writable(flag: str, path: str) -> None:
    target = Path(os.path.realpath(path))
    if not target.parent.is_dir():
        directory = str(Path(path).parent)
        raise UsageError(f"{flag} {path}: directory {directory!r} does not exist")
    if target.is_dir():
        raise UsageError(f"{flag} {path}: is a directory, not a file")
    if target.is_file() and not stat.S_IMODE(target.stat().st_mode) & 0o222:
        raise UsageError(f"{flag} {path}: the file is read-only")


def finish(
    report: Report,
    outputs: Outputs,
    *,
    stdout: TextIO | None = None,
    say: Say | None = None,
    today: dt.date | None = None,
    summary_line: bool = False,
    verbose: bool = False,
    on_report: Callable[[Report], None] | None = None,
) -> ExitCode:
    """Apply accepted drift, write every report, update the accepted file if asked; the exit
    code is 0 when nothing at or above ``fail_on`` remains, else 1. ``verbose``: the primary
    report on standard output shows each finding's evidence (a file always does).
    ``on_report`` receives the report as written (accepted drift applied)."""
    prepared = prepare(outputs)
    tell = say or (lambda text: None)
    # Credentials given with --header never reach a file or the console, echoed bodies included.
    report = redact(report, getattr(outputs, "header_pairs", ()))
    if report.meta.get("redacted"):
        tell(f"redacted {report.meta['redacted']} occurrence(s) of --header values in the output")
    day = today or dt.date.today()
    result = gate.GateResult(report=report)
    if prepared.accepted is not None:
        result = gate.apply(report, prepared.accepted, day)
        _tell_gate(result, prepared.accepted, tell)
        if outputs.update_accepted:
            result = _update(report, prepared.accepted, outputs, day, tell)
    final = result.report
    if on_report is not None:
        on_report(final)
    written = _write_reports(final, prepared, stdout or sys.stdout, tell, verbose)
    _write_companions(final, outputs, tell)
    if summary_line:
        counts = final.counts()
        where = f" -> {', '.join(written)}" if written else ""
        tell(
            f"{final.command}: {counts['error']} errors, {counts['warning']} warnings, "
            f"{counts['info']} info{where}"
        )
    return ExitCode.GATE_FAILED if result.failing(prepared.level) else ExitCode.OK


def _update(
    report: Report, accepted: gate.Accepted, outputs: Outputs, today: dt.date, tell: Say
) -> gate.GateResult:
    assert outputs.accepted is not None  # the settings checked it
    updated = gate.update(
        accepted, report, reason=outputs.accepted_reason, prune=outputs.prune_accepted
    )
    fmt = "json" if Path(outputs.accepted).suffix.lower() == ".json" else "yaml"
    write_atomic(outputs.accepted, updated.dump(fmt))
    before = {e.key for e in accepted.entries}
    after = {e.key for e in updated.entries}
    tell(
        f"accepted-drift file {outputs.accepted} updated: {len(after - before)} added, "
        f"{len(before - after)} pruned, {len(after)} entries"
    )
    # Re-gate with the file as written: new drift is now accepted, expired entries still fail.
    return gate.apply(report, updated, today)


def _write_reports(
    report: Report, prepared: Prepared, stdout: TextIO, tell: Say, verbose: bool
) -> list[str]:
    out = prepared.outputs
    level = prepared.level
    written: list[str] = []
    markdown_text: str | None = None
    for fmt, path in out.report_files().items():
        text = render(report, fmt, fail_on=level, html_report=out.html)
        if fmt == "markdown":
            markdown_text = text
        write_atomic(path, text)
        written.append(path)
    to_file = bool(out.output and out.output != "-")
    # A file keeps everything; the terminal gets causes and one line per finding unless -v.
    primary = render(
        report, prepared.primary, fail_on=level, html_report=out.html, verbose=verbose or to_file
    )
    if out.output and to_file:
        write_atomic(out.output, primary)
        written.insert(0, out.output)
    else:
        stdout.write(primary)
        stdout.flush()
    if prepared.primary == "markdown" and markdown_text is None:
        markdown_text = primary
    if out.github_summary:
        summary_file = os.environ.get(SUMMARY_ENV)
        if not summary_file:
            tell(f"--github-summary: ${SUMMARY_ENV} is not set; skipped")
        else:
            if markdown_text is None:
                markdown_text = render(report, "markdown", fail_on=level, html_report=out.html)
            _append(summary_file, markdown_text)
    return written


def _write_companions(report: Report, outputs: Outputs, tell: Say) -> None:
    """The per-finding pytest files and the curl lines' body files, beside the reports."""
    files = [*outputs.report_files().values()]
    if outputs.output and outputs.output != "-":
        files.insert(0, outputs.output)
    if report.command != "parity" or not files:
        return
    directory = Path(files[0]).parent
    tests = directory / "parity-tests"
    if tests.is_dir():
        # Numbers change between runs: a file left from the last run would test another drift.
        for old in tests.glob("test_finding_*.py"):
            old.unlink()
    for number, finding in enumerate(report.findings, 1):
        if finding.reproduction is not None and finding.reproduction.pytest:
            tests.mkdir(exist_ok=True)
            write_atomic(str(tests / f"test_finding_{number}.py"), _test_file(number, finding))
    for finding in report.findings:
        _write_body_file(finding, directory)
    if report.findings:
        tell(f"pytest files for each finding: {tests} (they fail while the drift exists)")


# A curl line that reads its body from a file names it so (reproduction.py writes the line).
_BODY_FILE = re.compile(r"--data-binary @(parity-bodies/[0-9a-f]+\.bin)")


def _write_body_file(finding: Finding, directory: Path) -> None:
    if finding.reproduction is None or finding.exchange is None:
        return
    for _, command in finding.reproduction.curl:
        match = _BODY_FILE.search(command)
        if match:
            target = directory / match.group(1)
            target.parent.mkdir(exist_ok=True)
            target.write_bytes(finding.exchange.request.body)


def _test_file(number: int, finding: Finding) -> str:
    assert finding.reproduction is not None
    cause = f", cause {finding.cause}" if finding.cause else ""
    # Comments, not a docstring: a message may hold quotes or backslashes.
    head = [
        f"# Finding {number}{cause}: {finding.key}",
        f"# {finding.message}",
        "# Fails while the drift exists. Run pytest from where the parity run ran, so that",
        "# the apps import.",
    ]
    text = "\n".join(" ".join(line.split()) for line in head)
    return text + "\n\n" + finding.reproduction.pytest


def _tell_gate(result: gate.GateResult, accepted: gate.Accepted, tell: Say) -> None:
    outdated = result.outdated
    older = f" ({len(outdated)} written by an older version)" if outdated else ""
    tell(
        f"accepted drift {accepted.source}: {len(result.accepted)} accepted, "
        f"{len(result.expired)} expired, {len(result.stale)} stale{older}, "
        f"{len(result.new)} new"
    )
    for _, entry in result.expired:
        tell(f"  expired {entry.expires}: {_describe(entry)}")
    for entry in result.stale:
        if entry in outdated:
            tell(
                f"  stale: written by an older version, re-accept with --update-accepted: "
                f"{_describe(entry)}"
            )
        else:
            tell(f"  stale (no longer reproduced): {_describe(entry)}")


def _describe(entry: gate.AcceptedEntry) -> str:
    return f"{entry.key}: {entry.reason}"


def _append(path: str, text: str) -> None:
    """The step summary belongs to the runner and other steps append to it too: append."""
    try:
        with open(path, "a", encoding="utf-8", newline="\n") as handle:
            handle.write(text if text.endswith("\n") else text + "\n")
    except OSError as exc:
        raise UsageError(f"${SUMMARY_ENV} {path}: cannot append: {exc.strerror}") from None
