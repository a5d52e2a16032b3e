"""The JUnit XML report: golden files and the structure CI systems read."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from contract_tools.models import Level, Report
from contract_tools.report import render
from tests.report.fixtures import DIFF, HEADER_MISMATCH, PARITY, SCRIPT_BODY
from tests.report.goldens import assert_golden


@pytest.mark.parametrize(("name", "report"), [("parity", PARITY), ("diff", DIFF)])
def test_golden(name: str, report: Report) -> None:
    assert_golden(f"{name}.xml", render(report, "junit"))


def test_structure() -> None:
    root = ET.fromstring(render(PARITY, "junit").encode("utf-8"))
    assert root.tag == "testsuites"
    totals = {k: root.get(k) for k in ("tests", "failures", "errors", "skipped", "time")}
    assert totals == {"tests": "6", "failures": "2", "errors": "0", "skipped": "1", "time": "1.500"}
    # One suite per operation explored, passing ones too, each with its real time.
    suites = [(s.get("name"), s.get("tests"), s.get("failures"), s.get("time")) for s in root]
    assert suites == [
        ("parity GET /", "1", "0", "0.100"),
        ("parity GET /authors/{author_id}", "1", "0", "0.200"),
        ("parity GET /books/{id}", "1", "1", "0.300"),
        ("parity GET /orders/{order_id}", "1", "1", "0.400"),
        ("parity POST /books", "1", "0", "0.500"),
        ("parity PUT /upload", "1", "0", "0.000"),
    ]
    cases = root.findall("testsuite/testcase")
    assert [(c.get("classname"), c.get("name"), c.get("time")) for c in cases] == [
        ("GET /", "agrees", "0.100"),
        ("GET /authors/{author_id}", "#3 header-mismatch [header:etag]", "0.200"),
        ("GET /books/{id}", "#1 body-mismatch [$.id, $.tags[*]]", "0.300"),
        ("GET /orders/{order_id}", "#2 crash [crash on candidate]", "0.400"),
        ("POST /books", "#4 status-mismatch [status 400 -> 422]", "0.500"),
        ("PUT /upload", "skipped", "0.000"),
    ]
    # At most one failure per testcase: CI reporters show only the first.
    assert all(len(c.findall("failure")) <= 1 for c in cases)
    failures = root.findall("testsuite/testcase/failure")
    assert [f.get("type") for f in failures] == ["body-mismatch", "crash"]
    text = failures[0].text or ""
    assert (
        "curl (baseline): curl --path-as-is --globoff -X GET -H 'Host: localhost' -H Accept: "
        "-H User-Agent: \"$BASELINE_URL\"'/books/1?q=a%26b'" in text
    )
    assert "paths: $.id, $.tags[*]" in text
    assert SCRIPT_BODY in text  # escaped by the XML writer, intact once parsed
    # Below fail-on: visible as output, not a failure; the NUL from the body is replaced.
    out = cases[4].find("system-out")
    assert out is not None and "\ufffd" in (out.text or "")
    assert cases[5].find("skipped") is not None
    # Schema order inside a testcase: skipped?, error*, failure*, system-out*.
    allowed = ["skipped", "error", "failure", "system-out", "system-err"]
    for case in cases:
        order = [allowed.index(child.tag) for child in case]
        assert order == sorted(order)


def test_header_mismatch_shows_both_values_and_content_types() -> None:
    report = Report.of("parity", [HEADER_MISMATCH])
    root = ET.fromstring(render(report, "junit", fail_on=Level.WARNING))
    (failure,) = root.iter("failure")
    lines = (failure.text or "").splitlines()
    assert '  header:etag: "a1" -> W/"a1"' in lines
    assert (
        'baseline: status 200, application/json, body {"id": 1, "name": "Ursula K. Le Guin"}'
        in (lines)
    )
    assert (
        'candidate: status 200, application/json, body {"id": 1, "name": "Ursula K. Le Guin"}'
        in lines
    )


def test_fail_on_levels() -> None:
    def failures(fail_on: Level | None) -> str | None:
        return ET.fromstring(render(PARITY, "junit", fail_on=fail_on)).get("failures")

    assert failures(Level.INFO) == "4"
    assert failures(Level.WARNING) == "4"
    assert failures(Level.ERROR) == "2"
    assert failures(None) == "0"


def test_without_findings_still_has_a_testcase() -> None:
    root = ET.fromstring(render(Report.of("diff", [], base="a", revision="b"), "junit"))
    assert [(c.get("classname"), c.get("name")) for c in root.iter("testcase")] == [
        ("(all diff checks)", "agrees")
    ]
    assert root.get("failures") == "0"
