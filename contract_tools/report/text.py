"""Plain-text report grouped by operation; no colour here so logs and files stay clean.

The helpers ``group_by_operation``, ``detail_lines`` and ``gate_line`` are shared with the JUnit
and Markdown reporters, so a finding's reproduction reads the same everywhere.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any, TypeGuard

from contract_tools.models import Finding, Level, Report
from contract_tools.report.paths import differences

# A JUnit failure or a log line should stay readable; the full bodies live in the JSON/HTML reports.
MAX_VALUE_CHARS = 4000

# Control characters from an app's body would garble a terminal and make files look binary.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# Keys rendered first, in this order, because together they are the reproduction.
_KNOWN_KEYS = ("paths", "request", "curl", "baseline", "candidate")
# A diff finding's subject (in, name, status, ...) is already its 'paths' line, and its direction
# is already in its level: repeating them made every finding four lines longer.
_SUBJECT_KEYS = ("in", "name", "status", "media_type", "header", "scheme", "location")
_SAID_ELSEWHERE = ("direction", "path")  # path: the operation line says it


def render(report: Report, *, fail_on: Level | None = Level.ERROR) -> str:
    lines = [title(report)]
    for operation, findings in group_by_operation(report.findings).items():
        lines.append("")
        lines.append(operation)
        for finding in findings:
            lines.append(f"  {finding_line(finding, fail_on)}")
            lines.extend(f"      {line}" for line in detail_lines(finding))
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
    """The reproduction as plain lines: paths, request, curl per side, responses, other details."""
    details = finding.details
    lines: list[str] = []
    paths = details.get("paths")
    if paths:
        lines.append("paths: " + ", ".join(str(p) for p in paths))
        lines.extend(differs_lines(details, [str(p) for p in paths]))
    if "request" in details:
        lines.append("request: " + compact(details["request"]))
    curl = details.get("curl")
    if isinstance(curl, Mapping) and len(set(curl.values())) == 1:
        lines.append(f"curl: {next(iter(curl.values()))}")  # in-process: both sides alike
    elif isinstance(curl, Mapping):
        lines.extend(f"curl ({side}): {command}" for side, command in curl.items())
    elif curl:
        lines.append(f"curl: {curl}")
    for side in ("baseline", "candidate"):
        response = details.get(side)
        if is_response(response):
            lines.append(f"{side}: {response_summary(response)}")
        elif side in details:
            lines.extend(_generic(side, response))
    for key, value in details.items():
        if key in _KNOWN_KEYS or key in _SAID_ELSEWHERE or (paths and key in _SUBJECT_KEYS):
            continue
        lines.extend(_generic(key, value))
    return lines


def differs_lines(details: Mapping[str, Any], paths: list[str]) -> list[str]:
    """``$.author: "Ursula K. Le Guin" -> (absent)``: what differs, baseline then candidate."""
    baseline, candidate = details.get("baseline"), details.get("candidate")
    if not (is_response(baseline) and is_response(candidate)):
        return []
    return [
        f"  {path}: {left} -> {right}"
        for path, left, right in differences(baseline, candidate, paths)
    ]


def is_response(value: Any) -> TypeGuard[Mapping[str, Any]]:
    """A parity response mapping, as opposed to a diff finding's plain 'base'/'revision' value."""
    return isinstance(value, Mapping) and "status" in value


def response_summary(response: Mapping[str, Any]) -> str:
    text = f"status {response.get('status')}"
    headers = response.get("headers")
    if isinstance(headers, Mapping):
        content_type = next(
            (v for k, v in headers.items() if str(k).lower() == "content-type"), None
        )
        if content_type:
            text += f", {content_type}"
    if "body" in response:
        text += ", body " + compact(response["body"])
    return text


def compact(value: Any) -> str:
    text = value if isinstance(value, str) else to_json(value, indent=None)
    return truncate(text)


def truncate(text: str, limit: int = MAX_VALUE_CHARS) -> str:
    if len(text) <= limit:
        return text
    return text[:limit] + f"... ({len(text) - limit} more characters)"


def to_json(value: Any, *, indent: int | None = 2) -> str:
    """JSON for display; never fails on bytes, sets or dates an engine may leave in details."""
    separators = (", ", ": ") if indent is None else None
    return json.dumps(
        value, indent=indent, ensure_ascii=False, default=jsonable, separators=separators
    )


def jsonable(value: Any) -> Any:
    """``json.dumps`` default: the few non-JSON types details may carry, shown faithfully."""
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    if isinstance(value, tuple):
        return list(value)
    return str(value)


def _generic(key: str, value: Any) -> list[str]:
    text = value if isinstance(value, str) else to_json(value, indent=None)
    text = truncate(text)
    if "\n" in text:
        return [f"{key}:", *(f"  {line}" for line in text.splitlines())]
    return [f"{key}: {text}"]
