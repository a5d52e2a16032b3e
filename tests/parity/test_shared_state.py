"""shared_state: what one shared state already differs in before any sequence runs."""

from __future__ import annotations

import json

from contract_tools._parity.normalize import Normalizer
from contract_tools._parity.shared_state import diverged, list_length, standing_differences
from contract_tools.models import Response


def _json(document: object, status: int = 200) -> Response:
    return Response(status, (("Content-Type", "application/json"),), json.dumps(document).encode())


BASE = [{"id": "a1", "title": "t", "created_at": "10:00:01"}, {"id": "a2", "title": "u"}]
CAND = [{"id": "b1", "title": "t", "created_at": "10:00:02"}, {"id": "b2", "title": "u"}]


def _standing(base: Response, cand: Response) -> list[str]:
    return sorted(map(str, standing_differences(base, cand, Normalizer.preset())))


def test_two_lists_of_one_length_differ_at_their_items_fields() -> None:
    assert _standing(_json(BASE), _json(CAND)) == ["$[*].created_at", "$[*].id"]
    wrapped = _standing(_json({"items": BASE}), _json({"items": CAND}))
    assert wrapped == ["$.items[*].created_at", "$.items[*].id"]


def test_anything_else_is_not_a_standing_difference() -> None:
    assert _standing(_json(BASE), _json(BASE)) == []  # the same list
    assert _standing(_json(BASE), _json(CAND[:1])) == []  # another length: diverged says so
    assert _standing(_json(BASE), _json(CAND, status=500)) == []
    assert _standing(_json({"id": "a1"}), _json({"id": "b1"})) == []  # not a list
    assert _standing(_json({"a": BASE, "b": BASE}), _json({"a": CAND, "b": CAND})) == []


def test_list_length_reads_a_body_or_its_one_list() -> None:
    assert [list_length(_json(v)) for v in (BASE, {"items": BASE}, {"a": [], "b": []}, 3)] == [
        2,
        2,
        None,
        None,
    ]
    assert list_length(Response(200, (), b"not json")) is None


def test_a_list_of_another_length_is_a_diverged_state() -> None:
    assert diverged("GET /notes", _json(BASE), _json(CAND[:1])) == (
        "GET /notes: at the first step of a sequence the baseline listed 2 item(s), the "
        "candidate 1: the two sides' shared state has diverged, so later steps may differ for "
        "that reason (use factory references or reset both)"
    )
    assert diverged("GET /notes", _json(BASE), _json(CAND)) is None
