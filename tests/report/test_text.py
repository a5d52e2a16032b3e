"""The plain-text report: golden files, and the evidence lines each kind of finding gets."""

from __future__ import annotations

from dataclasses import replace

import pytest

from contract_tools.causes import with_causes
from contract_tools.models import (
    Exchange,
    Finding,
    Level,
    Report,
    Reproduction,
    Request,
    Response,
    ResponsePath,
)
from contract_tools.report import render
from contract_tools.report.text import SHOWN_PER_CAUSE, detail_lines, response_summary
from tests.report.fixtures import DEFAULT_CHANGED, DIFF, HEADER_MISMATCH, PARITY
from tests.report.goldens import assert_golden


@pytest.mark.parametrize(("name", "report"), [("parity", PARITY), ("diff", DIFF)])
def test_golden(name: str, report: Report) -> None:
    assert_golden(f"{name}.txt", render(report, "text"))


def test_header_mismatch_shows_both_values_and_content_types() -> None:
    text = render(Report.of("parity", [HEADER_MISMATCH]), "text")
    lines = text.splitlines()
    body = '{"id": 1, "name": "Ursula K. Le Guin"}'
    assert '        GET /authors/1 -> header:etag: "a1" vs W/"a1"' in lines
    assert '          header:etag: "a1" -> W/"a1"' in lines
    assert f"        baseline: status 200, application/json, body {body}" in lines
    assert f"        candidate: status 200, application/json, body {body}" in lines


def test_a_diff_findings_subject_is_said_once() -> None:
    for verbose in (True, False):  # short values: the terminal shows them too
        text = render(Report.of("diff", [DEFAULT_CHANGED]), "text", verbose=verbose)
        block = text.split("findings (1):\n", 1)[1].split("\n\n", 1)[0]
        assert block.splitlines() == [
            "    1      warning GET /books/ request-parameter-default-changed: query parameter "
            "'limit': default 10 -> 20",
            "        paths: in=query name=limit location=$",
            "        base: 10",
            "        revision: 20",
        ]


def _finding(exchange: Exchange, reproduction: Reproduction | None = None) -> Finding:
    return Finding(
        id="status-mismatch",
        level=Level.ERROR,
        operation="GET /x",
        message="status 200 (baseline) vs 404 (candidate)",
        paths=(ResponsePath.status(),),
        exchange=exchange,
        reproduction=reproduction,
    )


def test_live_servers_get_one_curl_per_side() -> None:
    exchange = Exchange(Request.build("GET", "/x"), Response(200), Response(404))
    reproduction = Reproduction(
        curl=(
            ("baseline", "curl http://127.0.0.1:5000/x"),
            ("candidate", "curl http://127.0.0.1:8000/x"),
        )
    )
    assert detail_lines(_finding(exchange, reproduction)) == [
        "paths: status",
        "request: GET /x",
        "curl (baseline): curl http://127.0.0.1:5000/x",
        "curl (candidate): curl http://127.0.0.1:8000/x",
        "baseline: status 200, empty body",
        "candidate: status 404, empty body",
    ]


def test_crash_shows_the_traceback() -> None:
    crashed = Response(500, body=b"boom", crash="Traceback:\n  line 1\nValueError: x\n")
    exchange = Exchange(Request.build("GET", "/x"), Response(200), crashed)
    assert detail_lines(_finding(exchange))[-5:] == [
        "candidate: status 500, body boom",
        "candidate crash:",
        "  Traceback:",
        "    line 1",
        "  ValueError: x",
    ]


@pytest.mark.parametrize(
    ("response", "summary"),
    [
        (
            Response(200, (("Content-Type", "text/html"),), b"<p>\r\n  hi</p>\n"),
            "status 200, text/html, body <p>\\r\\n  hi</p>\\n",
        ),
        (Response(200, (), b'{"a":[1,2]}'), 'status 200, body {"a": [1, 2]}'),
        (Response(204, (("content-type", "text/plain"),)), "status 204, text/plain, empty body"),
        (
            Response(200, (), b"\xff\xfe"),
            "status 200, body (binary: 2 bytes, sha256 b3d510ef0427)",
        ),
    ],
)
def test_response_summary_is_one_line(response: Response, summary: str) -> None:
    assert response_summary(response) == summary


