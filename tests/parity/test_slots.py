"""Where harvested values go: one value of a request, one time in ODDS, of the same kind, and
never a path value its schema refuses."""

from __future__ import annotations

import json
from collections.abc import Callable

from contract_tools._parity.harvest import ODDS, STRING_MUTATIONS, Values
from contract_tools._parity.slots import Slots, mix
from contract_tools.models import Request

VALUES = Values(("Renew passport",), (4,), (4.0,))
MIX = ODDS - 1  # the choice that mixes a value in
UPPER = STRING_MUTATIONS.index(str.upper)


def script(*choices: int) -> Callable[[int], int]:
    answers = iter(choices)

    def choose(n: int) -> int:
        value = next(answers)
        assert 0 <= value < n
        return value

    return choose


def test_most_requests_stay_as_generated() -> None:
    request = Request.build("GET", "/tasks", query=[("q", "abc")])
    assert mix(request, Slots("/tasks"), VALUES, script(0)) is request
    assert mix(request, Slots("/tasks"), Values(), script()) is request


def test_a_query_value_takes_a_mutated_string() -> None:
    request = Request.build("GET", "/tasks", query=[("limit", "3"), ("q", "abc")])
    mixed = mix(request, Slots("/tasks"), VALUES, script(MIX, 1, 0, UPPER))
    assert mixed.query == (("limit", "3"), ("q", "RENEW PASSPORT"))
    # An integer-shaped value takes an integer.
    mixed = mix(request, Slots("/tasks"), VALUES, script(MIX, 0, 0, 0))
    assert mixed.query == (("limit", "4"), ("q", "abc"))


def test_path_values_are_encoded_and_must_satisfy_the_path_contract() -> None:
    request = Request.build("GET", "/tasks/1/notes/x")
    slots = Slots("/tasks/{id}/notes/{name}")
    mixed = mix(request, slots, VALUES, script(MIX, 1, 0, 0))
    assert mixed.path == "/tasks/1/notes/Renew%20passport"
    strict = Slots("/tasks/{id}/notes/{name}", path_ok=lambda path: "%20" not in path)
    assert mix(request, strict, VALUES, script(MIX, 1, 0, 0)) is request


def test_only_declared_headers_and_cookies_and_never_closed_sets() -> None:
    request = Request.build(
        "GET",
        "/x",
        query=[("sort", "asc")],
        headers=[("Host", "localhost"), ("X-Tag", "a"), ("Cookie", "sid=1; theme=dark")],
    )
    slots = Slots(
        "/x",
        headers=frozenset({"x-tag"}),
        cookies=frozenset({"theme"}),
        fixed=frozenset({("query", "sort")}),
    )
    # The places: X-Tag, then the theme cookie (sort is an enum, Host is not declared).
    tagged = mix(request, slots, VALUES, script(MIX, 0, 0, 0))
    assert tagged.headers[1] == ("X-Tag", "Renew passport")
    themed = mix(request, slots, VALUES, script(MIX, 1, 0, 0))
    assert themed.headers[2] == ("Cookie", "sid=1; theme=Renew passport")


def test_a_json_body_field_and_its_content_length() -> None:
    body = json.dumps({"title": "x", "tags": ["a"], "done": False}).encode()
    request = Request.build(
        "POST",
        "/tasks",
        headers=[("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
        body=body,
    )
    mixed = mix(request, Slots("/tasks"), VALUES, script(MIX, 1, 0, UPPER))
    assert json.loads(mixed.body) == {"title": "x", "tags": ["RENEW PASSPORT"], "done": False}
    assert mixed.header("content-length") == str(len(mixed.body))


def test_a_form_body_field() -> None:
    request = Request.build(
        "POST",
        "/tasks",
        headers=[("Content-Type", "application/x-www-form-urlencoded"), ("Content-Length", "7")],
        body=b"title=x",
    )
    mixed = mix(request, Slots("/tasks"), VALUES, script(MIX, 0, 0, 0))
    assert mixed.body == b"title=Renew+passport"
    assert mixed.header("content-length") == "20"
