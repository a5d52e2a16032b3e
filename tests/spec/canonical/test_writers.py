"""What FastAPI and flask-spec add that is not contract: flagged, not compared as declared."""

from __future__ import annotations

from typing import Any

from contract_tools.spec.canonical import canonicalize
from tests.spec.canonical.helpers import one_body_doc


def test_fastapi_artefacts_flagged() -> None:
    doc = one_body_doc({"HTTPValidationError": {"type": "object"}}, {})
    responses = doc["paths"]["/a/{a_id}"]["post"]["responses"]
    responses["422"] = {
        "description": "Validation Error",
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}
        },
    }
    responses["200"]["content"] = {"application/json": {"schema": {}}}
    op = canonicalize(doc).operations[("POST", "/a/{}")]
    assert op.responses["422"].validation_artefact
    assert not op.responses["200"].validation_artefact
    assert op.responses["200"].content == {"application/json": {}}


def test_draft_marks_absent_bodies_unknown() -> None:
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "x-contract-tools-draft": {"unknown": ["requestBody"]},
        "paths": {
            "/a": {
                "post": {"responses": {"default": {"description": "any"}}},
                "put": {
                    "requestBody": {"content": {"application/json": {"schema": {}}}},
                    "responses": {"default": {"description": "any"}},
                },
            }
        },
    }
    spec = canonicalize(doc)
    assert spec.operations[("POST", "/a")].body_unknown is True
    assert spec.operations[("PUT", "/a")].body_unknown is False
    del doc["x-contract-tools-draft"]
    assert canonicalize(doc).operations[("POST", "/a")].body_unknown is False


def test_an_operations_own_draft_marker_and_learned_responses() -> None:
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "paths": {
            "/a": {
                "post": {
                    "x-contract-tools-draft": {"unknown": ["requestBody"], "why": ["raw body"]},
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"type": "object"},
                                    "x-contract-tools-source": "learned",
                                    "x-contract-tools-learned": {"cases": 4},
                                }
                            },
                        },
                        "404": {"description": "seen", "x-contract-tools-source": "learned"},
                    },
                }
            }
        },
    }
    operation = canonicalize(doc).operations[("POST", "/a")]
    assert operation.body_unknown is True
    assert operation.responses["200"].observed == {"application/json": 4}
    assert operation.responses["200"].learned is False
    assert operation.responses["404"].learned is True
    assert operation.responses["200"].content == {"application/json": {"type": ["object"]}}


def test_a_hand_edited_draft_marker_keeps_only_its_names() -> None:
    # Found by the fuzz test: a list inside the marker's list was hashed and raised TypeError.
    from contract_tools.spec.canonical.writers import draft_unknown, operation_unknown

    marker = {"x-contract-tools-draft": {"unknown": ["requestBody", ["x"], {"y": 1}, 3]}}
    assert draft_unknown(marker) == frozenset({"requestBody"})
    assert operation_unknown(marker) == ["requestBody"]
