"""The JSON report: golden files, the documented key order, and what replay reads back."""

from __future__ import annotations

import json

import pytest

from contract_tools.models import Finding, Report
from contract_tools.report import render
from tests.report.fixtures import DIFF, PARITY
from tests.report.goldens import assert_golden


@pytest.mark.parametrize(("name", "report"), [("parity", PARITY), ("diff", DIFF)])
def test_golden(name: str, report: Report) -> None:
    assert_golden(f"{name}.json", render(report, "json"))


def test_parity_shape() -> None:
    doc = json.loads(render(PARITY, "json"))
    assert list(doc) == [
        "command",
        "baseline",
        "candidate",
        "mode",
        "max_examples",
        "normalization",
        "operations",
        "serve",
        "summary",
        "causes",
        "findings",
        "noise",
        "skipped",
    ]
    assert doc["summary"] == {
        "operations": 5,
        "cases": 400,
        "shrink_cases": 37,
        "findings": 4,
        "seed": 42,
        "duration_s": 1.5,
        "error": 2,
        "warning": 2,
        "info": 0,
    }
    assert doc["causes"][1] == {
        "id": "C2",
        "title": "The candidate crashes: decimal.InvalidOperation: "
        "[<class 'decimal.ConversionSyntax'>]",
        "level": "error",
        "operations": ["GET /orders/{order_id}"],
        "findings": [2],
    }
    assert [f["cause"] for f in doc["findings"]] == ["C1", "C2", "C3", "C4"]
    assert list(doc["findings"][0]) == [
        "id",
        "level",
        "operation",
        "message",
        "count",
        "cause",
        "details",
    ]
    assert list(doc["findings"][3]["details"]) == [
        "request",
        "baseline",
        "candidate",
        "paths",
        "about",
        "curl",
        "pytest",
    ]
    assert doc["findings"][3]["details"]["about"] == "status 400 -> 422"
    assert doc["findings"][2]["details"]["baseline"]["headers"] == [
        ["Content-Type", "application/json"],
        ["Content-Length", "36"],
        ["ETag", '"a1"'],
    ]
    assert doc["noise"] == [
        {"operation": "GET /books/{id}", "shape": "query=q 2xx", "paths": ["$.fetched_at"]}
    ]
    assert doc["skipped"] == [
        {"operation": "PUT /upload", "reason": "multipart body cannot be generated"}
    ]


def test_diff_shape() -> None:
    doc = json.loads(render(DIFF, "json"))
    assert list(doc) == ["command", "base", "revision", "summary", "findings"]
    assert doc["summary"] == {"findings": 4, "error": 1, "warning": 2, "info": 1}
    assert doc["findings"][2]["details"] == {
        "direction": "request",
        "in": "query",
        "name": "limit",
        "location": "$",
        "base": 10,
        "revision": 20,
        "paths": ["in=query name=limit location=$"],
    }


@pytest.mark.parametrize("report", [PARITY, DIFF], ids=["parity", "diff"])
def test_findings_read_back_as_written(report: Report) -> None:
    doc = json.loads(render(report, "json"))
    read = [Finding.from_dict(data) for data in doc["findings"]]
    assert [f.to_dict() for f in read] == [f.to_dict() for f in report.findings]
    assert [f.exchange for f in read] == [f.exchange for f in report.findings]
