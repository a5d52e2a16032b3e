"""Bodies validated with the app's own models: pydantic and marshmallow as JSON Schema."""

from __future__ import annotations

from typing import Any

import pytest

from contract_tools.spec.flask import build_flask_spec
from contract_tools.spec.models import ModelError, model_schema
from contract_tools.spec.validate import validate_openapi
from tests.spec.apps import models


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    document = build_flask_spec(models.create_app()).document
    validate_openapi(document, "models")
    return document


def test_pydantic_model_validate_and_splat_refer_to_components(document: dict[str, Any]) -> None:
    expected = {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Customer"}}},
        "x-contract-tools-source": "view",
    }
    assert document["paths"]["/customers"]["post"]["requestBody"] == expected
    assert document["paths"]["/customers/splat"]["post"]["requestBody"] == expected
    assert document["components"]["schemas"] == {
        "Address": {
            "properties": {"city": {"title": "City", "type": "string"}},
            "required": ["city"],
            "title": "Address",
            "type": "object",
        },
        "Customer": {
            "properties": {
                "name": {"minLength": 1, "title": "Name", "type": "string"},
                "age": {"minimum": 0, "title": "Age", "type": "integer"},
                "address": {
                    "anyOf": [{"$ref": "#/components/schemas/Address"}, {"type": "null"}],
                    "default": None,
                },
            },
            "required": ["name", "age"],
            "title": "Customer",
            "type": "object",
        },
    }


def test_marshmallow_schema_and_its_validation_error_handler(document: dict[str, Any]) -> None:
    operation = document["paths"]["/orders"]["post"]
    assert operation["requestBody"]["content"]["application/json"]["schema"] == {
        "type": "object",
        "properties": {
            "sku": {"type": "string", "minLength": 3, "maxLength": 12},
            "quantity": {"type": "integer", "minimum": 1},
            "note": {"type": ["string", "null"]},
        },
        "required": ["sku", "quantity"],
        "additionalProperties": False,
    }
    assert operation["responses"]["422"] == {
        "description": "Unprocessable Entity",
        "content": {"application/json": {}},
        "x-contract-tools-source": "handler",
    }


def test_not_a_model() -> None:
    with pytest.raises(ModelError, match="int: no declared fields"):
        model_schema(int, "marshmallow")
