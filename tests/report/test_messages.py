"""Requests and answers as HTTP-style text for the Markdown and HTML reports."""

from __future__ import annotations

from contract_tools.models import Request, Response
from contract_tools.report.messages import PRETTY_LIMIT, request_text, response_text


def test_request_with_a_json_body() -> None:
    request = Request.build(
        "POST",
        "/books",
        query=[("q", "a b"), ("q", "&")],
        headers=[("Host", "localhost"), ("Content-Type", "application/json")],
        body=b'{"title":"x"}',
    )
    assert request_text(request) == (
        "POST /books?q=a%20b&q=%26\n"
        "Host: localhost\n"
        "Content-Type: application/json\n"
        "\n"
        '{\n  "title": "x"\n}'
    )


def test_request_without_headers_or_body() -> None:
    assert request_text(Request.build("GET", "//x")) == "GET //x"


def test_response_keeps_header_order_and_repeats() -> None:
    response = Response(405, (("allow", "GET"), ("allow", "HEAD")), b"Method Not Allowed")
    assert response_text(response) == "allow: GET\nallow: HEAD\n\nMethod Not Allowed"


def test_response_without_headers() -> None:
    assert response_text(Response(200, (), b"[1]")) == "[\n  1\n]"
    assert response_text(Response(204)) == ""


def test_a_huge_json_body_is_cut_text() -> None:
    body = b"[" + b"1," * PRETTY_LIMIT + b"1]"
    text = response_text(Response(200, (), body))
    assert text.startswith("[1,1,1,")
    assert text.endswith(f"... ({len(body) - 2000} more)")
