"""Responses read from view code: returns, abort(), make_response, redirects, error handlers."""

from __future__ import annotations

from typing import Any

import pytest

from contract_tools.spec.flask import build_flask_spec
from contract_tools.spec.statuses import responses
from contract_tools.spec.validate import validate_openapi
from contract_tools.spec.view.reading import Outcome
from tests.spec.apps import statuses

VIEW = {"x-contract-tools-source": "view"}
DEFAULT = {"description": "Default response"}
LOCATION = {
    "Location": {"schema": {"type": "string"}, "required": True, "x-contract-tools-source": "view"}
}
JSON = {"application/json": {}}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    document = build_flask_spec(statuses.create_app()).document
    validate_openapi(document, "statuses")
    return document


def answers(document: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    result: dict[str, Any] = document["paths"][path][method]["responses"]
    return result


def test_tuple_status_and_location_header(document: dict[str, Any]) -> None:
    assert answers(document, "post", "/created") == {
        "201": {"description": "Created", "content": JSON, "headers": LOCATION, **VIEW},
        "default": DEFAULT,
    }


def test_no_content_and_abort_in_a_helper_answered_by_the_apps_handler(
    document: dict[str, Any],
) -> None:
    assert answers(document, "delete", "/gone/{item_id}") == {
        "204": {"description": "No Content", **VIEW},
        "404": {"description": "Not Found", "content": JSON, **VIEW},
        "default": DEFAULT,
    }


def test_make_response_with_a_header_set_afterwards(document: dict[str, Any]) -> None:
    assert answers(document, "get", "/made") == {
        "202": {"description": "Accepted", "content": JSON, "headers": LOCATION, **VIEW},
        "default": DEFAULT,
    }


def test_response_class_media_type_and_redirects(document: dict[str, Any]) -> None:
    assert answers(document, "get", "/plain") == {
        "200": {"description": "OK", "content": {"text/plain": {}}, **VIEW},
        "default": DEFAULT,
    }
    assert answers(document, "get", "/moved") == {
        "301": {"description": "Moved Permanently", "headers": LOCATION, **VIEW},
        "default": DEFAULT,
    }


def test_http_exceptions_without_a_handler_are_werkzeug_html_pages(
    document: dict[str, Any],
) -> None:
    assert answers(document, "post", "/conflict") == {
        "409": {"description": "Conflict", "content": {"text/html": {}}, **VIEW},
        "default": DEFAULT,
    }
    assert answers(document, "get", "/admin/page") == {
        "403": {"description": "Forbidden", "content": {"text/html": {}}, **VIEW},
        "default": DEFAULT,
    }


def test_status_passed_to_a_helper_that_aborts(document: dict[str, Any]) -> None:
    assert answers(document, "post", "/helper-status") == {
        "422": {"description": "Unprocessable Entity", "content": JSON, **VIEW},
        "default": DEFAULT,
    }


def test_a_status_only_the_error_handler_names_is_marked_handler(
    document: dict[str, Any],
) -> None:
    assert answers(document, "post", "/stock") == {
        "409": {"description": "Conflict", "content": JSON, "x-contract-tools-source": "handler"},
        "default": DEFAULT,
    }


def test_responses_merge_media_types_in_status_order() -> None:
    assert responses(
        [
            Outcome(404, "text/html"),
            Outcome(200, "application/json"),
            Outcome(404, "application/json", source="handler"),
            Outcome(999, "text/plain"),
        ]
    ) == {
        "200": {"description": "OK", "content": JSON, **VIEW},
        "404": {
            "description": "Not Found",
            "content": {"application/json": {}, "text/html": {}},
            **VIEW,
        },
    }
