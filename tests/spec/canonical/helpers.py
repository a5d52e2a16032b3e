"""A one-operation document around a request body schema, and that body canonicalised."""

from __future__ import annotations

from typing import Any

from contract_tools.spec.canonical import canonicalize


def one_body_doc(
    schemas: dict[str, Any], schema: dict[str, Any], version: str = "3.1.0"
) -> dict[str, Any]:
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


def body_of(doc: dict[str, Any]) -> dict[str, Any]:
    op = canonicalize(doc).operations[("POST", "/a/{}")]
    assert op.body is not None
    return op.body.content["application/json"]


def path_param_schema(schema: dict[str, Any], draft: bool = False) -> dict[str, Any]:
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
