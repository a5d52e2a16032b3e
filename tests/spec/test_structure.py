"""A parseable document shaped otherwise than OpenAPI says, where the diff reads it: one line
naming the JSON pointer, from load_spec (exit 3 in the CLI), never a traceback later."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from contract_tools.errors import SpecLoadError
from contract_tools.spec.canonical import RECURSIVE, canonicalize
from contract_tools.spec.sources import load_spec


def doc_with(operation: Any, **top: Any) -> dict[str, Any]:
    return {"openapi": "3.1.0", "paths": {"/books": {"get": operation}}, **top}


def schema_doc(schema: Any) -> dict[str, Any]:
    return doc_with({"responses": {"200": {"content": {"application/json": {"schema": schema}}}}})


SCHEMA = "/paths/~1books/get/responses/200/content/application~1json/schema"

BROKEN = [
    ({"openapi": "3.1.0", "paths": []}, "not an OpenAPI document (no 'paths' mapping)"),
    (doc_with("list books"), "/paths/~1books/get: expected a mapping, not a string"),
    (
        {"openapi": "3.1.0", "paths": {"books": {}}},
        "/paths/books: a path must begin with '/', not 'books'",
    ),
    (
        doc_with({"parameters": [{"name": "limit"}]}),
        "/paths/~1books/get/parameters/0: missing 'in'",
    ),
    (
        doc_with({"parameters": [{"name": "limit", "in": "body"}]}),
        "/paths/~1books/get/parameters/0/in: 'body' is not path, query, header or cookie",
    ),
    (
        doc_with({"parameters": {"name": "limit", "in": "query"}}),
        "/paths/~1books/get/parameters: expected a list, not a mapping",
    ),
    (
        doc_with({"parameters": [{"name": "q", "in": "query", "required": "yes"}]}),
        "/paths/~1books/get/parameters/0/required: expected true or false, not a string",
    ),
    (
        doc_with({"responses": {"ok": {}}}),
        "/paths/~1books/get/responses/ok: 'ok' is not a status code, a range or 'default'",
    ),
    (
        doc_with({"responses": {"200": "fine"}}),
        "/paths/~1books/get/responses/200: expected a mapping, not a string",
    ),
    (
        doc_with({"responses": {"200": {"$ref": "#/components/responses/Nope"}}}),
        "/paths/~1books/get/responses/200: unresolvable $ref '#/components/responses/Nope'",
    ),
    (
        doc_with({"requestBody": {"content": []}}),
        "/paths/~1books/get/requestBody/content: expected a mapping, not a list",
    ),
    (
        doc_with({"security": [{"key": "read"}]}),
        "/paths/~1books/get/security/0/key: expected a list, not a string",
    ),
    (schema_doc(7), f"{SCHEMA}: a schema must be a mapping or a boolean, not a number"),
    (schema_doc({"type": "strnig"}), f"{SCHEMA}/type: 'strnig' is not a JSON Schema type"),
    # Found by the fuzz test on a fresh clone: a mapping inside a type list is unhashable.
    (
        schema_doc({"type": ["string", {}]}),
        f"{SCHEMA}/type: ['string', {{}}] is not a JSON Schema type",
    ),
    (schema_doc({"required": True}), f"{SCHEMA}/required: expected a list, not a boolean"),
    (schema_doc({"properties": [1]}), f"{SCHEMA}/properties: expected a mapping, not a list"),
    (schema_doc({"allOf": {"type": "string"}}), f"{SCHEMA}/allOf: expected a list, not a mapping"),
    (schema_doc({"minimum": "0"}), f"{SCHEMA}/minimum: expected a number, not a string"),
    (
        schema_doc({"items": [{"type": "string"}]}),
        f"{SCHEMA}/items: a schema must be a mapping or a boolean, not a list",
    ),
    (
        schema_doc({"$ref": "#/components/schemas/Book"})
        | {"components": {"schemas": {"Book": {"properties": {"id": "integer"}}}}},
        "/components/schemas/Book/properties/id: a schema must be a mapping or a boolean, "
        "not a string",
    ),
    (
        doc_with({"responses": {"200": {"$ref": "#/components/responses/A"}}})
        | {"components": {"responses": {"A": {"$ref": "#/components/responses/A"}}}},
        "/paths/~1books/get/responses/200: circular $ref '#/components/responses/A'",
    ),
    (
        {"openapi": "3.1.0", "paths": {}, "components": []},
        "/components: expected a mapping, not a list",
    ),
]


@pytest.mark.parametrize(("doc", "expected"), BROKEN)
def test_a_misshapen_document_is_one_line_naming_the_pointer(
    tmp_path: Path, doc: dict[str, Any], expected: str
) -> None:
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(SpecLoadError) as info:
        load_spec(str(path))
    assert str(info.value) == f"{path}: {expected}"


def test_yaml_status_codes_and_extensions_read_as_openapi_means_them(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(
        "openapi: 3.1.0\npaths:\n  x-note: {}\n  /books:\n    get:\n      responses:\n"
        "        200: {description: ok}\n        x-internal: {description: not a status}\n"
    )
    operations = canonicalize(load_spec(str(path))).operations
    assert list(operations) == [("GET", "/books")]
    assert list(operations[("GET", "/books")].responses) == ["200"]


def chain(length: int) -> dict[str, Any]:
    schemas = {
        f"S{i}": {"items": {"$ref": f"#/components/schemas/S{i + 1}"}} for i in range(length)
    }
    schemas[f"S{length}"] = {"type": "string"}
    return schema_doc({"$ref": "#/components/schemas/S0"}) | {"components": {"schemas": schemas}}


def test_schemas_nested_past_the_bound_through_refs_are_one_line_not_a_recursion_error() -> None:
    assert canonicalize(chain(40)).operations  # deep, and fine
    with pytest.raises(SpecLoadError) as info:
        canonicalize(chain(600))
    assert str(info.value) == (
        "/components/schemas/S49: schemas nested deeper than 100 levels ($refs followed)"
    )


def test_circular_refs_still_end_in_a_marker() -> None:
    doc = schema_doc({"$ref": "#/components/schemas/Node"}) | {
        "components": {
            "schemas": {"Node": {"properties": {"next": {"$ref": "#/components/schemas/Node"}}}}
        }
    }
    response = canonicalize(doc).operations[("GET", "/books")].responses["200"]
    schema = response.content["application/json"]
    assert schema == {"properties": {"next": {RECURSIVE: "#/components/schemas/Node"}}}
