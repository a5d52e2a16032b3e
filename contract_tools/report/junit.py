"""JUnit XML report: one testcase per operation, a ``<failure>`` per finding at or above fail-on.

Follows the common (Jenkins ``junit-10.xsd``) structure CI systems read:
``testsuites > testsuite(name, tests, failures, errors, skipped, time) > testcase(classname, name,
time) > skipped? failure* system-out?``. ``failures`` counts failing testcases, so
``tests - failures - skipped`` is the number that passed. Findings below fail-on go to
``system-out`` so they are visible without failing the build. Operations come from the findings,
``Report.noise``, ``Report.skipped`` and, when the engine lists them, ``meta["operations"]``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping

from contract_tools.models import Finding, Level, Report
from contract_tools.report.registry import RenderOptions, reporter
from contract_tools.report.text import detail_lines, finding_line, gates

# XML 1.0 cannot carry most control characters; an app's body may contain them.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@reporter("junit")
def render(report: Report, options: RenderOptions) -> str:
    fail_on = options.fail_on
    operations = _operations(report)
    by_operation: dict[str, list[Finding]] = {op: [] for op in operations}
    for finding in report.findings:
        by_operation[finding.operation].append(finding)
    skip_reasons = {
        str(entry.get("operation", "?")): str(entry.get("reason", "")) for entry in report.skipped
    }
    duration = _duration(report)

    suite_name = f"contract-tools {report.command}"
    root = ET.Element("testsuites", name="contract-tools")
    suite = ET.SubElement(root, "testsuite", name=suite_name)
    properties = ET.SubElement(suite, "properties")
    for key, value in report.meta.items():
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            ET.SubElement(properties, "property", name=key, value=_clean(str(value)))
    if fail_on is not None:
        ET.SubElement(properties, "property", name="fail_on", value=str(fail_on))
    if not len(properties):
        suite.remove(properties)

    tests = failures = skipped = 0
    for operation, findings in by_operation.items():
        tests += 1
        case = ET.SubElement(suite, "testcase", classname=report.command, name=operation)
        case.set("time", "0")
        if operation in skip_reasons:
            skipped += 1
            ET.SubElement(case, "skipped", message=_clean(skip_reasons[operation]))
        failing = [f for f in findings if gates(f, fail_on)]
        passing = [f for f in findings if not gates(f, fail_on)]
        if failing:
            failures += 1
        for finding in failing:
            failure = ET.SubElement(
                case,
                "failure",
                message=_clean(f"{finding.id}: {finding.message}"),
                type=finding.id,
            )
            failure.text = _clean(_reproduction(finding, fail_on))
        if passing:
            out = ET.SubElement(case, "system-out")
            out.text = _clean("\n\n".join(_reproduction(f, fail_on) for f in passing))

    for element in (root, suite):
        element.set("tests", str(tests))
        element.set("failures", str(failures))
        element.set("errors", "0")
        element.set("skipped", str(skipped))
        element.set("time", f"{duration:.3f}")
    suite.set("hostname", "localhost")
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


def _operations(report: Report) -> list[str]:
    """Every operation the run touched, sorted; a run without any still yields one testcase."""
    names: set[str] = {f.operation for f in report.findings}
    names.update(str(entry.get("operation", "?")) for entry in (*report.noise, *report.skipped))
    listed = report.meta.get("operations")
    if isinstance(listed, (list, tuple)):
        names.update(str(op) for op in listed)
    # A suite with no testcase shows as "no tests ran" in most CI; one passing case says "ok".
    return sorted(names) or [f"(all {report.command} checks)"]


def _duration(report: Report) -> float:
    summary = report.meta.get("summary")
    if isinstance(summary, Mapping):
        value = summary.get("duration_s")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    return 0.0


def _reproduction(finding: Finding, fail_on: Level | None) -> str:
    lines = [finding_line(finding, fail_on).strip(), f"operation: {finding.operation}"]
    lines.extend(detail_lines(finding))
    return "\n".join(lines)


def _clean(text: str) -> str:
    return _INVALID_XML.sub("\N{REPLACEMENT CHARACTER}", text)
