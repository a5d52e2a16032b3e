"""selection: --include/--exclude patterns over merged operations, and patterns matching none."""

from __future__ import annotations

from typing import Any

import pytest

from contract_tools._parity.generate import BASELINE, merge_operations
from contract_tools._parity.selection import select, unmatched
from contract_tools.errors import UsageError


def _spec(*operations: tuple[str, str]) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for method, path in operations:
        paths.setdefault(path, {})[method] = {"responses": {"200": {"description": "ok"}}}
    return {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": paths}


OPS = merge_operations(
    {
        BASELINE: _spec(
            ("get", "/books/{id}"),
            ("delete", "/books/{id}"),
            ("post", "/notes"),
            ("get", "/delay/{n}"),
        )
    }
)


def keys(include: list[str], exclude: list[str]) -> list[str]:
    return [op.key for op in select(OPS, include, exclude)]


def test_an_operation_key_matches_whatever_its_parameters_are_named() -> None:
    assert keys(["GET /books/{book_id}"], []) == ["GET /books/{id}"]


def test_a_bare_path_selects_every_method_of_it() -> None:
    assert keys(["/books/{x}"], []) == ["DELETE /books/{id}", "GET /books/{id}"]


def test_a_regex_over_the_key_or_over_the_path_when_it_starts_with_a_slash() -> None:
    assert keys(["POST .*"], []) == ["POST /notes"]
    assert keys(["/delay/.*"], []) == ["GET /delay/{n}"]
    assert keys([], ["GET /books/.*", "/delay/.*"]) == ["DELETE /books/{id}", "POST /notes"]


def test_patterns_that_match_nothing_are_named() -> None:
    assert unmatched(OPS, ["GET /books/{id}", "PUT /books/{id}", "/nope"]) == [
        "PUT /books/{id}",
        "/nope",
    ]


def test_a_pattern_that_is_neither_a_key_nor_a_regex_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match=r"--include/--exclude 'GET\(': not a valid regex"):
        select(OPS, ["GET("], [])
