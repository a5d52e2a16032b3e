"""Reading values back at a finding's differing paths."""

from __future__ import annotations

import json

import pytest

from contract_tools.report.paths import ABSENT, show, value_at

RESPONSE = {
    "status": 200,
    "headers": {"Content-Type": "application/json", "ETag": "x1"},
    "body": json.dumps(
        {"author": "Le Guin", "items": [{"id": 1}, {"id": 2}, {"name": "no id"}], "a.b": {"c": 3}}
    ),
}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("status", 200),
        ("header:etag", "x1"),
        ("header:content-type", "application/json"),
        ("header:missing", ABSENT),
        ("$.author", "Le Guin"),
        ("$.items[*].id", [1, 2]),
        ("$.items[1].id", 2),
        ("$.items[7]", ABSENT),
        ("$.items[*]", [{"id": 1}, {"id": 2}, {"name": "no id"}]),
        ("$['a.b'].c", 3),
        ('$["a.b"].c', 3),
        ("$.nothing", ABSENT),
        ("$.author[*]", ABSENT),
        ("$..broken", ABSENT),
        ("elsewhere", ABSENT),
    ],
)
def test_value_at(path: str, expected: object) -> None:
    assert value_at(RESPONSE, path) == expected or value_at(RESPONSE, path) is expected


def test_non_json_body_has_no_json_values() -> None:
    assert value_at({"status": 500, "body": "<html>"}, "$.a") is ABSENT


def test_show() -> None:
    assert show(ABSENT) == "(absent)"
    assert show("28.48") == '"28.48"'
    assert show(28.48) == "28.48"
    assert show("x" * 100, limit=10) == '"xxxxxx...'
