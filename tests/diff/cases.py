"""One base/revision pair per diff rule, with the exact set of finding ids it must produce."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Doc = dict[str, Any]


def base_spec() -> Doc:
    """A small API touching every part of a contract the rules look at."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "cases", "version": "1"},
        "paths": {
            "/items/{item_id}": {
                "post": {
                    "parameters": [
                        {
                            "name": "item_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer", "minimum": 1},
                        },
                        {
                            "name": "q",
                            "in": "query",
                            "schema": {
                                "type": "string",
                                "enum": ["a", "b"],
                                "maxLength": 10,
                                "default": "a",
                            },
                        },
                        {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                    ],
                    "requestBody": {
                        "required": False,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/In"}}
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "ok",
                            "headers": {"ETag": {"schema": {"type": "string"}}},
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/Out"}}
                            },
                        },
                        "400": {"description": "bad input"},
                        "404": {"description": "missing"},
                    },
                    "security": [{"oauth": ["read"]}],
                }
            },
            "/old": {"get": {"responses": {"200": {"description": "ok"}}}},
        },
        "components": {
            "securitySchemes": {
                "oauth": {
                    "type": "oauth2",
                    "flows": {
                        "clientCredentials": {
                            "tokenUrl": "https://example.com/token",
                            "scopes": {"read": "r", "write": "w"},
                        }
                    },
                }
            },
            "schemas": {
                "In": {
                    "type": "object",
                    "required": ["name"],
                    "properties": {
                        "name": {"type": "string", "maxLength": 50},
                        "size": {"type": "integer", "minimum": 0, "maximum": 100},
                        "kind": {"type": ["string", "null"], "enum": ["x", "y", None]},
                        "code": {"type": "string"},
                        "when": {"type": "string", "format": "date"},
                        "note": {"type": "string"},
                    },
                },
                "Out": {
                    "type": "object",
                    "required": ["id", "name"],
                    "properties": {
                        "id": {"type": "integer"},
                        "name": {"type": "string"},
                        "status": {"type": "string", "enum": ["on", "off"]},
                        "seen": {"type": "string", "format": "date-time"},
                        "note": {"type": "string"},
                    },
                },
            },
        },
    }


def _op(doc: Doc) -> Doc:
    op: Doc = doc["paths"]["/items/{item_id}"]["post"]
    return op


def _param(doc: Doc, name: str) -> Doc:
    return next(p for p in _op(doc)["parameters"] if p["name"] == name)


def _in(doc: Doc) -> Doc:
    schema: Doc = doc["components"]["schemas"]["In"]
    return schema


def _out(doc: Doc) -> Doc:
    schema: Doc = doc["components"]["schemas"]["Out"]
    return schema


Mutation = Callable[[Doc], None]


def _set(getter: Callable[[Doc], Doc], **values: Any) -> Mutation:
    def mutate(doc: Doc) -> None:
        getter(doc).update(values)

    return mutate


def _del(getter: Callable[[Doc], Doc], key: str) -> Mutation:
    def mutate(doc: Doc) -> None:
        del getter(doc)[key]

    return mutate


def _prop(getter: Callable[[Doc], Doc], name: str) -> Callable[[Doc], Doc]:
    return lambda doc: getter(doc)["properties"][name]


def _schema(name: str) -> Callable[[Doc], Doc]:
    return lambda doc: _param(doc, name)["schema"]


def _rename_path(doc: Doc) -> None:
    item = doc["paths"].pop("/items/{item_id}")
    item["post"]["parameters"][0]["name"] = "id"
    doc["paths"]["/items/{id}"] = item


def _add_param(param: Doc) -> Mutation:
    return lambda doc: _op(doc)["parameters"].append(param)


def _drop_param(name: str) -> Mutation:
    def mutate(doc: Doc) -> None:
        _op(doc)["parameters"] = [p for p in _op(doc)["parameters"] if p["name"] != name]

    return mutate


