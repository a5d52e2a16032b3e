"""Time canonicalise + diff of two synthetic 2,000-operation specs (best of 3). Prints figures."""

from __future__ import annotations

import copy
import time
from typing import Any

from contract_tools._diff.engine import diff_canonical
from contract_tools.spec.canonical import canonicalize

RESOURCES = 400  # x 5 operations each = 2,000 operations


def build(revised: bool) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for n in range(RESOURCES):
        name = f"Thing{n}"
        schemas[name] = {
            "type": "object",
            "required": ["id", "name"],
            "properties": {
                "id": {"type": "integer", "minimum": 1},
                "name": {"type": "string", "maxLength": 80, "title": "Name"},
                "status": {"type": "string", "enum": ["new", "active", "retired"]},
                "price": {"anyOf": [{"type": "number"}, {"type": "null"}]},
                "tags": {"type": "array", "items": {"type": "string"}},
                "owner": {"$ref": "#/components/schemas/User"},
                "parent": {"anyOf": [{"$ref": f"#/components/schemas/{name}"}, {"type": "null"}]},
            },
        }
        if revised and n % 10 == 0:
            schemas[name]["properties"]["status"]["enum"].append("paused")
            schemas[name]["required"].append("status")
        ref = {"$ref": f"#/components/schemas/{name}"}
        param = "thing_id" if not revised else "id"
        item = {"name": param, "in": "path", "required": True, "schema": {"type": "integer"}}
        query = [
            {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}},
            {"name": "q", "in": "query", "schema": {"type": "string"}},
        ]
        ok = {"description": "ok", "content": {"application/json": {"schema": ref}}}
        many = {
            "description": "ok",
            "content": {"application/json": {"schema": {"type": "array", "items": ref}}},
        }
        body = {"required": True, "content": {"application/json": {"schema": ref}}}
        paths[f"/things{n}"] = {
            "get": {"parameters": copy.deepcopy(query), "responses": {"200": many}},
            "post": {"requestBody": body, "responses": {"201": ok, "400": {"description": "x"}}},
        }
        paths[f"/things{n}/{{{param}}}"] = {
            "get": {"parameters": [item], "responses": {"200": ok, "404": {"description": "x"}}},
            "put": {"parameters": [item], "requestBody": body, "responses": {"200": ok}},
            "delete": {"parameters": [item], "responses": {"204": {"description": "gone"}}},
        }
        if revised and n % 25 == 0:
            del paths[f"/things{n}/{{{param}}}"]["delete"]
    schemas["User"] = {
        "type": "object",
        "properties": {"id": {"type": "integer"}, "email": {"type": "string", "format": "email"}},
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "bench", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    }


def main() -> None:
    base, revision = build(False), build(True)
    operations = sum(len(item) for item in base["paths"].values())
    timings = []
    findings: list[Any] = []
    for _ in range(3):
        start = time.perf_counter()
        canonical_base, canonical_revision = canonicalize(base), canonicalize(revision)
        middle = time.perf_counter()
        findings = diff_canonical(canonical_base, canonical_revision)
        end = time.perf_counter()
        timings.append((end - start, middle - start, end - middle))
    total, canon, diff = min(timings)
    print(f"operations per spec: {operations}")
    print(f"findings: {len(findings)}")
    print(f"best of 3: {total:.3f} s (canonicalise {canon:.3f} s, diff {diff:.3f} s)")


if __name__ == "__main__":
    main()
