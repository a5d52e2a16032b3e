"""Evidence types: raw requests and responses, response paths, exact JSON round trips."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contract_tools.evidence import Exchange, Request, Response, body_text
from contract_tools.response_path import EVERY, ResponsePath


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
    # A binary body reads as its size and hash: a person compares those, not escaped bytes.
    assert body_text(b"\xff") == "(binary: 1 bytes, sha256 a8100ae6aa19)"
    assert body_text(b"x" * 2005) == "x" * 2000 + "... (5 more)"


# --- response paths ------------------------------------------------------------------------------

keys = st.lists(
    st.one_of(st.text(max_size=6), st.integers(min_value=0, max_value=99), st.just(EVERY)),
    max_size=5,
)


@given(keys)
def test_a_body_path_renders_and_parses_back_to_itself(path_keys: list[Any]) -> None:
    path = ResponsePath.body(path_keys)
    assert ResponsePath.parse(str(path)) == path


def test_paths_render_as_readers_know_them() -> None:
    assert str(ResponsePath.status()) == "status"
    assert str(ResponsePath.header("ETag")) == "header:etag"
    assert str(ResponsePath.body(["items", 3, "id"])) == "$.items[3].id"
    assert str(ResponsePath.body(["items", 3, "id"]).generalised()) == "$.items[*].id"
    assert str(ResponsePath.body(["odd key", EVERY])) == "$['odd key'][*]"
    assert str(ResponsePath.body()) == "$"
    with pytest.raises(ValueError, match="not a response path 'total'"):
        ResponsePath.parse("total")
    with pytest.raises(ValueError, match=r"not a JSON path '\$\.a\[x\]'"):
        ResponsePath.parse("$.a[x]")


# --- exchanges -----------------------------------------------------------------------------------

headers = st.lists(
    st.tuples(st.sampled_from(["Host", "X-A", "Content-Type"]), st.text(max_size=5)), max_size=3
)
requests = st.builds(
    Request.build,
    method=st.sampled_from(["GET", "POST"]),
    path=st.sampled_from(["/", "//a", "/b/%2F"]),
    query=st.lists(st.tuples(st.text(max_size=3), st.text(max_size=3)), max_size=2),
    headers=headers,
    body=st.binary(max_size=3000),
)
responses = st.builds(
    Response,
    status=st.integers(100, 599),
    headers=headers.map(tuple),
    body=st.binary(max_size=3000),
    crash=st.none() | st.text(min_size=1, max_size=10),
)


@given(requests, responses, responses)
def test_an_exchange_reads_back_exactly_from_its_json(
    request: Request, baseline: Response, candidate: Response
) -> None:
    exchange = Exchange(request, baseline, candidate)
    assert Exchange.from_dict(json.loads(json.dumps(exchange.to_dict()))) == exchange


def test_headers_are_written_as_pairs_so_repeated_ones_survive() -> None:
    response = Response(200, (("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")))
    assert response.to_dict()["headers"] == [["Set-Cookie", "a=1"], ["Set-Cookie", "b=2"]]
    assert Response.from_dict(response.to_dict()).header_values("set-cookie") == ["a=1", "b=2"]
