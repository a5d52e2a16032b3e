"""A read query parameter as an OpenAPI parameter: where it came from, how bad values behave."""

from __future__ import annotations

from flask import request

from contract_tools.spec.view.walk import read_parameters


def paging() -> tuple[int, int]:
    limit = request.args.get("limit", type=int, default=10)
    offset = request.args.get("offset", 0, int)
    return limit, offset


def test_openapi_form_says_it_is_inferred_and_how_invalid_values_behave() -> None:
    (limit, _) = read_parameters(paging)
    assert limit.to_openapi() == {
        "name": "limit",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "default": 10},
        "x-contract-tools-source": "view",
        "x-contract-tools-fallback": "a value the type rejects falls back to the default (no 400)",
    }
