"""Plain-text report grouped by operation; no colour here so logs and files stay clean.

The helpers ``group_by_operation``, ``detail_lines`` and ``gate_line`` are shared with the JUnit
and Markdown reporters, so a finding's reproduction reads the same everywhere.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from contract_tools.causes import Cause, exception_line
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
from contract_tools.report.messages import request_text
from contract_tools.report.paths import differences
from contract_tools.report.registry import RenderOptions, reporter

# A JUnit failure or a log line should stay readable; the full bodies live in the JSON/HTML reports.
MAX_VALUE_CHARS = 4000

# Control characters from an app's body would garble a terminal and make files look binary.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@reporter("text")
def render(report: Report, options: RenderOptions) -> str:
    """Causes first (one line each), then the findings numbered as ``replay --finding`` reads
    them (one or two lines each; with ``verbose`` their evidence too), accepted drift apart,
    noise, skipped operations, the summary and the gate."""
    fail_on = options.fail_on
    lines = [title(report)]
    if report.causes:
        lines += ["", f"causes ({len(report.causes)}):"]
        lines.extend(f"  {cause_line(cause)}" for cause in report.causes)
    if report.findings:
        lines += ["", f"findings ({len(report.findings)}):"]
        lines.extend(_finding_lines(report, fail_on, verbose=options.verbose))
    lines.extend(accepted_lines(report))
    if options.verbose:
        lines.extend(serve_lines(report))
    if report.noise:
        lines.append("")
        lines.append("noise (paths that differ between two baseline answers, not compared):")
        for entry in report.noise:
            paths = ", ".join(str(p) for p in entry.get("paths", ()))
            shape = f" [{entry['shape']}]" if entry.get("shape") else ""
            lines.append(f"  {entry.get('operation', '?')}{shape}: {paths}")
    if report.skipped:
        lines.append("")
        lines.append("skipped:")
        for entry in report.skipped:
            lines.append(f"  {entry.get('operation', '?')}: {entry.get('reason', '')}")
    lines.append("")
    lines.append(summary_line(report))
    lines.append(gate_line(report, fail_on))
    return strip_control("\n".join(lines) + "\n")


# Without -v, a cause with more findings than this shows its first SHOWN_PER_CAUSE only.
COLLAPSE_OVER = 5
SHOWN_PER_CAUSE = 3


def _finding_lines(report: Report, fail_on: Level | None, *, verbose: bool) -> list[str]:
    lines: list[str] = []
    hidden: dict[str, list[int]] = {}
    sizes = {cause.id: len(cause.findings) for cause in report.causes}
    seen: dict[str, int] = {}
    for number, finding in enumerate(report.findings, 1):
        cause = finding.cause or ""
        seen[cause] = seen.get(cause, 0) + 1
        if not verbose and sizes.get(cause, 0) > COLLAPSE_OVER and seen[cause] > SHOWN_PER_CAUSE:
            hidden.setdefault(cause, []).append(number)
            if seen[cause] == sizes[cause]:
                numbers = hidden[cause]
                lines.append(
                    f"  ... {len(numbers)} more of {cause} (#{numbers[0]}-#{numbers[-1]}; "
                    "-v or the reports show them)"
                )
            continue
        lines.append(f"  {numbered_line(number, finding, fail_on)}")
        second = evidence_line(finding)
        if second:
            lines.append(f"        {second}")
        # A diff finding's details are two short values: always shown.
        if verbose or finding.change is not None:
            lines.extend(f"        {line}" if line else "" for line in detail_lines(finding))
    return lines


def cause_line(cause: Cause) -> str:
    """``C1 warning CORS: ... (59 operations: #1-#59)``."""
    count = len(cause.operations)
    where = f"{count} operation{'s' if count != 1 else ''}"
    return f"{cause.id:<4} {cause.level!s:<7} {cause.title} ({where}: {numbers(cause.findings)})"


def numbers(findings: tuple[int, ...]) -> str:
    """``#1-#4, #9``: finding numbers as consecutive ranges."""
    ranges: list[list[int]] = []
    for n in findings:
        if ranges and ranges[-1][1] == n - 1:
            ranges[-1][1] = n
        else:
            ranges.append([n, n])
    return ", ".join(f"#{a}" if a == b else f"#{a}-#{b}" for a, b in ranges)


def numbered_line(number: int, finding: Finding, fail_on: Level | None) -> str:
    """``3 FAIL error POST /books/ status-mismatch: status 201 -> 200 (4 cases) [C2]``."""
    mark = "FAIL" if gates(finding, fail_on) else "    "
    cases = f" ({finding.count} cases)" if finding.count != 1 else ""
    what = ", ".join(finding.subject) if finding.exchange is not None else finding.message
    cause = f" [{finding.cause}]" if finding.cause else ""
    return (
        f"{number:>3} {mark} {finding.level!s:<7} {finding.operation} {finding.id}: "
        f"{truncate(what, 120)}{cases}{cause}"
    )


def evidence_line(finding: Finding) -> str:
    """The minimal request and what differs in it, in one line: ``GET /x?a=1 -> 200 vs 422``."""
    exchange = finding.exchange
    if exchange is None:
        return ""
    request = exchange.request
    sent = f"{request.method} {request.target}"
    if request.body:
        sent += f" {short(body_text(request.body, 60))}"
    base, cand = exchange.baseline, exchange.candidate
    if finding.id == "crash":
        side = cand if (finding.about or "").endswith("candidate") else base
        what = exception_line(side)
    else:
        rows = differences(exchange, finding.paths)
        what = "; ".join(f"{p}: {a} vs {b}" for p, a, b in rows[:2])
        what = what or f"{base.status} vs {cand.status}"
    return truncate(f"{truncate(sent, 100)} -> {what}", 220)


def short(text: str) -> str:
    return text.replace("\r", "\\r").replace("\n", "\\n")


def accepted_lines(report: Report) -> list[str]:
    """Accepted drift, listed apart: never counted, never silent."""
    outcome = report.meta.get("accepted_drift")
    if not isinstance(outcome, Mapping):
        return []
    groups = {k: list(outcome.get(k) or ()) for k in ("accepted", "expired", "stale", "outdated")}
    counts = f"{len(groups['accepted'])} accepted, {len(groups['expired'])} expired, "
    counts += f"{len(groups['stale']) + len(groups['outdated'])} stale"
    lines = ["", f"accepted drift ({outcome.get('file')}): {counts}"]
    labels = {
        "accepted": "accepted",
        "expired": "EXPIRED",
        "stale": "stale (no longer reproduced)",
        "outdated": "stale (written by an older version; re-accept with --update-accepted)",
    }
    for group, entries in groups.items():
        for entry in entries:
            what = ", ".join(entry.get("paths") or ())
            lines.append(
                f"  {labels[group]}: {entry.get('operation')} {entry.get('id')}"
                f"{f' [{what}]' if what else ''}: {entry.get('reason', '')}"
            )
    return lines


def serve_lines(report: Report) -> list[str]:
    """How to run the curl lines of in-process apps: serve them, set the URL variables."""
    serve = report.meta.get("serve")
    if not isinstance(serve, Mapping) or not serve:
        return []
    lines = [
        "",
        "curl lines of in-process apps read their URL from a variable; serve the apps first:",
    ]
    for side, entry in serve.items():
        if isinstance(entry, Mapping):
            command = entry.get("command") or f"# serve the {side} app at {entry.get('url')}"
            lines.append(f"  {command} &  # {side}" if entry.get("command") else f"  {command}")
            lines.append(f"  export {entry.get('variable')}={entry.get('url')}")
    return lines


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
        lines.extend(block("request", request_text(exchange.request)))
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
