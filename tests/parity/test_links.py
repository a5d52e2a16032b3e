"""links: where a later step's path parameter comes from, and reading it from an answer."""

from __future__ import annotations

import json
from typing import Any

import pytest

from contract_tools._parity.generate import BASELINE, CANDIDATE, merge_operations
from contract_tools._parity.links import LOCATION, extract, infer_links
from contract_tools._parity.session import spec_of, target_for_factory
from contract_tools.models import Response
from tests.parity.apps import notes_fastapi, notes_flask


@pytest.fixture(scope="module")
def notes_specs() -> dict[str, dict[str, Any] | None]:
    return {
        BASELINE: spec_of(target_for_factory(notes_flask.create_app)),
        CANDIDATE: spec_of(target_for_factory(notes_fastapi.create_app)),
    }


def _table(specs: dict[str, Any]) -> dict[tuple[str, str], tuple[tuple[str, ...], tuple[str, ...]]]:
    ops = merge_operations(specs)
    return {(k.source, k.target): (k.extractors, k.origins) for k in infer_links(ops, specs)}


def test_the_ports_response_models_and_the_creating_location_link_the_notes(
    notes_specs: dict[str, Any],
) -> None:
    links = _table(notes_specs)
    assert links[("POST /notes", "GET /notes/{note_id}")] == (
        ("body:/id", LOCATION),
        ("schemathesis", "name", "location"),
    )
    # A list feeds its items' ids; an item its own id; nothing links an operation to itself.
    assert links[("GET /notes", "PATCH /notes/{note_id}")] == (
        ("body:/*/id",),
        ("schemathesis", "name"),
    )
    assert links[("POST /notes/{note_id}/archive", "GET /notes/{note_id}")] == (
        ("body:/id",),
        ("schemathesis", "name"),
    )
    assert ("GET /notes/{note_id}", "GET /notes/{note_id}") not in links
    assert len(links) == 20


def test_a_draft_without_response_schemas_links_by_names_as_answers_show_them(
    notes_specs: dict[str, Any],
) -> None:
    links = _table({BASELINE: notes_specs[BASELINE], CANDIDATE: None})
    assert links[("POST /notes", "DELETE /notes/{note_id}")] == (
        ("body:/note_id", "body:/id", "body:/*/note_id", "body:/*/id", LOCATION),
        ("name", "location"),
    )


def _spec(path: str, param: str, links: dict[str, Any] | None = None) -> dict[str, Any]:
    created: dict[str, Any] = {"description": "created"}
    if links:
        created["links"] = links
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/things": {"post": {"operationId": "make", "responses": {"201": created}}},
            path: {
                "get": {
                    "operationId": "read",
                    "parameters": [
                        {
                            "name": param,
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {"200": {"description": "ok"}},
                }
            },
        },
    }


def test_declared_openapi_links_come_first_and_parameters_match_by_position() -> None:
    """The port calls it {thing_id}, the legacy draft {key}: one parameter, named as the
    merged operation's template names it."""
    declared = {"read": {"operationId": "read", "parameters": {"thing_id": "$response.body#/uid"}}}
    specs = {
        BASELINE: _spec("/things/{key}", "key"),
        CANDIDATE: _spec("/things/{thing_id}", "thing_id", declared),
    }
    (link,) = infer_links(merge_operations(specs), specs)
    assert (link.source, link.target, link.template, link.parameter) == (
        "POST /things",
        "GET /things/{key}",
        "/things/{key}",
        "key",
    )
    assert link.extractors[0] == "body:/uid"
    assert link.origins[0] == "openapi"


def _answer(body: Any, status: int = 200, location: str | None = None) -> Response:
    headers = [("Content-Type", "application/json")]
    if location:
        headers.append(("Location", location))
    return Response(status, tuple(headers), json.dumps(body).encode())


def test_extract_reads_pointers_list_items_and_the_location() -> None:
    answer = _answer({"id": "n1", "nested": {"k": 7}, "flag": True}, 201, "/notes/n%201/x")
    assert extract(answer, "body:/id") == "n1"
    assert extract(answer, "body:/nested/k") == 7
    assert extract(answer, "body:/flag") is None  # a boolean is no id
    assert extract(answer, "body:/missing") is None
    assert extract(answer, LOCATION, "/notes/{note_id}", "note_id") == "n 1"
    assert extract(answer, LOCATION, "/other/{note_id}", "note_id") is None
    assert extract(answer, LOCATION + "#2") == "n 1"
    listing = _answer([{"id": "first"}, {"id": "last"}])
    assert extract(listing, "body:/*/id") == "last"  # the newest of what was created
    assert extract(listing, "body:/0/id") == "first"
    assert extract(_answer({"id": "n1"}, 404), "body:/id") is None  # an error made nothing
