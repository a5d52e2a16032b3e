"""Canonical forms: what must compare equal, and what the canonicaliser flags."""

from __future__ import annotations

from typing import Any

import pytest

from contract_tools.errors import SpecLoadError
from contract_tools.spec.canonical import RECURSIVE, canonicalize, path_key


def _doc(schemas: dict[str, Any], schema: dict[str, Any], version: str = "3.1.0") -> dict[str, Any]:
    return {
        "openapi": version,
        "paths": {
            "/a/{a_id}": {
                "post": {
                    "requestBody": {"content": {"application/json": {"schema": schema}}},
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
        "components": {"schemas": schemas},
    }


def _body(doc: dict[str, Any]) -> dict[str, Any]:
    op = canonicalize(doc).operations[("POST", "/a/{}")]
    assert op.body is not None
    return op.body.content["application/json"]


def test_path_key_ignores_names() -> None:
    assert path_key("/items/{item_id}/v{major}.{minor}") == "/items/{}/v{}.{}"


@pytest.mark.parametrize(
    ("schema", "version"),
    [
        ({"type": "string", "nullable": True}, "3.0.3"),
        ({"type": ["string", "null"]}, "3.1.0"),
        ({"anyOf": [{"type": "string"}, {"type": "null"}]}, "3.1.0"),
        ({"oneOf": [{"type": "null"}, {"type": "string", "title": "S"}]}, "3.1.0"),
    ],
)
def test_nullable_forms(schema: dict[str, Any], version: str) -> None:
    assert _body(_doc({}, schema, version)) == {"type": ["null", "string"]}


def test_exclusive_bounds_30_to_31() -> None:
    schema = {"type": "integer", "maximum": 5, "exclusiveMaximum": True, "minimum": 1}
    assert _body(_doc({}, schema, "3.0.3")) == {
        "type": ["integer"],
        "exclusiveMaximum": 5,
        "minimum": 1,
    }


def test_all_of_merges() -> None:
    schemas = {
        "Base": {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}}
    }
    schema = {
        "allOf": [
            {"$ref": "#/components/schemas/Base"},
            {"required": ["b"], "properties": {"b": {"type": "integer", "maximum": 3}}},
        ]
    }
    assert _body(_doc(schemas, schema)) == {
        "type": ["object"],
        "required": ["a", "b"],
        "properties": {"a": {"type": ["string"]}, "b": {"type": ["integer"], "maximum": 3}},
    }


def test_circular_refs_get_a_marker() -> None:
    schemas = {
        "Node": {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Node"}}}
    }
    body = _body(_doc(schemas, {"$ref": "#/components/schemas/Node"}))
    assert body == {
        "type": ["object"],
        "properties": {"next": {RECURSIVE: "#/components/schemas/Node"}},
    }


def test_unresolvable_ref() -> None:
    with pytest.raises(SpecLoadError, match=r"^unresolvable \$ref '#/components/schemas/Nope'$"):
        canonicalize(_doc({}, {"$ref": "#/components/schemas/Nope"}))


def test_fastapi_artefacts_flagged() -> None:
    doc = _doc({"HTTPValidationError": {"type": "object"}}, {})
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


def _path_param_schema(schema: dict[str, Any], draft: bool = False) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "paths": {
            "/p/{v}": {
                "get": {
                    "parameters": [{"name": "v", "in": "path", "required": True, "schema": schema}],
                    "responses": {"default": {"description": "any"}},
                }
            }
        },
    }
    op = canonicalize(doc).operations[("GET", "/p/{}")]
    return op.parameters[("path", "0")].schema


def test_werkzeug_numeric_text_reads_as_its_number() -> None:
    float_text = {
        "type": "string",
        "pattern": "^\\d+\\.\\d+$(?!\\n)",
        "x-werkzeug-converter": {"name": "float", "arguments": "max=9.5", "max": 9.5},
    }
    assert _path_param_schema(float_text) == {"type": ["number"], "minimum": 0, "maximum": 9.5}
    fixed = {
        "type": "string",
        "pattern": "^(?=.{4}$(?!\\n))-?\\d+$(?!\\n)",
        "x-werkzeug-converter": {"name": "int", "fixed_digits": 4, "signed": True},
    }
    assert _path_param_schema(fixed) == {"type": ["integer"]}
    # Only Werkzeug's numeric converters: a plain string with that extension name is untouched.
    assert _path_param_schema({"type": "string", "x-werkzeug-converter": {"name": "uuid"}}) == {
        "type": ["string"]
    }


def test_newline_guard_is_the_same_pattern() -> None:
    guarded = _path_param_schema({"type": "string", "pattern": "^97[89]\\d{10}$(?!\\n)"})
    plain = _path_param_schema({"type": "string", "pattern": "^97[89]\\d{10}$"})
    assert guarded == plain == {"type": ["string"], "pattern": "^97[89]\\d{10}$"}


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
