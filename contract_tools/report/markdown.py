"""Markdown report for ``$GITHUB_STEP_SUMMARY`` and PR comments: a summary, then one
collapsible ``<details>`` per finding; cut to ``limit`` bytes with a pointer to the HTML report.

GitHub renders a subset of HTML inside Markdown, so every app-supplied value is either inside a
code fence longer than any backtick run it contains, or escaped for Markdown and HTML.
"""

from __future__ import annotations

import re
from typing import Any

from contract_tools.models import Finding, Level, Report, Response, SchemaChange
from contract_tools.report.json import to_document
from contract_tools.report.messages import request_text, response_text
from contract_tools.report.paths import differences
from contract_tools.report.registry import RenderOptions, reporter
from contract_tools.report.text import (
    accepted_lines,
    gates,
    numbers,
    serve_lines,
    strip_control,
    to_json,
    truncate,
    value_text,
)

# A PR comment holds 65,536 characters; leave room for a bot's own header around ours.
DEFAULT_LIMIT = 60_000

_ICONS = {Level.ERROR: "❌", Level.WARNING: "⚠️", Level.INFO: "ℹ️"}  # noqa: RUF001
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#])")


@reporter("markdown")
def render(report: Report, options: RenderOptions) -> str:
    return render_within(report, options, DEFAULT_LIMIT)


def render_within(report: Report, options: RenderOptions, limit: int) -> str:
    """The report in at most ``limit`` bytes: whole findings only, then a pointer to the HTML."""
    fail_on, html_report = options.fail_on, options.html_report
    head = _head(report, fail_on)
    rows = _finding_rows(report)
    blocks = [_details_block(n, f, fail_on) for n, f in enumerate(report.findings, 1)]
    tail = _tail(report)
    full = "\n".join([head, *rows, "", *blocks, *tail]) + "\n"
    if _size(full) <= limit:
        return strip_control(full)
    # Too long: keep the head, then whole table rows, then whole details blocks while they fit
    # beside the note that points to the HTML report; a cut block would break the HTML nesting.
    total = len(report.findings)
    budget = limit - _size(_truncation_note(total, total, html_report)) - 8
    out = [head]
    used = _size(head) + 1
    shown = 0
    rows_fit = True
    for row in rows:
        if used + _size(row) + 1 > budget:
            rows_fit = False
            break
        out.append(row)
        used += _size(row) + 1
    if rows_fit:
        out.append("")
        for block in blocks:
            if used + _size(block) + 1 > budget:
                break
            out.append(block)
            used += _size(block) + 1
            shown += 1
    out += ["", _truncation_note(shown, total, html_report)]
    return strip_control("\n".join(out) + "\n")


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def _head(report: Report, fail_on: Level | None) -> str:
    meta = report.meta
    failing = sum(1 for f in report.findings if gates(f, fail_on))
    if fail_on is None:
        verdict = f"{len(report.findings)} findings (gate off)"
        icon = "ℹ️"  # noqa: RUF001
    elif failing:
        verdict = f"{failing} findings at or above {fail_on}"
        icon = "❌"
    else:
        verdict = f"no finding at or above {fail_on}"
        icon = "✅"
    lines = [f"## {icon} contract-tools {report.command}: {verdict}", ""]
    for left, right in (("baseline", "candidate"), ("base", "revision")):
        if left in meta or right in meta:
            lines.append(f"{code(str(meta.get(left, '?')))} → {code(str(meta.get(right, '?')))}")
            lines.append("")
            break
    summary: dict[str, Any] = to_document(report)["summary"]
    lines.append("| " + " | ".join(inline(k.replace("_", " ")) for k in summary) + " |")
    lines.append("|" + " ---: |" * len(summary))
    lines.append("| " + " | ".join(inline(str(v)) for v in summary.values()) + " |")
    if report.causes:
        lines += ["", "### Causes", "", "| cause | level | what | operations | findings |"]
        lines.append("| --- | --- | --- | ---: | --- |")
        lines.extend(
            f"| {c.id} | {_ICONS[c.level]} {c.level} | {inline(c.title)} "
            f"| {len(c.operations)} | {numbers(c.findings)} |"
            for c in report.causes
        )
    accepted = accepted_lines(report)
    if accepted:
        lines += ["", f"### {inline(accepted[1].removeprefix('accepted drift '))}", ""]
        lines.extend(f"- {inline(line.strip())}" for line in accepted[2:])
    if report.findings:
        lines.append("")
        lines += ["### Findings", ""]
        lines.append("| # | level | operation | finding | what differs | cases | cause |")
        lines.append("| ---: | --- | --- | --- | --- | ---: | --- |")
    return "\n".join(lines)


def _finding_rows(report: Report) -> list[str]:
    return [
        f"| {n} | {_ICONS[f.level]} {f.level} | {code(f.operation)} | {code(f.id)} "
        f"| {inline(', '.join(f.subject) if f.exchange is not None else f.message)} "
        f"| {f.count} | {f.cause or ''} |"
        for n, f in enumerate(report.findings, 1)
    ]


