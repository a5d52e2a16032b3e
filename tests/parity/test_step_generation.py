"""step_generation: valid requests for a sequence step, from the side that says most about the
body, and Schemathesis's link inference read as rows."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from contract_tools._parity.generate import BASELINE, CANDIDATE, merge_operations
from contract_tools._parity.step_generation import (
    _operation_ref,
    inferred_links,
    step_example,
    step_strategy,
)
from contract_tools.models import Request

NOTE_SCHEMA = {
    "type": "object",
    "properties": {"title": {"type": "string", "minLength": 1}, "body": {"type": "string"}},
    "required": ["title"],
}


def _create(body_schema: dict[str, Any] | None, example: dict[str, Any] | None = None) -> Any:
    operation: dict[str, Any] = {"responses": {"201": {"description": "made"}}}
    if body_schema is not None:
        media: dict[str, Any] = {"schema": body_schema}
        if example is not None:
            media["example"] = example
        operation["requestBody"] = {"required": True, "content": {"application/json": media}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/notes": {"post": operation}},
    }


def _merged(baseline: dict[str, Any], candidate: dict[str, Any]) -> Any:
    (op,) = merge_operations({BASELINE: baseline, CANDIDATE: candidate})
    return op


def test_a_draft_that_cannot_see_the_body_does_not_lead_the_create_step() -> None:
    # The legacy draft says "a JSON body of unknown shape"; the port's model says what it is.
    op = _merged(_create({}), _create(NOTE_SCHEMA, example={"title": "Groceries"}))
    request = step_example(op)
    assert request is not None
    assert (request.method, request.path, json.loads(request.body)) == (
        "POST",
        "/notes",
        {"title": "Groceries"},
    )


@settings(max_examples=25, database=None, deadline=None)
@given(data=st.data())
def test_drawn_steps_are_valid_for_the_side_that_declares_the_body(data: Any) -> None:
    op = _merged(_create({}), _create(NOTE_SCHEMA))
    request: Request = data.draw(step_strategy(op))
    body = json.loads(request.body)
    assert isinstance(body, dict) and isinstance(body["title"], str) and body["title"] != ""


def test_fewest_picks_the_smallest_valid_body() -> None:
    op = _merged(_create(NOTE_SCHEMA), _create(NOTE_SCHEMA))
    request = step_example(op, fewest=True)
    assert request is not None
    assert set(json.loads(request.body)) == {"title"}


def test_no_body_declared_anywhere_still_gives_a_request() -> None:
    op = _merged(_create(None), _create(None))
    request = step_example(op)
    assert request is not None and (request.method, request.body) == ("POST", b"")


def test_schemathesis_links_a_create_to_the_read_of_what_it_made() -> None:
    spec = _create(NOTE_SCHEMA)
    spec["paths"]["/notes"]["post"]["responses"]["201"]["content"] = {
        "application/json": {"schema": {"type": "object", "properties": {"id": {"type": "string"}}}}
    }
    spec["paths"]["/notes/{id}"] = {
        "get": {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {}}],
            "responses": {"200": {"description": "ok"}},
        }
    }
    assert ("POST", "/notes", "GET", "/notes/{id}", "id", "$response.body#/id") in inferred_links(
        spec
    )


def test_a_document_it_cannot_analyse_infers_nothing() -> None:
    assert inferred_links({"openapi": "3.1.0", "paths": {"/x": "not an object"}}) == []


def test_operation_refs_unescape_their_pointer() -> None:
    assert _operation_ref("#/paths/~1notes~1{id}/get") == ("GET", "/notes/{id}")
    assert _operation_ref("#/paths/~1a~0b/post") == ("POST", "/a~b")
    assert _operation_ref("other.yaml#/paths/~1x/get") is None
