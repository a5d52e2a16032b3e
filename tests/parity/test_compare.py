from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from contract_tools._parity.compare import (
    Difference,
    compare,
    json_differences,
    json_path,
    path_matcher,
    strict_equal,
)
from contract_tools._parity.normalize import Normalizer
from contract_tools.models import Level, Response, ResponsePath

JSON_HEADERS = (("Content-Type", "application/json"),)
P = ResponsePath.parse


def texts(paths: Any) -> Any:
    return tuple(str(p) for p in paths)


def _json(status: int, value: Any) -> Response:
    return Response(status, JSON_HEADERS, json.dumps(value).encode())


def test_status_difference_is_the_only_difference() -> None:
    assert compare(_json(200, {"a": 1}), _json(201, {"a": 2})) == [
        Difference(
            "status",
            Level.ERROR,
            (P("status"),),
            "status 200 (baseline) vs 201 (candidate)",
            "status 200 -> 201",
        )
    ]


def test_body_paths_are_generalised() -> None:
    diffs = compare(
        _json(200, {"items": [{"id": 1}, {"id": 2}]}), _json(200, {"items": [{"id": 1}, {"id": 3}]})
    )
    assert diffs == [
        Difference("body", Level.ERROR, (P("$.items[*].id"),), "body differs at $.items[*].id")
    ]


def test_int_vs_float_is_a_warning_and_bool_vs_int_an_error() -> None:
    assert json_differences({"a": 1, "b": True}, {"a": 1.0, "b": 1}) == ([P("$.b")], [P("$.a")])
    [diff] = compare(_json(200, [1]), _json(200, [1.0]))
    assert (diff.kind, diff.level, texts(diff.paths)) == ("body", Level.WARNING, ("$[*]",))


def test_added_and_removed_keys_are_named() -> None:
    assert json_differences({"a": 1}, {"b": 1}) == ([P("$.a"), P("$.b")], [])
    assert str(json_path(["odd key", 0, "x"])) == "$['odd key'][*].x"
    assert json_path(["odd key", 0, "x"]) == P("$['odd key'][*].x")


def test_headers_contract_ones_are_errors() -> None:
    a = Response(200, (*JSON_HEADERS, ("X-Total", "2")), b"{}")
    b = Response(200, (("content-type", "text/plain"),), b"{}")
    diffs = compare(a, b)
    assert [(d.kind, d.level, texts(d.paths)) for d in diffs] == [
        ("header", Level.ERROR, ("header:content-type",)),
        ("header", Level.WARNING, ("header:x-total",)),
        ("body", Level.ERROR, ("$",)),
    ]


def test_crash_on_one_side_only() -> None:
    crashed = Response(500, body=b"Internal Server Error", crash="Traceback ...")
    [diff] = compare(_json(200, {}), crashed)
    assert (diff.kind, diff.message) == (
        "crash",
        "only the candidate crashed: it raised an exception",
    )
    assert compare(crashed, crashed) == []


def test_ignored_paths_drop_differences() -> None:
    ignored = path_matcher(["created_at", "$.items[0].id"])
    a = _json(200, {"created_at": "1", "items": [{"id": 1, "n": 1}]})
    b = _json(200, {"created_at": "2", "items": [{"id": 2, "n": 1}]})
    assert compare(a, b, ignored=ignored) == []


def test_path_matcher_prefix_and_wildcards() -> None:
    match = path_matcher(["$.meta", "$.*.ts", "header:X-Id"])
    assert [match(P(p)) for p in ("$.meta.a", "$.metadata", "$.a.ts", "header:x-id")] == [
        True,
        False,
        True,
        True,
    ]


def test_strict_mode_compares_bytes() -> None:
    a = Response(200, JSON_HEADERS, b'{"a": 1}\n')
    b = Response(200, JSON_HEADERS, b'{"a":1}')
    assert compare(a, b) == []
    assert [texts(d.paths) for d in compare(a, b, Normalizer.preset(strict=True))] == [("$",)]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=10,
)
responses = st.builds(
    Response,
    status=st.sampled_from([200, 201, 307, 308, 404, 405, 422, 500]),
    headers=st.lists(
        st.tuples(
            st.sampled_from(["Content-Type", "Allow", "Location", "X-A"]),
            st.text("abc/;= ", max_size=8),
        ),
        max_size=3,
    ).map(tuple),
    body=st.one_of(st.binary(max_size=20), json_values.map(lambda v: json.dumps(v).encode())),
)


@settings(max_examples=200, deadline=None)
@given(responses, st.booleans())
def test_a_response_never_differs_from_itself(response: Response, strict: bool) -> None:
    assert compare(response, response, Normalizer.preset(strict=strict)) == []


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_strict_equal_is_reflexive_and_json_differences_empty(value: Any) -> None:
    assert strict_equal(value, value)
    assert json_differences(value, json.loads(json.dumps(value))) == ([], [])


def test_two_silences_are_never_equal() -> None:
    silent = Response(0, no_answer="no answer within 30s")
    [both] = compare(silent, silent)
    assert (both.kind, both.level, both.message) == (
        "no-answer",
        Level.ERROR,
        "neither side answered (baseline: no answer within 30s; candidate: no answer within "
        "30s): nothing was compared",
    )
    [port] = compare(_json(200, {}), silent)
    assert (port.level, port.message) == (
        Level.ERROR,
        "only the candidate gave no answer: no answer within 30s",
    )
    [legacy] = compare(silent, _json(200, {}))
    assert legacy.level is Level.WARNING


def test_a_number_that_became_a_boolean_inside_a_list_is_seen_beside_other_changes() -> None:
    # DeepDiff matches list items by hash, and hash(0) == hash(False): it alone missed this.
    errors, warnings = json_differences({"a": 1, "xs": [0]}, {"a": 2, "xs": [False]})
    assert (errors, warnings) == ([P("$.a"), P("$.xs[*]")], [])


def test_keys_starting_with_two_underscores_are_compared() -> None:
    """DeepDiff skips them by default (private attributes); in JSON they are data."""
    assert json_differences({"c": {"a": 1}}, {"c": {"a": 1, "__utma": "x"}}) == (
        [ResponsePath.parse("$.c.__utma")],
        [],
    )
