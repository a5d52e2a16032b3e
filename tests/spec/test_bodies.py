"""Request bodies read from view code: one exact draft per idiom, and the draft keeps its word."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from contract_tools._parity.generate import BASELINE, build_strategy, merge_operations
from contract_tools._parity.session import target_for_factory
from contract_tools.spec.flask import build_flask_spec
from contract_tools.spec.validate import validate_openapi
from tests.spec.apps import bodies

SOURCE = "x-contract-tools-source"


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    document = build_flask_spec(bodies.create_app()).document
    validate_openapi(document, "bodies")
    return document


def body(document: dict[str, Any], path: str) -> Any:
    return document["paths"][path]["post"].get("requestBody")


def json_body(schema: dict[str, Any], required: bool = True) -> dict[str, Any]:
    return {
        "required": required,
        "content": {"application/json": {"schema": schema}},
        SOURCE: "view",
    }


def test_subscripts_are_required_keys_at_every_depth(document: dict[str, Any]) -> None:
    assert body(document, "/subscript") == json_body(
        {
            "type": "object",
            "properties": {
                "name": {},
                "meta": {"type": "object", "properties": {"tags": {}}, "required": ["tags"]},
            },
            "required": ["name", "meta"],
        }
    )


def test_get_with_default_and_checks_is_optional_with_bounds(document: dict[str, Any]) -> None:
    # get_json(silent=True) or {}: no body is fine; the default 10 passes the checks.
    assert body(document, "/optional") == json_body(
        {
            "type": "object",
            "properties": {
                "limit": {"type": "integer", "minimum": 1, "maximum": 100, "default": 10}
            },
        },
        required=False,
    )


def test_silent_parse_with_a_400_branch_is_a_required_body(document: dict[str, Any]) -> None:
    assert body(document, "/checked") == json_body(
        {
            "type": "object",
            "properties": {
                "title": {"type": "string", "minLength": 1, "maxLength": 80},
                "copies": {"type": "integer"},
                "format": {"enum": ["hardback", "paperback"]},
                "code": {"type": "string", "pattern": "^[A-Z]{3}$(?!\\n)"},
            },
            "required": ["title", "copies", "format"],
        }
    )


def test_a_400_after_the_happy_return_guards_the_negated_condition(
    document: dict[str, Any],
) -> None:
    assert body(document, "/rest-of-block") == json_body(
        {
            "type": "object",
            "properties": {"age": {"type": "integer", "minimum": 0}},
            "required": ["age"],
        }
    )


def test_conversion_in_a_try_that_answers_400(document: dict[str, Any]) -> None:
    assert body(document, "/converted") == json_body(
        {
            "type": "object",
            "properties": {"quantity": {"type": "integer", "exclusiveMinimum": 0}},
            "required": ["quantity"],
        }
    )


def test_items_of_a_list_read_in_a_loop(document: dict[str, Any]) -> None:
    assert body(document, "/items") == json_body(
        {
            "type": "object",
            "properties": {
                "lines": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {"sku": {"type": "string"}},
                        "required": ["sku"],
                    },
                }
            },
            "required": ["lines"],
        }
    )


def test_form_and_files(document: dict[str, Any]) -> None:
    assert body(document, "/form") == {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string"},
                        "age": {"type": "integer", "default": 0},
                    },
                    "required": ["name"],
                }
            }
        },
        SOURCE: "view",
    }
    assert body(document, "/upload") == {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "note": {"type": "string", "default": ""},
                    },
                    "required": ["file"],
                }
            }
        },
        SOURCE: "view",
    }


def test_any_json_when_the_body_is_only_echoed(document: dict[str, Any]) -> None:
    assert body(document, "/echo") == json_body({})


def test_a_body_the_draft_cannot_see_is_said_to_be_unknown(document: dict[str, Any]) -> None:
    handed = document["paths"]["/handed-over"]["post"]
    assert "requestBody" not in handed
    assert handed["x-contract-tools-draft"] == {
        "unknown": ["requestBody"],
        "why": [
            "request body passed to validate in "
            "tests.spec.apps.bodies.create_app.<locals>.handed_over"
        ],
    }
    raw = document["paths"]["/raw"]["post"]
    assert "requestBody" not in raw
    assert raw["x-contract-tools-draft"] == {
        "unknown": ["requestBody"],
        "why": ["the raw request body (request.data) is read; its format is not known"],
    }


def test_get_json_without_silent_documents_flasks_own_400_and_415(
    document: dict[str, Any],
) -> None:
    responses = document["paths"]["/subscript"]["post"]["responses"]
    assert {s: r["content"] for s, r in responses.items() if s in ("400", "415")} == {
        "400": {"text/html": {}},
        "415": {"text/html": {}},
    }


PROMISED = [
    "/subscript",
    "/optional",
    "/checked",
    "/rest-of-block",
    "/converted",
    "/items",
    "/form",
]


@pytest.mark.parametrize("path", PROMISED)
def test_a_body_the_draft_calls_valid_is_accepted(document: dict[str, Any], path: str) -> None:
    """Property: for generated bodies valid under the draft, the view never answers 400."""
    (operation,) = [op for op in merge_operations({BASELINE: document}) if op.key == f"POST {path}"]
    assert "x-contract-tools-draft" not in document["paths"][path]["post"]
    target = target_for_factory(bodies.create_app)

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(build_strategy(operation, "positive"))
    def accepted(request: Any) -> None:
        response = target.send(_integral_as_integers(request))
        assert response.status < 400, (request, response.status, response.body[:200])

    with target:
        accepted()


def _integral_as_integers(request: Any) -> Any:
    """JSON Schema cannot tell 1 from 1.0 (both are integers to it); Python's isinstance can.
    No schema can say "1 but not 1.0", so integral numbers are sent the way clients write them."""
    if request.header("content-type") != "application/json" or not request.body:
        return request

    def integral(value: Any) -> Any:
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, list):
            return [integral(v) for v in value]
        if isinstance(value, dict):
            return {k: integral(v) for k, v in value.items()}
        return value

    body = json.dumps(integral(json.loads(request.body))).encode()
    headers = tuple(
        (k, str(len(body)) if k.lower() == "content-length" else v) for k, v in request.headers
    )
    return dataclasses.replace(request, body=body, headers=headers)
