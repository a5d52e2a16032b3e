from __future__ import annotations

from typing import Any

from hypothesis import given, settings

from contract_tools._parity.generate import (
    BASELINE,
    CANDIDATE,
    body_media_types,
    build_strategy,
    coverage_requests,
    match_key,
    merge_operations,
    parameters,
    slots_of,
)
from contract_tools.models import Request


def _spec(
    path: str, param: str, schema: dict[str, Any], extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    paths: dict[str, Any] = {
        path: {
            "get": {
                "parameters": [{"name": param, "in": "path", "required": True, "schema": schema}],
                "responses": {"200": {"description": "ok"}},
            }
        }
    }
    paths.update(extra or {})
    return {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": paths}


NOTE = {
    "/notes": {
        "post": {
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {"text": {"type": "string"}},
                            "required": ["text"],
                        }
                    }
                },
            },
            "responses": {"201": {"description": "ok"}},
        }
    }
}


def test_operations_match_ignoring_parameter_names() -> None:
    ops = merge_operations(
        {
            BASELINE: _spec("/books/{id}", "id", {"type": "string", "pattern": "^[0-9]+$"}),
            CANDIDATE: _spec("/books/{book_id}", "book_id", {"type": "integer"}, NOTE),
        }
    )
    assert [(op.key, op.declared_by) for op in ops] == [
        ("GET /books/{id}", (BASELINE, CANDIDATE)),
        ("POST /notes", (CANDIDATE,)),
    ]
    assert match_key("get", "/a/{x}/b/{y}") == ("GET", "/a/{}/b/{}")


def test_positive_cases_render_to_raw_requests() -> None:
    [op] = merge_operations(
        {CANDIDATE: {**_spec("/x/{id}", "id", {"type": "string"}), "paths": NOTE}}
    )
    strategy = build_strategy(op, "positive")
    seen: list[Request] = []

    @settings(max_examples=20, database=None, deadline=None)
    @given(strategy)
    def collect(request: Request) -> None:
        seen.append(request)

    collect()
    for request in seen:
        assert (request.method, request.path, request.query) == ("POST", "/notes", ())
        names = [name for name, _ in request.headers]
        assert names == [
            "Host",
            "Content-Type",
            "Content-Length",
        ]  # nothing a client would not send
        assert request.header("content-length") == str(len(request.body))
        assert request.header("content-type") == "application/json"


def test_strategies_draw_from_both_sides() -> None:
    [op] = merge_operations(
        {
            BASELINE: _spec("/b/{id}", "id", {"type": "string", "enum": ["left"]}),
            CANDIDATE: _spec("/b/{book_id}", "book_id", {"type": "string", "enum": ["right"]}),
        }
    )
    seen: set[str] = set()

    @settings(max_examples=30, database=None, deadline=None)
    @given(build_strategy(op, "positive"))
    def collect(request: Request) -> None:
        seen.add(request.path)

    collect()
    assert seen == {"/b/left", "/b/right"}


def test_coverage_requests_are_deterministic_boundaries_from_both_sides() -> None:
    specs = {
        BASELINE: _spec("/b/{id}", "id", {"type": "integer", "minimum": 0, "maximum": 9}),
        CANDIDATE: _spec("/b/{book_id}", "book_id", {"type": "string", "enum": ["x", "y"]}),
    }
    (op,) = merge_operations(specs)
    first = coverage_requests(op, "positive", 10)
    assert first == coverage_requests(op, "positive", 10)  # deterministic
    paths = [r.path for r in first]
    assert {"/b/0", "/b/9", "/b/x", "/b/y"} <= set(paths)  # both sides' boundaries
    assert len(paths) == len(set(paths)) <= 10
    assert coverage_requests(op, "positive", 2) == first[:2]
    negative = {r.path for r in coverage_requests(op, "negative", 50)}
    assert "/b/-1" in negative and "/b/10" in negative


def test_coverage_keeps_to_the_operations_own_method() -> None:
    (op,) = merge_operations({BASELINE: _spec("/b/{id}", "id", {"type": "integer"})})
    methods = {r.method for r in coverage_requests(op, "all", 200)}
    assert methods == {"GET"}


def test_declared_header_and_cookie_parameters_are_generated() -> None:
    """Declared headers go as headers and cookies in one Cookie header; undeclared ones are
    only ever sent by the framework probes."""
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/me": {
                "get": {
                    "parameters": [
                        {
                            "name": "X-Token",
                            "in": "header",
                            "required": True,
                            "schema": {"type": "string", "enum": ["t1"]},
                        },
                        {
                            "name": "theme",
                            "in": "cookie",
                            "required": True,
                            "schema": {"type": "string", "enum": ["dark"]},
                        },
                        {
                            "name": "lang",
                            "in": "cookie",
                            "required": True,
                            "schema": {"type": "string", "enum": ["en"]},
                        },
                    ],
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    }
    [op] = merge_operations({BASELINE: doc, CANDIDATE: doc})
    [request] = coverage_requests(op, "positive", 5)
    assert request.headers == (
        ("Host", "localhost"),
        ("X-Token", "t1"),
        ("Cookie", "theme=dark; lang=en"),
    )


def test_declared_parameters_and_where_harvested_values_may_go() -> None:
    doc = _spec(
        "/b/{id}",
        "id",
        {"type": "integer", "minimum": 0},
        {
            "/s": {
                "post": {
                    "parameters": [
                        {"name": "sort", "in": "query", "schema": {"enum": ["a", "b"]}},
                        {"name": "X-Tag", "in": "header", "schema": {"type": "string"}},
                        {"name": "sid", "in": "cookie", "schema": {"type": "boolean"}},
                    ],
                    "requestBody": {"content": {"application/json": {"schema": {}}}},
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    )
    by_key = {op.key: op for op in merge_operations({BASELINE: doc})}
    post = by_key["POST /s"]
    assert [(p.location, p.name, p.closed) for p in parameters(post)] == [
        ("query", "sort", True),
        ("header", "X-Tag", False),
        ("cookie", "sid", True),
    ]
    assert body_media_types(post) == ("application/json",)
    slots = slots_of(post)
    assert slots.headers == frozenset({"x-tag"}) and slots.cookies == frozenset({"sid"})
    assert slots.fixed == frozenset({("query", "sort"), ("cookie", "sid")})
    path_ok = slots_of(by_key["GET /b/{id}"]).path_ok
    assert path_ok is not None and path_ok("/b/3") and not path_ok("/b/-1")