def _details_block(number: int, finding: Finding, fail_on: Level | None) -> str:
    gate = " (fails the gate)" if gates(finding, fail_on) else ""
    summary = (
        f"{_ICONS[finding.level]} <b>{number}. {html(str(finding.level))}</b> "
        f"<code>{html(finding.id)}</code> {html(finding.operation)}: "
        f"{html(finding.message)}{gate}"
    )
    parts = ["<details>", f"<summary>{summary}</summary>", ""]
    exchange = finding.exchange
    if finding.paths:
        parts += ["**Differing paths:** " + ", ".join(code(str(p)) for p in finding.paths), ""]
        rows = differences(exchange, finding.paths) if exchange is not None else []
        if rows:
            parts += ["| path | baseline | candidate |", "| --- | --- | --- |"]
            parts += [
                f"| {code(str(p))} | {code(left)} | {code(right)} |" for p, left, right in rows
            ]
            parts.append("")
    if finding.change is not None:
        parts += _change_parts(finding.change)
    if exchange is not None:
        parts += ["**Request**", "", fence(request_text(exchange.request)), ""]
    reproduction = finding.reproduction
    if reproduction is not None and reproduction.curl:
        commands = {command for _, command in reproduction.curl}
        if len(commands) == 1:
            text = commands.pop()  # in-process: both sides alike
        else:
            text = "\n".join(f"# {side}\n{command}" for side, command in reproduction.curl)
        parts += ["**Reproduce**", "", fence(text, "sh"), ""]
    if exchange is not None:
        for side, response in (("baseline", exchange.baseline), ("candidate", exchange.candidate)):
            parts += _response_parts(side, response)
    if reproduction is not None and reproduction.pytest:
        parts += ["**pytest**", "", fence(reproduction.pytest.rstrip("\n"), "python"), ""]
    parts.append("</details>")
    return "\n".join(parts)


def _change_parts(change: SchemaChange) -> list[str]:
    parts = []
    if change.subject:
        parts += [f"**Subject:** {code(change.subject)}", ""]
    parts += [f"**Direction:** {inline(change.direction)}", ""]
    if change.has_values:
        for label, value in (("Base", change.base), ("Revision", change.revision)):
            text = value_text(value)
            if "\n" in text or len(text) > 80:
                parts += [f"**{label}**", "", fence(to_json(value), "json"), ""]
            else:
                parts += [f"**{label}:** {code(text)}", ""]
    return parts


def _response_parts(side: str, response: Response) -> list[str]:
    content_type = response.header("content-type")
    heading = f"**{side.capitalize()} response:** status {response.status}"
    heading += f", {code(content_type)}" if content_type else ", no content-type"
    parts = [heading, ""]
    text = response_text(response)
    if text:
        parts += [fence(text), ""]
    if response.crash:
        parts += [f"**{side.capitalize()} crash**", "", fence(response.crash.rstrip("\n")), ""]
    return parts


def _tail(report: Report) -> list[str]:
    lines: list[str] = []
    serve = serve_lines(report)
    if serve:
        lines += ["", "### Running the curl lines", "", inline(serve[1]), ""]
        lines.append(fence("\n".join(line.strip() for line in serve[2:]), "sh"))
    if report.noise:
        lines += ["", "### Noise (differs between two baseline answers; not compared)", ""]
        for entry in report.noise:
            paths = ", ".join(code(str(p)) for p in entry.get("paths", ()))
            lines.append(f"- {code(str(entry.get('operation', '?')))}: {paths}")
    if report.skipped:
        lines += ["", "### Skipped operations", ""]
        for entry in report.skipped:
            op = code(str(entry.get("operation", "?")))
            lines.append(f"- {op}: {inline(str(entry.get('reason', '')))}")
    return lines


def _truncation_note(shown: int, total: int, html_report: str | None) -> str:
    where = f"the HTML report ({code(html_report)})" if html_report else "the HTML report"
    return (
        f"> **Truncated:** this summary shows {shown} of {total} findings in detail to stay "
        f"within the size GitHub accepts. See {where} for everything."
    )


def html(text: str) -> str:
    """Escape for raw HTML such as ``<summary>``; GitHub does not apply Markdown there."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", " ")


def inline(text: str) -> str:
    """Escape for a Markdown table cell or paragraph: structure characters and HTML."""
    text = truncate(text, 500).replace("\r", " ").replace("\n", " ")
    return html(_MD_SPECIAL.sub(r"\\\1", text))


def code(text: str) -> str:
    """An inline code span that no backtick or pipe inside ``text`` can end early."""
    text = truncate(text, 500).replace("\r", " ").replace("\n", " ").replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def fence(text: str, lang: str = "") -> str:
    """A fenced block longer than any backtick run in ``text``, so a body cannot close it."""
    text = truncate(text)
    longest = max((len(run) for run in re.findall(r"`{3,}", text)), default=2)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{lang}\n{text}\n{ticks}"


__all__ = ["DEFAULT_LIMIT", "render", "render_within"]
