"""A fixed parity Report and diff Report that every reporter test and golden file is built from."""

from __future__ import annotations

from contract_tools.models import Finding, Level, Report

SCRIPT_BODY = "<script>alert(1)</script>"

BODY_MISMATCH = Finding(
    id="body-mismatch",
    level=Level.ERROR,
    operation="GET /books/{id}",
    message="JSON bodies differ at 2 paths",
    count=3,
    details={
        "request": {"method": "GET", "path": "/books/1", "query": {"q": "a&b"}, "headers": {}},
        "baseline": {
            "status": 200,
            "headers": {"content-type": "application/json"},
            "body": {"id": 1, "title": SCRIPT_BODY, "tags": ["a", "b"]},
        },
        "candidate": {
            "status": 200,
            "headers": {"content-type": "application/json"},
            "body": {"id": "1", "title": SCRIPT_BODY, "tags": ["a", "c"]},
        },
        "paths": ["$.id", "$.tags[1]"],
        "curl": {
            "baseline": "curl -X GET 'http://baseline/books/1?q=a%26b'",
            "candidate": "curl -X GET 'http://candidate/books/1?q=a%26b'",
        },
        "pytest": "def test_repro(client):\n    assert client.get('/books/1').json()['id'] == 1\n",
    },
)

STATUS_MISMATCH = Finding(
    id="status-mismatch",
    level=Level.WARNING,
    operation="POST /books",
    message="baseline 400, candidate 422",
    details={
        "request": {"method": "POST", "path": "/books", "body": {"title": 5}},
        "baseline": {
            "status": 400,
            "headers": {"content-type": "text/html"},
            "body": "<h1>Bad Request</h1>\x00```",
        },
        "candidate": {"status": 422, "headers": {}, "body": {"detail": [{"msg": "| pipe"}]}},
        "paths": [],
        "curl": {"baseline": "curl -X POST http://baseline/books", "candidate": "curl -X POST x"},
    },
)

DIFF_LIKE = Finding(
    id="response-property-removed",
    level=Level.INFO,
    operation="GET /authors",
    message="property `name` removed <b>from</b> response",
    details={
        "location": "responses.200.content.application/json.name",
        "base": "string",
        "revision": None,
    },
)

PARITY = Report(
    command="parity",
    findings=(BODY_MISMATCH, DIFF_LIKE, STATUS_MISMATCH),
    meta={
        "baseline": "examples.legacy_flask:app",
        "candidate": "examples.fastapi_port:app",
        "summary": {"operations": 4, "cases": 400, "findings": 0, "seed": 42, "duration_s": 1.5},
    },
    noise=({"operation": "GET /books/{id}", "paths": ["$.fetched_at"]},),
    skipped=({"operation": "PUT /upload", "reason": "multipart body cannot be generated"},),
)

DIFF = Report.of(
    "diff",
    [
        Finding(
            id="request-parameter-type-changed",
            level=Level.ERROR,
            operation="GET /books/{id}",
            message="path parameter id changed type integer -> string",
            details={"location": "parameters.path.id", "base": "integer", "revision": "string"},
        ),
        DIFF_LIKE,
    ],
    base="legacy.json",
    revision="port.json",
)