def test_control_characters_are_replaced() -> None:
    exchange = Exchange(
        Request.build("GET", "/x"), Response(200, body=b"a\x1b[31mb"), Response(404)
    )
    text = render(Report.of("parity", [_finding(exchange)]), "text")
    assert "baseline: status 200, body a\ufffd[31mb\n" in text
    assert "\x1b" not in render(Report.of("parity", [_finding(exchange)]), "text", verbose=False)
    assert "\x1b" not in text


def test_gate_lines() -> None:
    assert render(PARITY, "text", fail_on=None).endswith("gate: off (fail-on never)\n")
    assert render(DIFF, "text", fail_on=Level.ERROR).endswith(
        "gate: FAILED (1 findings at or above error)\n"
    )
    assert render(Report.of("diff", []), "text").endswith(
        "gate: passed (no finding at or above error)\n"
    )


def test_the_terminal_gets_causes_then_one_or_two_lines_per_finding() -> None:
    assert render(PARITY, "text", verbose=False).splitlines()[:14] == [
        "contract-tools parity: examples.legacy_flask:create_app() -> "
        "examples.fastapi_port:create_app()",
        "",
        "causes (4):",
        "  C1   error   Body differs at $.id, $.tags[*] (1 operation: #1)",
        "  C2   error   The candidate crashes: decimal.InvalidOperation: "
        "[<class 'decimal.ConversionSyntax'>] (1 operation: #2)",
        "  C3   warning Header Etag: '\"…\"' (baseline) vs 'W/\"…\"' (candidate) (1 operation: #3)",
        "  C4   warning Status 400 -> 422 on input outside the legacy contract, an HTML page "
        '(baseline) vs {"detail": [...]} (candidate) (1 operation: #4)',
        "",
        "findings (4):",
        "    1 FAIL error   GET /books/{id} body-mismatch: $.id, $.tags[*] (3 cases) [C1]",
        '        GET /books/1?q=a%26b -> $.id: 1 vs "1"; $.tags[*]: item 1: "b" vs item 1: "c"',
        "    2 FAIL error   GET /orders/{order_id} crash: crash on candidate (2 cases) [C2]",
        "        GET /orders/0b6f1c1e-8a4f-4a8e-9d7b-2f0c5e6a1b01 -> decimal.InvalidOperation: "
        "[<class 'decimal.ConversionSyntax'>]",
        "    3      warning GET /authors/{author_id} header-mismatch: header:etag [C3]",
    ]


def test_a_large_cause_shows_its_first_findings_and_says_how_many_more() -> None:
    findings = [
        replace(HEADER_MISMATCH, operation=f"GET /op{n}", message=f"m{n}") for n in range(7)
    ]
    text = render(with_causes(Report.of("parity", findings)), "text", verbose=False)
    numbered = [line for line in text.splitlines() if line.startswith("    ") and "[C1]" in line]
    assert len(numbered) == SHOWN_PER_CAUSE
    assert "  ... 4 more of C1 (#4-#7; -v or the reports show them)" in text.splitlines()
    verbose = render(with_causes(Report.of("parity", findings)), "text")
    assert sum("[C1]" in line for line in verbose.splitlines()) == 7


def test_accepted_drift_is_listed_apart() -> None:
    meta = {
        "accepted_drift": {
            "file": "accepted.yaml",
            "accepted": [
                {
                    "operation": "POST /o",
                    "id": "status-mismatch",
                    "paths": ["status 400 -> 422"],
                    "reason": "422 is FastAPI's",
                }
            ],
            "expired": [],
            "stale": [],
            "outdated": [
                {"operation": "GET /a", "id": "crash", "paths": ["status"], "reason": "r"}
            ],
        }
    }
    text = render(Report("parity", meta=meta), "text", verbose=False)
    assert text.splitlines()[2:5] == [
        "accepted drift (accepted.yaml): 1 accepted, 0 expired, 1 stale",
        "  accepted: POST /o status-mismatch [status 400 -> 422]: 422 is FastAPI's",
        "  stale (written by an older version; re-accept with --update-accepted): GET /a crash "
        "[status]: r",
    ]
