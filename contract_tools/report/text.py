"""Plain-text report grouped by operation; no colour here so logs and files stay clean.

The helpers ``group_by_operation``, ``detail_lines`` and ``gate_line`` are shared with the JUnit
and Markdown reporters, so a finding's reproduction reads the same everywhere.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from contract_tools.models import (
    Exchange,
    Finding,
    Level,
    Report,
    Reproduction,
    Response,
    SchemaChange,
    body_text,
)
from contract_tools.report.paths import differences
from contract_tools.report.registry import RenderOptions, reporter

# A JUnit failure or a log line should stay readable; the full bodies live in the JSON/HTML reports.
MAX_VALUE_CHARS = 4000

# Control characters from an app's body would garble a terminal and make files look binary.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@reporter("text")
def render(report: Report, options: RenderOptions) -> str:
    fail_on = options.fail_on
    lines = [title(report)]
    for operation, findings in group_by_operation(report.findings).items():
        lines.append("")
        lines.append(operation)
        for finding in findings:
            lines.append(f"  {finding_line(finding, fail_on)}")
            # Blank lines of a snippet stay blank: no trailing whitespace in logs or goldens.
            lines.extend(f"      {line}" if line else "" for line in detail_lines(finding))
    if report.noise:
        lines.append("")
        lines.append("noise (paths that differ between two baseline answers, not compared):")
        for entry in report.noise:
            paths = ", ".join(str(p) for p in entry.get("paths", ()))
            lines.append(f"  {entry.get('operation', '?')}: {paths}")
    if report.skipped:
        lines.append("")
        lines.append("skipped:")
        for entry in report.skipped:
            lines.append(f"  {entry.get('operation', '?')}: {entry.get('reason', '')}")
    lines.append("")
    lines.append(summary_line(report))
    lines.append(gate_line(report, fail_on))
    return strip_control("\n".join(lines) + "\n")


def strip_control(text: str) -> str:
    """Replace control characters (not newline or tab) with U+FFFD."""
    return _CONTROL.sub("\N{REPLACEMENT CHARACTER}", text)


def title(report: Report) -> str:
    """'contract-tools parity: A -> B' from the meta keys each command documents."""
    meta = report.meta
    for left, right in (("baseline", "candidate"), ("base", "revision")):
        if left in meta or right in meta:
            sides = f"{meta.get(left, '?')} -> {meta.get(right, '?')}"
            return f"contract-tools {report.command}: {sides}"
    return f"contract-tools {report.command}"


def finding_line(finding: Finding, fail_on: Level | None) -> str:
    mark = "FAIL" if gates(finding, fail_on) else "    "
    cases = f" ({finding.count} cases)" if finding.count != 1 else ""
    return f"{mark} {finding.level!s:<7} {finding.id}: {finding.message}{cases}"


def gates(finding: Finding, fail_on: Level | None) -> bool:
    """Whether this finding alone fails the gate at ``fail_on`` (None: nothing fails)."""
    return fail_on is not None and finding.level >= fail_on


def group_by_operation(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    """Operations in first-seen order; Report.of already sorts, a hand-built Report may not."""
    groups: dict[str, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(finding.operation, []).append(finding)
    return groups


def summary_line(report: Report) -> str:
    counts = report.counts()
    parts = [f"{len(report.findings)} findings"]
    parts.append(", ".join(f"{counts[str(level)]} {level}" for level in reversed(Level)))
    summary = report.meta.get("summary")
    if isinstance(summary, Mapping):
        parts.extend(
            f"{key.replace('_', ' ')}: {value}"
            for key, value in summary.items()
            if key not in ("findings", "error", "warning", "info")
        )
    return "summary: " + "; ".join(parts)


def gate_line(report: Report, fail_on: Level | None) -> str:
    if fail_on is None:
        return "gate: off (fail-on never)"
    failing = sum(1 for f in report.findings if f.level >= fail_on)
    if failing:
        return f"gate: FAILED ({failing} findings at or above {fail_on})"
    return f"gate: passed (no finding at or above {fail_on})"


def detail_lines(finding: Finding) -> list[str]:
    """The evidence as plain lines: paths and their values, request, curl, answers, pytest."""
    lines: list[str] = []
    exchange, change = finding.exchange, finding.change
    if finding.paths:
        lines.append("paths: " + ", ".join(str(p) for p in finding.paths))
        if exchange is not None:
            lines.extend(
                f"  {path}: {left} -> {right}"
                for path, left, right in differences(exchange, finding.paths)
            )
    if change is not None:
        lines.extend(change_lines(change))
    if exchange is not None:
        lines.append("request: " + compact(exchange.request.to_dict()))
    if finding.reproduction is not None:
        lines.extend(curl_lines(finding.reproduction))
    if exchange is not None:
        lines.extend(answer_lines(exchange))
    if finding.reproduction is not None and finding.reproduction.pytest:
        lines.extend(block("pytest", finding.reproduction.pytest))
    return lines


def change_lines(change: SchemaChange) -> list[str]:
    """A diff finding: its subject once, then both values. The direction is in its level."""
    lines = [f"paths: {change.subject}"] if change.subject else []
    if change.has_values:
        lines.extend(block("base", value_text(change.base)))
        lines.extend(block("revision", value_text(change.revision)))
    return lines


def curl_lines(reproduction: Reproduction) -> list[str]:
    commands = {command for _, command in reproduction.curl}
    if len(commands) == 1:
        return [f"curl: {commands.pop()}"]  # in-process: both sides alike
    return [f"curl ({side}): {command}" for side, command in reproduction.curl]


def answer_lines(exchange: Exchange) -> list[str]:
    lines = []
    for side, response in (("baseline", exchange.baseline), ("candidate", exchange.candidate)):
        lines.append(f"{side}: {response_summary(response)}")
        if response.crash:
            lines.extend(block(f"{side} crash", response.crash.rstrip("\n")))
    return lines


def response_summary(response: Response) -> str:
    """``status 200, application/json, body {"id": 1}``: one line, whatever the body holds."""
    parts = [f"status {response.status}"]
    content_type = response.header("content-type")
    if content_type:
        parts.append(content_type)
    parts.append(f"body {one_line_body(response)}" if response.body else "empty body")
    return ", ".join(parts)


def one_line_body(response: Response) -> str:
    """A JSON body as compact JSON; any other body as text with its line breaks escaped."""
    parsed, value = response.json()
    if parsed:
        return compact(value)
    text = body_text(response.body, MAX_VALUE_CHARS)
    return truncate(text.replace("\r", "\\r").replace("\n", "\\n"))


def value_text(value: Any) -> str:
    """A schema value: text as is, anything else as JSON."""
    return value if isinstance(value, str) else to_json(value, indent=None)


def compact(value: Any) -> str:
    text = value if isinstance(value, str) else to_json(value, indent=None)
    return truncate(text)


def truncate(text: str, limit: int = MAX_VALUE_CHARS) -> str:
    if len(text) <= limit:
        return text
    return text[:limit] + f"... ({len(text) - limit} more characters)"


def to_json(value: Any, *, indent: int | None = 2) -> str:
    """JSON for display; never fails on bytes, sets or dates a report's meta may hold."""
    separators = (", ", ": ") if indent is None else None
    return json.dumps(
        value, indent=indent, ensure_ascii=False, default=jsonable, separators=separators
    )


def jsonable(value: Any) -> Any:
    """``json.dumps`` default: the few non-JSON types meta may carry, shown faithfully."""
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    if isinstance(value, tuple):
        return list(value)
    return str(value)


def block(label: str, text: str) -> list[str]:
    """``label: text`` on one line, or the label then the text indented when it has lines."""
    text = truncate(text)
    if "\n" in text:
        return [f"{label}:", *(f"  {line}" if line else "" for line in text.splitlines())]
    return [f"{label}: {text}"]
