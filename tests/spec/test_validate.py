"""validate_openapi: the same verdicts as openapi-spec-validator, one-line messages, fast."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openapi_spec_validator import validate as reference_validate

from contract_tools.errors import SpecError
from contract_tools.spec.validate import validate_openapi


def document(version: str = "3.1.0") -> dict[str, Any]:
    return {
        "openapi": version,
        "info": {"title": "shop", "version": "1"},
        "tags": [{"name": "items"}],
        "paths": {
            "/items/{item_id}": {
                "parameters": [
                    {
                        "name": "item_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    }
                ],
                "get": {
                    "operationId": "get_item",
                    "parameters": [
                        {
                            "name": "limit",
                            "in": "query",
                            "schema": {"type": "integer", "default": 10, "minimum": 0},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Item"}
                                }
                            },
                        }
                    },
                },
                "put": {
                    "operationId": "put_item",
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {
                                    "allOf": [{"$ref": "#/components/schemas/Item"}],
                                    "required": ["name"],
                                }
                            }
                        }
                    },
                    "responses": {"default": {"description": "any"}},
                },
            }
        },
        "components": {
            "schemas": {
                "Item": {
                    "type": "object",
                    "properties": {"name": {"type": "string", "default": "x"}},
                }
            }
        },
    }


def _set(doc: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    node: Any = doc
    for part in path[:-1]:
        node = node[part]
    if isinstance(node, list) and path[-1] == len(node):
        node.append(value)
    else:
        node[path[-1]] = value
    return doc


GET = ("paths", "/items/{item_id}", "get")
ITEM = ("components", "schemas", "Item")
# Broken documents, each with the one line validate_openapi says about it.
BROKEN: list[tuple[str, tuple[Any, ...], Any, str]] = [
    (
        "schema keyword of the wrong type",
        (*GET, "parameters", 0, "schema", "minimum"),
        "zero",
        "invalid OpenAPI at $.paths['/items/{item_id}'].get.parameters[0].schema.minimum: "
        '"zero" is not of type "number"',
    ),
    (
        "response without description",
        (*GET, "responses", "200"),
        {},
        "invalid OpenAPI at $.paths['/items/{item_id}'].get.responses[200]: "
        '"description" is a required property',
    ),
    (
        "default outside its schema",
        (*GET, "parameters", 0, "schema", "default"),
        -1,
        "invalid OpenAPI at $.paths['/items/{item_id}'].get.parameters[0].schema.default: "
        "-1 is less than the minimum of 0",
    ),
    (
        "nested default outside its schema",
        (*ITEM, "properties", "name", "default"),
        5,
        "invalid OpenAPI at $.components.schemas.Item.properties.name.default: "
        '5 is not of type "string"',
    ),
    (
        "duplicate operationId",
        ("paths", "/items/{item_id}", "put", "operationId"),
        "get_item",
        "invalid OpenAPI: Operation ID 'get_item' for 'put' in '/items/{item_id}' is not unique",
    ),
    (
        "path variable without parameter",
        ("paths", "/items/{item_id}", "parameters"),
        [],
        "invalid OpenAPI: Path parameter 'item_id' for 'get' operation in '/items/{item_id}' "
        "was not resolved",
    ),
    (
        "duplicate parameter",
        (*GET, "parameters", 1),
        {"name": "limit", "in": "query", "schema": {"type": "integer"}},
        "invalid OpenAPI: Duplicate parameter 'limit'",
    ),
    (
        "unresolvable reference",
        (*GET, "responses", "200", "content", "application/json", "schema", "$ref"),
        "#/components/schemas/Missing",
        "unresolvable $ref '#/components/schemas/Missing'",
    ),
    (
        "duplicate tag",
        ("tags",),
        [{"name": "items"}, {"name": "items"}],
        "invalid OpenAPI: Duplicate tag name 'items'",
    ),
]


def test_a_valid_document_is_accepted_by_both() -> None:
    for version in ("3.1.0", "3.0.3"):
        doc = document(version)
        reference_validate(copy.deepcopy(doc))
        validate_openapi(doc, "doc")


@pytest.mark.parametrize(("what", "path", "value", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_documents_are_refused_by_both_with_one_line(
    what: str, path: tuple[Any, ...], value: Any, message: str
) -> None:
    doc = _set(document(), path, value)
    with pytest.raises(Exception):  # noqa: B017 - the reference raises several kinds
        reference_validate(copy.deepcopy(doc))
    with pytest.raises(SpecError) as info:
        validate_openapi(doc, "doc")
    assert str(info.value) == f"doc: {message}"


# Mutations drawn at random: every verdict must match the reference's.
_PLACES: list[tuple[Any, ...]] = [
    (*GET, "parameters", 0, "schema", "minimum"),
    (*GET, "parameters", 0, "schema", "default"),
    (*GET, "parameters", 0, "schema", "type"),
    (*GET, "parameters", 0, "in"),
    (*GET, "parameters", 0, "name"),
    (*GET, "operationId"),
    (*GET, "responses", "200", "description"),
    (*ITEM, "type"),
    (*ITEM, "properties", "name", "default"),
    (*ITEM, "properties", "name", "maxLength"),
    ("info", "version"),
    ("paths", "/items/{item_id}", "parameters", 0, "name"),
]
_VALUES = st.sampled_from(
    [
        None,
        0,
        -1,
        3,
        "get_item",
        "put_item",
        "limit",
        "path",
        "query",
        "string",
        "integer",
        "item_id",
        "x",
        [],
        {},
        True,
        "#/components/schemas/Item",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_PLACES), _VALUES), min_size=1, max_size=3))
def test_verdicts_match_openapi_spec_validator(mutations: list[tuple[Any, Any]]) -> None:
    doc = document()
    for path, value in mutations:
        _set(doc, path, value)
    try:
        reference_validate(copy.deepcopy(doc))
        expected = True
    except Exception:
        expected = False
    try:
        validate_openapi(doc, "doc")
        found = True
    except SpecError:
        found = False
    assert found == expected


def test_not_a_mapping_and_unknown_versions() -> None:
    with pytest.raises(SpecError, match=r"^doc: an OpenAPI document must be a mapping, not list"):
        validate_openapi([], "doc")
    with pytest.raises(SpecError, match=r"^doc: unsupported or missing OpenAPI version '2.0'"):
        validate_openapi({"swagger": "2.0"}, "doc")


def test_allof_required_must_name_a_property() -> None:
    # openapi-spec-validator skips this check when a member is a $ref it already visited;
    # here it always holds.
    doc = document()
    schema = doc["paths"]["/items/{item_id}"]["put"]["requestBody"]["content"]["application/json"]
    schema["schema"]["required"] = ["nothing"]
    with pytest.raises(SpecError) as info:
        validate_openapi(doc, "doc")
    assert str(info.value) == (
        "doc: invalid OpenAPI at $.paths['/items/{item_id}'].put.requestBody.content"
        "['application/json'].schema: Required list has not defined properties: ['nothing']"
    )
