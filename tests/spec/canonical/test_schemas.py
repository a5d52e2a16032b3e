"""Canonical schemas: what must compare equal; circular and broken references."""

from __future__ import annotations

from typing import Any

import pytest

from contract_tools.errors import SpecLoadError
from contract_tools.spec.canonical import RECURSIVE, canonicalize
from tests.spec.canonical.helpers import body_of, one_body_doc, path_param_schema


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
    assert body_of(one_body_doc({}, schema, version)) == {"type": ["null", "string"]}


def test_exclusive_bounds_30_to_31() -> None:
    schema = {"type": "integer", "maximum": 5, "exclusiveMaximum": True, "minimum": 1}
    assert body_of(one_body_doc({}, schema, "3.0.3")) == {
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
    assert body_of(one_body_doc(schemas, schema)) == {
        "type": ["object"],
        "required": ["a", "b"],
        "properties": {"a": {"type": ["string"]}, "b": {"type": ["integer"], "maximum": 3}},
    }


def test_circular_refs_get_a_marker() -> None:
    schemas = {
        "Node": {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Node"}}}
    }
    body = body_of(one_body_doc(schemas, {"$ref": "#/components/schemas/Node"}))
    assert body == {
        "type": ["object"],
        "properties": {"next": {RECURSIVE: "#/components/schemas/Node"}},
    }


def test_unresolvable_ref() -> None:
    with pytest.raises(SpecLoadError, match=r"^unresolvable \$ref '#/components/schemas/Nope'$"):
        canonicalize(one_body_doc({}, {"$ref": "#/components/schemas/Nope"}))


def test_werkzeug_numeric_text_reads_as_its_number() -> None:
    float_text = {
        "type": "string",
        "pattern": "^\\d+\\.\\d+$(?!\\n)",
        "x-werkzeug-converter": {"name": "float", "arguments": "max=9.5", "max": 9.5},
    }
    assert path_param_schema(float_text) == {"type": ["number"], "minimum": 0, "maximum": 9.5}
    fixed = {
        "type": "string",
        "pattern": "^(?=.{4}$(?!\\n))-?\\d+$(?!\\n)",
        "x-werkzeug-converter": {"name": "int", "fixed_digits": 4, "signed": True},
    }
    assert path_param_schema(fixed) == {"type": ["integer"]}
    # Only Werkzeug's numeric converters: a plain string with that extension name is untouched.
    assert path_param_schema({"type": "string", "x-werkzeug-converter": {"name": "uuid"}}) == {
        "type": ["string"]
    }


def test_newline_guard_is_the_same_pattern() -> None:
    guarded = path_param_schema({"type": "string", "pattern": "^97[89]\\d{10}$(?!\\n)"})
    plain = path_param_schema({"type": "string", "pattern": "^97[89]\\d{10}$"})
    assert guarded == plain == {"type": ["string"], "pattern": "^97[89]\\d{10}$"}