def _fastapi_422(doc: Doc) -> None:
    del _op(doc)["responses"]["400"]
    _op(doc)["responses"]["422"] = {
        "description": "Validation Error",
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}
        },
    }
    doc["components"]["schemas"]["HTTPValidationError"] = {
        "type": "object",
        "properties": {"detail": {"type": "array", "items": {"type": "object"}}},
    }


def _uncontracted(doc: Doc) -> None:
    _op(doc)["responses"]["200"]["content"]["application/json"]["schema"] = {}


def _deprecate_old(doc: Doc) -> None:
    doc["paths"]["/old"]["get"]["deprecated"] = True


def _remove_old(doc: Doc) -> None:
    del doc["paths"]["/old"]


def _body(doc: Doc) -> Doc:
    body: Doc = _op(doc)["requestBody"]
    return body


def _json_out(doc: Doc) -> Doc:
    content: Doc = _op(doc)["responses"]["200"]["content"]
    return content


def _set_security(value: list[dict[str, list[str]]]) -> Mutation:
    return _set(_op, security=value)


# rule id -> (mutation of the base, mutation of the revision, exact finding ids expected)
CASES: dict[str, tuple[Mutation | None, Mutation, set[str]]] = {
    # operations
    "operation-removed": (None, _remove_old, {"operation-removed"}),
    "operation-added": (_remove_old, lambda doc: None, {"operation-added"}),
    "path-parameter-renamed": (None, _rename_path, {"path-parameter-renamed"}),
    # deprecation
    "operation-deprecated": (None, _deprecate_old, {"operation-deprecated"}),
    "operation-undeprecated": (_deprecate_old, lambda doc: None, {"operation-undeprecated"}),
    "deprecated-operation-removed": (
        _deprecate_old,
        _remove_old,
        {"deprecated-operation-removed"},
    ),
    "parameter-deprecated": (
        None,
        lambda doc: _param(doc, "limit").update(deprecated=True),
        {"parameter-deprecated"},
    ),
    # parameters
    "required-request-parameter-added": (
        None,
        _add_param({"name": "X-Key", "in": "header", "required": True, "schema": {}}),
        {"required-request-parameter-added"},
    ),
    "optional-request-parameter-added": (
        None,
        _add_param({"name": "page", "in": "query", "schema": {"type": "integer"}}),
        {"optional-request-parameter-added"},
    ),
    "request-parameter-removed": (None, _drop_param("limit"), {"request-parameter-removed"}),
    "request-parameter-became-required": (
        None,
        lambda doc: _param(doc, "limit").update(required=True),
        {"request-parameter-became-required"},
    ),
    "request-parameter-became-optional": (
        lambda doc: _param(doc, "limit").update(required=True),
        lambda doc: None,
        {"request-parameter-became-optional"},
    ),
    "request-parameter-serialisation-changed": (
        None,
        lambda doc: _param(doc, "limit").update(style="form", explode=False),
        {"request-parameter-serialisation-changed"},
    ),
    "request-parameter-type-changed": (
        None,
        _set(_schema("limit"), type="boolean"),
        {"request-parameter-type-changed"},
    ),
    "request-parameter-enum-narrowed": (
        None,
        _set(_schema("q"), enum=["a"]),
        {"request-parameter-enum-narrowed"},
    ),
    "request-parameter-enum-widened": (
        None,
        _set(_schema("q"), enum=["a", "b", "c"]),
        {"request-parameter-enum-widened"},
    ),
    "request-parameter-max-decreased": (
        None,
        _set(_schema("limit"), maximum=10),
        {"request-parameter-max-decreased"},
    ),
    "request-parameter-min-increased": (
        None,
        _set(_schema("limit"), exclusiveMinimum=0),
        {"request-parameter-min-increased"},
    ),
    "request-parameter-max-length-decreased": (
        None,
        _set(_schema("q"), maxLength=5),
        {"request-parameter-max-length-decreased"},
    ),
    "request-parameter-min-length-increased": (
        None,
        _set(_schema("q"), minLength=1),
        {"request-parameter-min-length-increased"},
    ),
    "request-parameter-pattern-added": (
        None,
        _set(_schema("q"), pattern="^[ab]$"),
        {"request-parameter-pattern-added"},
    ),
    "request-parameter-pattern-changed": (
        _set(_schema("q"), pattern="^[ab]$"),
        _set(_schema("q"), pattern="^[a]$"),
        {"request-parameter-pattern-changed"},
    ),
    "request-parameter-default-changed": (
        None,
        _set(_schema("q"), default="b"),
        {"request-parameter-default-changed"},
    ),
    "path-parameter-type-changed": (
        None,
        lambda doc: _param(doc, "item_id").update(schema={"type": "boolean"}),
        {"path-parameter-type-changed"},
    ),
    "path-parameter-enum-narrowed": (
        None,
        _set(_schema("item_id"), enum=[1, 2]),
        {"path-parameter-enum-narrowed"},
    ),
    "path-parameter-constraint-tightened": (
        None,
        _set(_schema("item_id"), minimum=10, maximum=99),
        {"path-parameter-constraint-tightened"},
    ),
    # request body
    "request-body-became-required": (
        None,
        _set(_body, required=True),
        {"request-body-became-required"},
    ),
    "request-body-removed": (None, _del(_op, "requestBody"), {"request-body-removed"}),
    "request-body-media-type-removed": (
        None,
        lambda doc: _body(doc).update(
            content={"application/xml": _body(doc)["content"]["application/json"]}
        ),
        {"request-body-media-type-removed", "request-body-media-type-added"},
    ),
    "request-body-media-type-added": (
        None,
        lambda doc: _body(doc)["content"].update({"text/plain": {"schema": {"type": "string"}}}),
        {"request-body-media-type-added"},
    ),
    "request-body-type-changed": (
        None,
        _set(_prop(_in, "code"), type="integer"),
        {"request-body-type-changed"},
    ),
    "request-body-nullable-removed": (
        None,
        _set(_prop(_in, "kind"), type="string", enum=["x", "y"]),
        {"request-body-nullable-removed"},
    ),
    "request-body-enum-narrowed": (
        None,
        _set(_prop(_in, "kind"), enum=["x", None]),
        {"request-body-enum-narrowed"},
    ),
    "request-body-max-decreased": (
        None,
        _set(_prop(_in, "size"), maximum=50),
        {"request-body-max-decreased"},
    ),
    "request-body-min-increased": (
        None,
        _set(_prop(_in, "size"), minimum=1),
        {"request-body-min-increased"},
    ),
    "request-body-max-length-decreased": (
        None,
        _set(_prop(_in, "name"), maxLength=20),
        {"request-body-max-length-decreased"},
    ),
    "request-body-min-length-increased": (
        None,
        _set(_prop(_in, "name"), minLength=2),
        {"request-body-min-length-increased"},
    ),
    "request-body-pattern-added": (
        None,
        _set(_prop(_in, "code"), pattern="^[A-Z]+$"),
        {"request-body-pattern-added"},
    ),
    "request-body-pattern-changed": (
        _set(_prop(_in, "code"), pattern="^[A-Z]+$"),
        _set(_prop(_in, "code"), pattern="^[A-Z]{3}$"),
        {"request-body-pattern-changed"},
    ),
    "request-body-format-changed": (
        None,
        _set(_prop(_in, "when"), format="date-time"),
        {"request-body-format-changed"},
    ),
    "request-body-required-property-added": (
        None,
        lambda doc: (
            _in(doc)["properties"].update(extra={"type": "string"}),
            _in(doc)["required"].append("extra"),
        ),
        {"request-body-required-property-added"},
    ),
    "request-body-property-became-required": (
        None,
        lambda doc: _in(doc)["required"].append("size"),
        {"request-body-property-became-required"},
    ),
    "request-body-property-removed": (
        None,
        lambda doc: _in(doc)["properties"].pop("note"),
        {"request-body-property-removed"},
    ),
    "request-body-property-added": (
        None,
        lambda doc: _in(doc)["properties"].update(extra={"type": "string"}),
        {"request-body-property-added"},
    ),
    "request-body-additional-properties-disallowed": (
        None,
        _set(_in, additionalProperties=False),
        {"request-body-additional-properties-disallowed"},
    ),
    # responses
    "response-success-status-removed": (
        None,
        lambda doc: _op(doc)["responses"].update({"201": _op(doc)["responses"].pop("200")}),
        {"response-success-status-removed", "response-status-added"},
    ),
    "response-status-removed": (
        None,
        lambda doc: _op(doc)["responses"].pop("404"),
        {"response-status-removed"},
    ),
    "response-status-added": (
        None,
        lambda doc: _op(doc)["responses"].update({"409": {"description": "conflict"}}),
        {"response-status-added"},
    ),
    "response-validation-status-replaced": (
        None,
        _fastapi_422,
        {"response-validation-status-replaced"},
    ),
    "response-media-type-removed": (
        None,
        lambda doc: _json_out(doc).update({"text/csv": _json_out(doc).pop("application/json")}),
        {"response-media-type-removed", "response-media-type-added"},
    ),
    "response-media-type-added": (
        None,
        lambda doc: _json_out(doc).update({"text/csv": {"schema": {"type": "string"}}}),
        {"response-media-type-added"},
    ),
    "response-schema-uncontracted": (None, _uncontracted, {"response-schema-uncontracted"}),
    "response-header-removed": (
        None,
        lambda doc: _op(doc)["responses"]["200"].pop("headers"),
        {"response-header-removed"},
    ),
    "response-body-type-changed": (
        None,
        _set(_prop(_out, "id"), type="string"),
        {"response-body-type-changed"},
    ),
    "response-body-became-nullable": (
        None,
        _set(_prop(_out, "name"), type=["string", "null"]),
        {"response-body-became-nullable"},
    ),
    "response-body-enum-widened": (
        None,
        _set(_prop(_out, "status"), enum=["on", "off", "paused"]),
        {"response-body-enum-widened"},
    ),
    "response-body-property-removed": (
        None,
        lambda doc: (_out(doc)["properties"].pop("name"), _out(doc)["required"].remove("name")),
        {"response-body-property-removed"},
    ),
    "response-body-optional-property-removed": (
        None,
        lambda doc: _out(doc)["properties"].pop("note"),
        {"response-body-optional-property-removed"},
    ),
    "response-body-property-became-optional": (
        None,
        lambda doc: _out(doc)["required"].remove("name"),
        {"response-body-property-became-optional"},
    ),
    "response-body-property-added": (
        None,
        lambda doc: _out(doc)["properties"].update(extra={"type": "string"}),
        {"response-body-property-added"},
    ),
    "response-body-format-changed": (
        None,
        _set(_prop(_out, "seen"), format="date"),
        {"response-body-format-changed"},
    ),
    # security
    "security-requirement-added": (
        None,
        lambda doc: (
            _set_security([{"oauth": ["read"], "key": []}])(doc)
            or doc["components"]["securitySchemes"].update(
                key={"type": "apiKey", "in": "header", "name": "X-Key"}
            )
        ),
        {"security-requirement-added"},
    ),
    "security-scopes-added": (
        None,
        _set_security([{"oauth": ["read", "write"]}]),
        {"security-scopes-added"},
    ),
    "security-requirement-removed": (
        None,
        _set_security([]),
        {"security-requirement-removed"},
    ),
    "security-scheme-changed": (
        None,
        lambda doc: doc["components"]["securitySchemes"].update(
            oauth={"type": "http", "scheme": "bearer"}
        ),
        {"security-scheme-changed"},
    ),
}


def build_pair(rule_id: str) -> tuple[Doc, Doc, set[str]]:
    on_base, on_revision, expected = CASES[rule_id]
    base = base_spec()
    if on_base is not None:
        on_base(base)
    revision = base_spec()  # the base mutation is the starting point only of the base
    on_revision(revision)
    return base, revision, expected
