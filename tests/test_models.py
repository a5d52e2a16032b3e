"""Findings, their one identity, and the JSON report they read back from exactly."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from contract_tools.causes import with_causes
from contract_tools.models import (
    DriftKey,
    Exchange,
    FailOn,
    Finding,
    Level,
    Mode,
    Report,
    Reproduction,
    Request,
    Response,
    ResponsePath,
    SchemaChange,
)


def parity_finding() -> Finding:
    return Finding(
        id="header-mismatch",
        level=Level.WARNING,
        operation="GET /books/{id}",
        message="headers differ: etag",
        count=3,
        paths=(ResponsePath.header("ETag"),),
        exchange=Exchange(
            Request.build("GET", "/books/1", headers=[("Host", "localhost")]),
            Response(200, (("ETag", '"a"'), ("Content-Type", "application/json")), b"{}"),
            Response(200, (("content-type", "application/json"),), b"{}"),
        ),
        reproduction=Reproduction((("baseline", "curl a"), ("candidate", "curl b")), "def t(): 0"),
    )


def diff_finding() -> Finding:
    change = SchemaChange(
        "request", (("in", "query"), ("name", "limit")), base=10, revision=20, has_values=True
    )
    return Finding("request-parameter-default-changed", Level.WARNING, "GET /b", "m", change=change)


def test_the_json_shape_of_a_parity_finding() -> None:
    assert parity_finding().to_dict() == {
        "id": "header-mismatch",
        "level": "warning",
        "operation": "GET /books/{id}",
        "message": "headers differ: etag",
        "count": 3,
        "details": {
            "request": {
                "method": "GET",
                "path": "/books/1",
                "query": [],
                "headers": [["Host", "localhost"]],
                "body": "",
            },
            "baseline": {
                "status": 200,
                "headers": [["ETag", '"a"'], ["Content-Type", "application/json"]],
                "body": "{}",
            },
            "candidate": {
                "status": 200,
                "headers": [["content-type", "application/json"]],
                "body": "{}",
            },
            "paths": ["header:etag"],
            "curl": {"baseline": "curl a", "candidate": "curl b"},
            "pytest": "def t(): 0",
        },
    }


def test_the_json_shape_of_a_diff_finding() -> None:
    assert diff_finding().to_dict()["details"] == {
        "direction": "request",
        "in": "query",
        "name": "limit",
        "base": 10,
        "revision": 20,
        "paths": ["in=query name=limit"],
    }


@pytest.mark.parametrize("make", [parity_finding, diff_finding])
def test_findings_read_back_exactly(make: object) -> None:
    finding = make()  # type: ignore[operator]
    again = Finding.from_dict(json.loads(json.dumps(finding.to_dict())))
    assert again == finding
    assert (again.exchange, again.change, again.reproduction) == (
        finding.exchange,
        finding.change,
        finding.reproduction,
    )


def test_a_report_reads_back_with_its_meta_noise_and_skips() -> None:
    report = with_causes(
        Report(
            "parity",
            (parity_finding(),),
            meta={"baseline": "a:app", "summary": {"cases": 9, "seed": 1}},
            noise=({"operation": "GET /x", "paths": ["$.at"]},),
            skipped=({"operation": "GET /y", "reason": "no schema"},),
        )
    )
    doc = report.to_dict()
    assert list(doc) == [
        "command",
        "baseline",
        "summary",
        "causes",
        "findings",
        "noise",
        "skipped",
    ]
    assert [c["findings"] for c in doc["causes"]] == [[1]]
    assert doc["findings"][0]["cause"] == doc["causes"][0]["id"] == "C1"
    assert doc["summary"] == {
        "cases": 9,
        "seed": 1,
        "findings": 1,
        "error": 0,
        "warning": 1,
        "info": 0,
    }
    again = Report.from_dict(json.loads(json.dumps(doc)))
    assert again == report
    assert again.findings[0].cause == "C1"


def test_one_identity_whatever_the_spelling() -> None:
    key = DriftKey("GET /a", "body-mismatch", ("$.b", "$.a", "$.a"))
    assert key == DriftKey("GET /a", "body-mismatch", ("$.a", "$.b"))
    assert str(key) == "GET /a body-mismatch [$.a, $.b]"
    assert DriftKey.from_dict(key.to_dict()) == key
    assert diff_finding().key == DriftKey(
        "GET /b", "request-parameter-default-changed", ("in=query name=limit",)
    )


def test_option_vocabularies() -> None:
    assert FailOn.parse(" Warning ") is FailOn.WARNING
    assert (FailOn.WARNING.level, FailOn.NEVER.level) == (Level.WARNING, None)
    assert Mode.parse("ALL") is Mode.ALL and str(Mode.ALL) == "all"
    with pytest.raises(ValueError, match=r"unknown value 'x' \(expected one of: positive"):
        Mode.parse("x")


def test_unreadable_findings_say_why() -> None:
    with pytest.raises(ValueError, match="not a finding: 'level'"):
        Finding.from_dict({"id": "crash", "operation": "GET /"})
    with pytest.raises(ValueError, match="finding #1 is not a finding object"):
        Report.from_dict({"command": "parity", "findings": [3]})


def test_probe_and_sequence_findings_are_their_own_drifts_and_read_back() -> None:
    from dataclasses import replace

    from contract_tools.models import SequenceStep

    base = parity_finding()
    probed = replace(base, probe="head-for-get")
    assert probed.key != base.key
    assert probed.subject == ("header:etag", "probe=head-for-get")
    assert base.exchange is not None
    step = SequenceStep("POST /notes", base.exchange, Request.build("GET", "/notes/b-id"))
    sequenced = replace(base, sequence=(step, step), step=2)
    assert sequenced.subject == ("header:etag", "sequence")
    doc = json.loads(json.dumps(sequenced.to_dict()))
    assert doc["details"]["step"] == 2 and doc["details"]["paths"] == ["header:etag"]
    again = Finding.from_dict(doc)
    assert (again.sequence, again.step, again.key) == ((step, step), 2, sequenced.key)
    assert Finding.from_dict(json.loads(json.dumps(probed.to_dict()))).key == probed.key


def test_what_differs_is_the_status_pair_not_just_the_status() -> None:
    exchange = Exchange(Request.build("POST", "/o"), Response(201), Response(200))
    common = {"level": Level.ERROR, "operation": "POST /o", "message": "m", "exchange": exchange}
    created = Finding(
        "status-mismatch", paths=(ResponsePath.status(),), about="status 201 -> 200", **common
    )
    refused = replace(created, about="status 400 -> 422")
    assert created.key != refused.key
    assert created.key == DriftKey("POST /o", "status-mismatch", ("status 201 -> 200",))
    # 0.1 wrote "status" for both: what the gate recognises as an entry of the older shape.
    assert created.legacy_subject == refused.legacy_subject == ("status",)
    assert Finding.from_dict(created.to_dict()).about == "status 201 -> 200"
