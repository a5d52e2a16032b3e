"""The plain-text report: golden files, and the evidence lines each kind of finding gets."""

from __future__ import annotations

import pytest

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
from contract_tools.report.text import detail_lines, response_summary
from tests.report.fixtures import DEFAULT_CHANGED, DIFF, HEADER_MISMATCH, PARITY
from tests.report.goldens import assert_golden


@pytest.mark.parametrize(("name", "report"), [("parity", PARITY), ("diff", DIFF)])
def test_golden(name: str, report: Report) -> None:
    assert_golden(f"{name}.txt", render(report, "text"))


def test_header_mismatch_shows_both_values_and_content_types() -> None:
    text = render(Report.of("parity", [HEADER_MISMATCH]), "text")
    lines = text.splitlines()
    body = '{"id": 1, "name": "Ursula K. Le Guin"}'
    assert '        header:etag: "a1" -> W/"a1"' in lines
    assert f"      baseline: status 200, application/json, body {body}" in lines
    assert f"      candidate: status 200, application/json, body {body}" in lines


def test_a_diff_findings_subject_is_said_once() -> None:
    text = render(Report.of("diff", [DEFAULT_CHANGED]), "text")
    block = text.split("GET /books/\n", 1)[1].split("\n\n", 1)[0]
    assert block.splitlines() == [
        "       warning request-parameter-default-changed: query parameter 'limit': "
        "default 10 -> 20",
        "      paths: in=query name=limit location=$",
        "      base: 10",
        "      revision: 20",
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
        'request: {"method": "GET", "path": "/x", "query": [], "headers": [], "body": ""}',
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
        (Response(200, (), b"\xff\xfe"), "status 200, body b'\\xff\\xfe'"),
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
    assert "\x1b" not in text


def test_gate_lines() -> None:
    assert render(PARITY, "text", fail_on=None).endswith("gate: off (fail-on never)\n")
    assert render(DIFF, "text", fail_on=Level.ERROR).endswith(
        "gate: FAILED (1 findings at or above error)\n"
    )
    assert render(Report.of("diff", []), "text").endswith(
        "gate: passed (no finding at or above error)\n"
    )
