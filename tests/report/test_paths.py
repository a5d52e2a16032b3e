"""Reading values back at a finding's differing places, from typed answers."""

from __future__ import annotations

import json

import pytest

from contract_tools.models import EVERY, Exchange, Request, Response, ResponsePath
from contract_tools.report.paths import ABSENT, differences, show, show_header, value_at

RESPONSE = Response(
    200,
    (("Content-Type", "application/json"), ("ETag", "x1"), ("Allow", "GET"), ("allow", "HEAD")),
    json.dumps(
        {"author": "Le Guin", "items": [{"id": 1}, {"id": 2}, {"name": "no id"}], "a.b": {"c": 3}}
    ).encode(),
)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (ResponsePath.status(), 200),
        (ResponsePath.header("etag"), "x1"),
        (ResponsePath.header("Content-Type"), "application/json"),
        (ResponsePath.header("allow"), "GET, HEAD"),
        (ResponsePath.header("missing"), ABSENT),
        (ResponsePath.body(("author",)), "Le Guin"),
        (ResponsePath.body(("items", EVERY, "id")), [1, 2]),
        (ResponsePath.body(("items", 1, "id")), 2),
        (ResponsePath.body(("items", 7)), ABSENT),
        (ResponsePath.body(("items", EVERY)), [{"id": 1}, {"id": 2}, {"name": "no id"}]),
        (ResponsePath.body(("items", EVERY, "missing")), ABSENT),
        (ResponsePath.body(("a.b", "c")), 3),
        (ResponsePath.body(("nothing",)), ABSENT),
        (ResponsePath.body(("author", EVERY)), ABSENT),
        (ResponsePath.body(("author", 0)), ABSENT),
    ],
    ids=str,
)
def test_value_at(path: ResponsePath, expected: object) -> None:
    value = value_at(RESPONSE, path)
    assert value is expected if expected is ABSENT else value == expected


def test_whole_body_and_null() -> None:
    assert value_at(Response(200, (), b'{"a": null}'), ResponsePath.body()) == {"a": None}
    assert value_at(Response(200, (), b'{"a": null}'), ResponsePath.body(("a",))) is None


def test_non_json_body_has_no_json_values() -> None:
    assert value_at(Response(500, (), b"<html>"), ResponsePath.body(("a",))) is ABSENT
    assert value_at(Response(500, (), b"<html>"), ResponsePath.body()) is ABSENT


def test_show() -> None:
    assert show(ABSENT) == "(absent)"
    assert show("28.48") == '"28.48"'
    assert show(28.48) == "28.48"
    assert show(None) == "null"
    assert show("x" * 100, limit=10) == '"xxxxxx...'


def test_show_header() -> None:
    assert show_header(ABSENT) == "(absent)"
    assert show_header('W/"a1"') == 'W/"a1"'
    assert show_header("") == "(empty)"
    assert show_header("x" * 100, limit=10) == "xxxxxxx..."


def test_differences() -> None:
    exchange = Exchange(
        Request.build("GET", "/x"),
        Response(200, (("ETag", '"a1"'),), b'{"total": "28.48", "items": [1, 2], "gone": 1}'),
        Response(200, (), b'{"total": 28.48, "items": [1, 3]}'),
    )
    paths = [
        ResponsePath.status(),
        ResponsePath.header("etag"),
        ResponsePath.body(("total",)),
        ResponsePath.body(("items", EVERY)),
        ResponsePath.body(("gone",)),
        ResponsePath.body(("neither",)),
    ]
    assert [(str(p), a, b) for p, a, b in differences(exchange, paths)] == [
        ("header:etag", '"a1"', "(absent)"),
        ("$.total", '"28.48"', "28.48"),
        ("$.items[*]", "item 1: 2", "item 1: 3"),
        ("$.gone", "1", "(absent)"),
    ]


def test_lists_of_other_lengths() -> None:
    exchange = Exchange(
        Request.build("GET", "/x"),
        Response(200, (), b'{"items": [1, 2]}'),
        Response(200, (), b'{"items": [1]}'),
    )
    rows = differences(exchange, [ResponsePath.body(("items",))])
    assert [(a, b) for _, a, b in rows] == [("2 items", "1 items")]
