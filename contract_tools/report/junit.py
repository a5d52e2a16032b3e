"""JUnit XML report: a testsuite per operation, a testcase per finding, one failure each.

Follows the common (Jenkins ``junit-10.xsd``) structure CI systems read:
``testsuites > testsuite(name, tests, failures, errors, skipped, time) > testcase(classname, name,
time) > skipped? failure? system-out?``.

Why this shape: the schema allows several ``<failure>`` elements in one testcase, but GitHub's
test-report actions and GitLab's test report show only the first, so one testcase per operation
with every finding in it hid all but one. Here every operation the run explored is a testsuite
(``meta["operations"]`` lists them with their time; a passing operation is one passing testcase,
``agrees``), and every finding is a testcase of its operation's suite with at most one
``<failure>`` (when it is at or above fail-on) or, below fail-on, a ``<system-out>`` so it stays
visible without failing the build. ``failures`` counts failing testcases, so ``tests - failures
- skipped`` passed. Times are real: the operation's exploration time, split evenly between its
testcases (the cases that found its findings were shared).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping

from contract_tools.models import Finding, Level, Report
from contract_tools.report.registry import RenderOptions, reporter
from contract_tools.report.text import detail_lines, gates, numbered_line

# XML 1.0 cannot carry most control characters; an app's body may contain them.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@reporter("junit")
def render(report: Report, options: RenderOptions) -> str:
    fail_on = options.fail_on
    times = _operation_times(report)
    by_operation: dict[str, list[tuple[int, Finding]]] = {op: [] for op in _operations(report)}
    for number, finding in enumerate(report.findings, 1):
        by_operation.setdefault(finding.operation, []).append((number, finding))
    skip_reasons = {
        str(entry.get("operation", "?")): str(entry.get("reason", "")) for entry in report.skipped
    }

    root = ET.Element("testsuites", name="contract-tools")
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for operation in sorted(by_operation):
        findings = by_operation[operation]
        suite = ET.SubElement(root, "testsuite", name=f"{report.command} {operation}")
        if not totals["tests"]:
            _properties(suite, report, fail_on)
        elapsed = times.get(operation, 0.0)
        counts = {"tests": 0, "failures": 0, "skipped": 0}
        share = elapsed / max(1, len(findings))
        if operation in skip_reasons:
            case = _case(suite, operation, "skipped", elapsed)
            ET.SubElement(case, "skipped", message=_clean(skip_reasons[operation]))
            counts["skipped"] += 1
        elif not findings:
            _case(suite, operation, "agrees", elapsed)
        for number, finding in findings:
            name = f"#{number} {finding.id} [{', '.join(finding.subject)}]"
            case = _case(suite, operation, name, share)
            text = _clean(_reproduction(number, finding, fail_on))
            if gates(finding, fail_on):
                counts["failures"] += 1
                failure = ET.SubElement(
                    case,
                    "failure",
                    message=_clean(f"{finding.id}: {finding.message}"),
                    type=finding.id,
                )
                failure.text = text
            else:
                ET.SubElement(case, "system-out").text = text
        counts["tests"] = len(suite.findall("testcase"))
        _totals(suite, counts, elapsed)
        suite.set("hostname", "localhost")
        for key in totals:
            totals[key] += counts[key]
    _totals(root, totals, _duration(report))
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


def _case(suite: ET.Element, operation: str, name: str, seconds: float) -> ET.Element:
    return ET.SubElement(
        suite, "testcase", classname=operation, name=_clean(name), time=f"{seconds:.3f}"
    )


def _totals(element: ET.Element, counts: Mapping[str, int], seconds: float) -> None:
    element.set("tests", str(counts["tests"]))
    element.set("failures", str(counts["failures"]))
    element.set("errors", "0")
    element.set("skipped", str(counts["skipped"]))
    element.set("time", f"{seconds:.3f}")


def _properties(suite: ET.Element, report: Report, fail_on: Level | None) -> None:
    properties = ET.SubElement(suite, "properties")
    for key, value in report.meta.items():
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            ET.SubElement(properties, "property", name=key, value=_clean(str(value)))
    if fail_on is not None:
        ET.SubElement(properties, "property", name="fail_on", value=str(fail_on))
    if not len(properties):
        suite.remove(properties)


def _operations(report: Report) -> list[str]:
    """Every operation the run touched, sorted; a run without any still yields one testcase."""
    names: set[str] = {f.operation for f in report.findings}
    names.update(str(entry.get("operation", "?")) for entry in (*report.noise, *report.skipped))
    names.update(_operation_times(report))
    # A suite with no testcase shows as "no tests ran" in most CI; one passing case says "ok".
    return sorted(names) or [f"(all {report.command} checks)"]


def _operation_times(report: Report) -> dict[str, float]:
    """operation -> seconds spent on it, from ``meta["operations"]`` (names alone: 0)."""
    listed = report.meta.get("operations")
    times: dict[str, float] = {}
    if isinstance(listed, (list, tuple)):
        for entry in listed:
            if isinstance(entry, Mapping):
                seconds = entry.get("time_s")
                if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
                    seconds = 0.0
                times[str(entry.get("operation"))] = float(seconds)
            else:
                times[str(entry)] = 0.0
    return times


def _duration(report: Report) -> float:
    summary = report.meta.get("summary")
    if isinstance(summary, Mapping):
        value = summary.get("duration_s")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    return 0.0


def _reproduction(number: int, finding: Finding, fail_on: Level | None) -> str:
    lines = [numbered_line(number, finding, fail_on).strip(), f"operation: {finding.operation}"]
    lines.append(finding.message)
    lines.extend(detail_lines(finding))
    return "\n".join(lines)


def _clean(text: str) -> str:
    return _INVALID_XML.sub("\N{REPLACEMENT CHARACTER}", text)
