from __future__ import annotations

from contract_tools.models import Request, Response, body_text


def test_request_target_keeps_double_slash_and_encodes_query() -> None:
    request = Request.build("get", "//items", query=[("q", "a b"), ("q", "é")])
    assert request.method == "GET"
    assert request.target == "//items?q=a%20b&q=%C3%A9"


def test_with_headers_replaces_case_insensitively() -> None:
    request = Request.build("GET", "/", headers=[("Host", "x"), ("authorization", "old")])
    updated = request.with_headers([("Authorization", "Bearer t")])
    assert updated.headers == (("Host", "x"), ("Authorization", "Bearer t"))
    assert updated.header("AUTHORIZATION") == "Bearer t"


def test_response_json_media_type_and_cache() -> None:
    response = Response(
        200, (("Content-Type", "application/problem+json; charset=utf-8"),), b'{"a": 1}'
    )
    assert response.media_type == "application/problem+json"
    assert response.is_json
    assert response.json() == (True, {"a": 1})
    assert Response(200, body=b"nope").json() == (False, None)


def test_body_text_for_reports() -> None:
    assert body_text(b"\xff") == "b'\\xff'"
    assert body_text(b"x" * 2005) == "x" * 2000 + "... (5 more)"
