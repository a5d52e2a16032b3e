"""How ``diff`` and ``parity`` finish a run: config merged with flags, the accepted-drift
baseline applied (and updated), every report written atomically, the exit code decided.

Both commands call the same two steps so that a report format or a baseline rule changes here once::

    settings = with_config("diff", config_path, fail_on=..., json=..., baseline_file=...)
    run = prepare(RunOutputs.from_settings(settings, fmt=..., update_baseline=...))
    report = ...                      # the expensive part; prepare() already failed fast on typos
    raise typer.Exit(run.finish(report))
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Literal, overload

from contract_tools import gate
from contract_tools.cli.common import emit, err_console
from contract_tools.config import DiffConfig, ParityConfig, load_config, merge
from contract_tools.errors import UsageError
from contract_tools.fileio import write_atomic
from contract_tools.models import Level, Report

SUMMARY_ENV = "GITHUB_STEP_SUMMARY"
COMMANDS = ("diff", "parity")
REPORT_FORMATS = ("json", "junit", "markdown", "html")


@overload
def with_config(
    command: Literal["diff"], config_path: str | None, **cli_values: Any
) -> DiffConfig: ...


@overload
def with_config(
    command: Literal["parity"], config_path: str | None, **cli_values: Any
) -> ParityConfig: ...


def with_config(
    command: str, config_path: str | None, **cli_values: Any
) -> DiffConfig | ParityConfig:
    """``[tool.contract-tools.<command>]`` (or ``--config FILE``) with the flags on top.

    A flag wins when it is not None (an empty list counts as not given). An unknown key in the
    file is a UsageError naming it, which ``handle_errors`` turns into exit 2.
    """
    if command not in COMMANDS:
        raise ValueError(f"unknown command {command!r} (expected one of: {', '.join(COMMANDS)})")
    config = load_config(config_path)
    if command == "diff":
        return merge(config.diff, **cli_values)
    return merge(config.parity, **cli_values)


@dataclass(frozen=True)
class RunOutputs:
    """What the user asked a run to produce; every path is optional."""

    fail_on: str = "error"
    fmt: str = "text"
    output: str | None = None
    json: str | None = None
    junit: str | None = None
    markdown: str | None = None
    html: str | None = None
    baseline: str | None = None
    update_baseline: bool = False
    reason: str = gate.DEFAULT_REASON
    prune: bool = False
    github_summary: bool = False
    summary: bool = True

    @classmethod
    def from_settings(cls, settings: DiffConfig | ParityConfig, **extra: Any) -> RunOutputs:
        """Take fail_on, baseline_file and report paths (and format/output) from merged settings;
        ``extra`` sets the rest (update_baseline, reason, github_summary, ...)."""
        values: dict[str, Any] = {
            "fail_on": settings.fail_on,
            "baseline": settings.baseline_file,
            "json": settings.json,
            "junit": settings.junit,
            "markdown": settings.markdown,
            "html": settings.html,
        }
        if isinstance(settings, DiffConfig):
            values["fmt"] = settings.format or "text"
            values["output"] = settings.output
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(extra) - names)
        if unknown:
            raise TypeError(f"RunOutputs has no setting {unknown[0]!r}")
        values.update(extra)
        return cls(**values)

    def report_files(self) -> dict[str, str]:
        """format -> path for every requested report file (not the primary output)."""
        paths = {fmt: getattr(self, fmt) for fmt in REPORT_FORMATS}
        return {fmt: path for fmt, path in paths.items() if path and path != "-"}


@dataclass(frozen=True)
class PreparedRun:
    """Validated outputs and the loaded baseline; ``finish`` applies them to a Report."""

    outputs: RunOutputs
    level: Level | None
    baseline: gate.Baseline | None
    today: dt.date

    def finish(self, report: Report) -> int:
        """Apply the baseline, write every report, update the baseline if asked; 0 ok, 1 failed."""
        out = self.outputs
        result = gate.GateResult(report=report)
        if self.baseline is not None:
            result = gate.apply(report, self.baseline, self.today)
            _print_gate(result, self.baseline)
            if out.update_baseline:
                result = self._update_baseline(report, self.baseline)
        final = result.report
        written = self._write_reports(final)
        if out.summary:
            counts = final.counts()
            where = f" -> {', '.join(written)}" if written else ""
            _say(
                f"{final.command}: {counts['error']} errors, {counts['warning']} warnings, "
                f"{counts['info']} info{where}"
            )
        return result.exit_code(self.level)

    def _update_baseline(self, report: Report, baseline: gate.Baseline) -> gate.GateResult:
        out = self.outputs
        assert out.baseline is not None  # prepare() checked it
        updated = gate.update(baseline, report, reason=out.reason, prune=out.prune)
        fmt = "json" if Path(out.baseline).suffix.lower() == ".json" else "yaml"
        write_atomic(out.baseline, updated.dump(fmt))
        before = {e.fingerprint for e in baseline.entries}
        after = {e.fingerprint for e in updated.entries}
        _say(
            f"baseline {out.baseline} updated: {len(after - before)} added, "
            f"{len(before - after)} pruned, {len(after)} entries"
        )
        # Re-gate with the file as written: new drift is now accepted, expired entries still fail.
        return gate.apply(report, updated, self.today)

    def _write_reports(self, report: Report) -> list[str]:
        from contract_tools.report import render

        out = self.outputs
        written: list[str] = []
        markdown_text: str | None = None
        for fmt, path in out.report_files().items():
            text = render(report, fmt, fail_on=self.level, html_report=out.html)
            if fmt == "markdown":
                markdown_text = text
            write_atomic(path, text)
            written.append(path)
        primary = render(report, out.fmt, fail_on=self.level, html_report=out.html)
        emit(primary, out.output)
        if out.output and out.output != "-":
            written.insert(0, out.output)
        if out.fmt == "markdown" and markdown_text is None:
            markdown_text = primary
        if out.github_summary:
            summary_file = os.environ.get(SUMMARY_ENV)
            if not summary_file:
                _say(f"--github-summary: ${SUMMARY_ENV} is not set; skipped")
            else:
                if markdown_text is None:
                    markdown_text = render(
                        report, "markdown", fail_on=self.level, html_report=out.html
                    )
                _append(summary_file, markdown_text)
        return written


def prepare(outputs: RunOutputs, *, today: dt.date | None = None) -> PreparedRun:
    """Check everything a run will need before it runs: the level, formats, directories and the
    baseline file, so that a typo fails in a second instead of after a long parity run."""
    from contract_tools.report import FORMATS

    level = gate.parse_fail_on(outputs.fail_on)
    if outputs.fmt not in FORMATS:
        raise UsageError(
            f"--format: unknown report format {outputs.fmt!r} (expected one of: "
            f"{', '.join(FORMATS)})"
        )
    if outputs.update_baseline and not outputs.baseline:
        raise UsageError("--update-baseline needs --baseline FILE (the file to write)")
    targets: dict[str, str] = {}
    named = [
        ("--output", outputs.output),
        *((f"--{f}", p) for f, p in outputs.report_files().items()),
    ]
    if outputs.update_baseline:
        named.append(("--baseline", outputs.baseline))
    for flag, path in named:
        if not path or path == "-":
            continue
        key = os.path.abspath(path)
        if key in targets:
            raise UsageError(f"{flag} and {targets[key]} both write {path}")
        targets[key] = flag
        directory = Path(path).parent
        if not directory.is_dir():
            raise UsageError(f"{flag} {path}: directory {str(directory)!r} does not exist")
        if Path(path).is_dir():
            raise UsageError(f"{flag} {path}: is a directory, not a file")
    baseline = None
    if outputs.baseline:
        baseline = gate.Baseline.load(outputs.baseline, missing_ok=outputs.update_baseline)
    return PreparedRun(
        outputs=outputs, level=level, baseline=baseline, today=today or dt.date.today()
    )


def finish(report: Report, outputs: RunOutputs, *, today: dt.date | None = None) -> int:
    """``prepare(outputs).finish(report)`` for callers with nothing expensive in between."""
    return prepare(outputs, today=today).finish(report)


def _print_gate(result: gate.GateResult, baseline: gate.Baseline) -> None:
    _say(
        f"baseline {baseline.source}: {len(result.accepted)} accepted, "
        f"{len(result.expired)} expired, {len(result.stale)} stale, {len(result.new)} new"
    )
    for _, entry in result.expired:
        _say(f"  expired {entry.expires}: {_describe(entry)}")
    for entry in result.stale:
        _say(f"  stale (no longer reproduced): {_describe(entry)}")


def _say(text: str) -> None:
    # markup off: JSON paths such as [$.id] and user reasons are not Rich markup.
    err_console.print(text, markup=False, highlight=False)


def _describe(entry: gate.BaselineEntry) -> str:
    paths = f" [{', '.join(entry.paths)}]" if entry.paths else ""
    return f"{entry.operation} {entry.id}{paths}: {entry.reason}"


def _append(path: str, text: str) -> None:
    """The step summary belongs to the runner and other steps append to it too: append, not
    replace."""
    try:
        with open(path, "a", encoding="utf-8", newline="\n") as handle:
            handle.write(text if text.endswith("\n") else text + "\n")
    except OSError as exc:
        raise UsageError(f"${SUMMARY_ENV} {path}: cannot append: {exc.strerror}") from None


__all__ = ["PreparedRun", "RunOutputs", "finish", "prepare", "with_config"]
