"""Equivalent contracts written differently must not produce error or warning findings."""

from __future__ import annotations

import copy
import random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from contract_tools._diff.engine import diff_specs
from contract_tools.models import Level

Doc = dict[str, Any]


def _nullable(schema: Doc, style: str) -> Doc:
    if style == "nullable":  # OpenAPI 3.0
        return {**schema, "nullable": True}
    if style == "type-list":  # OpenAPI 3.1
        return {**schema, "type": [schema["type"], "null"]}
    return {"anyOf": [schema, {"type": "null"}]}  # Pydantic v2


def render(style: dict[str, Any]) -> Doc:
    """The same API in the writing style ``style`` picks."""
    is_30 = style["version"] == "3.0.3"
    nullable = "nullable" if is_30 else style["nullable"]
    item_base: Doc = {
        "type": "object",
        "required": ["id", "name"],
        "properties": {
            "id": {"type": "integer", "minimum": 1},
            "name": {"type": "string", "maxLength": 50},
            "status": {"type": "string", "enum": ["active", "retired"]},
        },
    }
    extra: Doc = {
        "properties": {
            "price": _nullable({"type": "number"}, nullable),
            "limit": (
                {"type": "integer", "maximum": 100, "exclusiveMaximum": True}
                if is_30
                else {"type": "integer", "exclusiveMaximum": 100}
            ),
        }
    }
    schemas: Doc = {
        "ItemBase": item_base,
        "Node": {
            "type": "object",
            "properties": {
                "value": {"type": "string"},
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
            },
        },
    }
    if style["all_of"]:
        schemas["Item"] = {"allOf": [{"$ref": "#/components/schemas/ItemBase"}, extra]}
    else:
        merged = copy.deepcopy(item_base)
        merged["properties"].update(extra["properties"])
        schemas["Item"] = merged
    item_ref: Doc = {"$ref": "#/components/schemas/Item"}
    if style["inline"]:
        item_ref = copy.deepcopy(schemas["Item"])
    param = style["param_name"]
    tag_schema = _nullable({"type": "string"}, nullable)
    doc: Doc = {
        "openapi": style["version"],
        "info": {"title": "api", "version": "1"},
        "paths": {
            f"/items/{{{param}}}": {
                "get": {
                    "operationId": style["operation_id"],
                    "parameters": [
                        {
                            "name": param,
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        },
                        {"name": "tag", "in": "query", "schema": tag_schema},
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": item_ref}},
                        },
                        "404": {"description": "missing"},
                    },
                }
            },
            "/items": {
                "post": {
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": copy.deepcopy(item_ref)}},
                    },
                    "responses": {
                        "201": {
                            "description": "made",
                            "content": {"application/json": {"schema": copy.deepcopy(item_ref)}},
                        }
                    },
                }
            },
            "/tree": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Node"}
                                }
                            },
                        }
                    }
                }
            },
        },
        "components": {"schemas": schemas},
    }
    if style["titles"]:
        _add_titles(doc)
    return _shuffled(doc, random.Random(style["seed"]))


def _add_titles(node: Any) -> None:
    if isinstance(node, dict):
        if "type" in node or "properties" in node:
            node["title"] = "Some Title"
            node["description"] = "words"
        for value in list(node.values()):
            _add_titles(value)
    elif isinstance(node, list):
        for value in node:
            _add_titles(value)


def _shuffled(node: Any, rng: random.Random) -> Any:
    if isinstance(node, dict):
        keys = list(node)
        rng.shuffle(keys)
        return {k: _shuffled(node[k], rng) for k in keys}
    if isinstance(node, list):
        return [_shuffled(v, rng) for v in node]
    return node


styles = st.fixed_dictionaries(
    {
        "version": st.sampled_from(["3.0.3", "3.1.0"]),
        "nullable": st.sampled_from(["type-list", "any-of", "nullable"]),
        "all_of": st.booleans(),
        "inline": st.booleans(),
        "param_name": st.sampled_from(["item_id", "id", "itemId"]),
        "operation_id": st.sampled_from(["get_item", "read_item_items__item_id__get"]),
        "titles": st.booleans(),
        "seed": st.integers(0, 2**16),
    }
)


def _loud(base: Doc, revision: Doc) -> list[str]:
    return [f"{f.id}: {f.message}" for f in diff_specs(base, revision) if f.level >= Level.WARNING]


@settings(max_examples=150, deadline=None)
@given(styles, styles)
def test_equivalent_rewrites_raise_no_alarm(a: dict[str, Any], b: dict[str, Any]) -> None:
    assert _loud(render(a), render(b)) == []


def test_the_three_nullable_forms_are_one() -> None:
    plain = {
        "version": "3.1.0",
        "all_of": False,
        "inline": False,
        "param_name": "item_id",
        "operation_id": "x",
        "titles": False,
        "seed": 0,
    }
    docs = [
        render({**plain, "nullable": "type-list"}),
        render({**plain, "nullable": "any-of"}),
        render({**plain, "version": "3.0.3", "nullable": "nullable"}),
    ]
    for other in docs[1:]:
        assert diff_specs(docs[0], other) == []


def test_a_real_change_is_still_seen_through_a_rewrite() -> None:
    style = {
        "version": "3.0.3",
        "nullable": "nullable",
        "all_of": True,
        "inline": False,
        "param_name": "item_id",
        "operation_id": "x",
        "titles": True,
        "seed": 1,
    }
    base = render(style)
    revision = render(
        {**style, "version": "3.1.0", "all_of": False, "inline": True, "param_name": "id"}
    )
    revision["paths"]["/items/{id}"]["get"]["parameters"][0]["schema"] = {"type": "boolean"}
    ids = {f.id for f in diff_specs(base, revision)}
    assert ids == {"path-parameter-renamed", "path-parameter-type-changed"}
