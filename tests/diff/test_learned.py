"""Learned response schemas are observations: findings about them say so."""

from __future__ import annotations

import copy
from typing import Any

from contract_tools._diff.engine import diff_specs


def doc(schema: dict[str, Any], learned: bool) -> dict[str, Any]:
    media: dict[str, Any] = {"schema": schema}
    if learned:
        media["x-contract-tools-source"] = "learned"
        media["x-contract-tools-learned"] = {"cases": 7}
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/books/{id}": {
                "get": {
                    "responses": {
                        "200": {"description": "ok", "content": {"application/json": media}}
                    }
                }
            }
        },
    }


BOOK = {
    "type": "object",
    "properties": {
        "author": {"type": "string"},
        "created_at": {"type": "string", "format": "date-time"},
    },
    "required": ["author", "created_at"],
}
PORT = {
    "type": "object",
    "properties": {"author_name": {"type": "string"}, "created_at": {"type": "string"}},
    "required": ["author_name", "created_at"],
}


def test_findings_against_an_observed_base_say_so() -> None:
    found = sorted(
        (f.id, f.message, dict(f.change.observed) if f.change and f.change.observed else None)
        for f in diff_specs(doc(BOOK, learned=True), doc(PORT, learned=False))
    )
    assert found == [
        (
            "response-body-property-added",
            "response 200 (application/json) at $.author_name: new property "
            "(base observed in 7 cases, not declared)",
            {"base": 7},
        ),
        (
            "response-body-property-removed",
            "response 200 (application/json) at $.author: required property removed "
            "(base observed in 7 cases, not declared)",
            {"base": 7},
        ),
    ]


def test_a_declared_base_keeps_its_plain_findings() -> None:
    found = sorted(f.id for f in diff_specs(doc(BOOK, learned=False), doc(PORT, learned=False)))
    assert found == [
        "response-body-format-changed",
        "response-body-property-added",
        "response-body-property-removed",
    ]


def test_a_learned_status_the_revision_lacks_is_an_observation() -> None:
    base = doc(BOOK, learned=True)
    base["paths"]["/books/{id}"]["get"]["responses"]["404"] = {
        "description": "Not Found",
        "x-contract-tools-source": "learned",
        "content": {
            "application/json": {
                "x-contract-tools-source": "learned",
                "x-contract-tools-learned": {"cases": 3},
            }
        },
    }
    revision = copy.deepcopy(base)
    del revision["paths"]["/books/{id}"]["get"]["responses"]["404"]
    (finding,) = diff_specs(base, revision)
    assert (finding.id, finding.message) == (
        "response-status-removed",
        "response status 404 was removed (base observed in 3 cases, not declared)",
    )
