"""flask-spec --learn: the example exercised in process, response schemas added as learned."""

from __future__ import annotations

from typing import Any

import pytest

from contract_tools._parity.learn import learn_responses
from contract_tools.errors import UsageError
from contract_tools.spec.flask import build_flask_spec
from contract_tools.spec.validate import validate_openapi

APP = "examples.legacy_flask:create_app()"
BOOK = {
    "author_id": {"type": "integer"},
    "created_at": {"type": "string", "format": "date-time"},
    "id": {"type": "integer"},
    "isbn": {"type": "string"},
    "price": {"type": "number"},
    "stock": {"type": "integer"},
    "title": {"type": "string"},
    "year": {"type": "integer"},
}
ERROR = {"type": "object", "properties": {"error": {"type": "string"}}, "required": ["error"]}


@pytest.fixture(scope="module")
def draft() -> dict[str, Any]:
    from examples.legacy_flask import create_app

    return build_flask_spec(create_app()).document


@pytest.fixture(scope="module")
def learned(draft: dict[str, Any]) -> dict[str, Any]:
    return learn_responses(APP, draft, max_examples=10, seed=1)


def media(document: dict[str, Any], method: str, path: str, status: str) -> Any:
    return document["paths"][path][method]["responses"][status]["content"]["application/json"]


def test_the_draft_is_left_alone_and_the_result_is_valid(
    draft: dict[str, Any], learned: dict[str, Any]
) -> None:
    assert media(draft, "get", "/books/{book_id}", "200") == {}
    validate_openapi(learned, "learned")


def test_ids_harvested_from_the_collection_reach_its_items(learned: dict[str, Any]) -> None:
    found = media(learned, "get", "/books/{book_id}", "200")
    assert found["schema"] == {
        "type": "object",
        "properties": {"author": {"type": "string"}, **BOOK},
        "required": sorted(["author", *BOOK]),
    }
    assert found["x-contract-tools-source"] == "learned"
    assert found["x-contract-tools-learned"]["cases"] > 0


def test_bodies_filled_with_harvested_references_reach_the_success_status(
    learned: dict[str, Any],
) -> None:
    created = media(learned, "post", "/books/", "201")
    assert created["schema"] == {"type": "object", "properties": BOOK, "required": sorted(BOOK)}
    assert media(learned, "post", "/books/", "400")["schema"] == ERROR
    assert media(learned, "get", "/books/{book_id}", "404")["schema"] == ERROR


def test_the_same_seed_learns_the_same_document(
    draft: dict[str, Any], learned: dict[str, Any]
) -> None:
    assert learn_responses(APP, draft, max_examples=10, seed=1) == learned


def test_a_live_server_is_never_exercised(draft: dict[str, Any]) -> None:
    with pytest.raises(UsageError, match="never sends to a server"):
        learn_responses("http://127.0.0.1:5000", draft)


def test_a_shared_instance_gets_only_safe_methods() -> None:
    from tests.spec.apps import statuses

    document = build_flask_spec(statuses.create_app()).document
    learned = learn_responses("tests.spec.apps.statuses:create_app()", document, max_examples=3)
    shared = learn_responses("tests.parity.test_learn:SHARED", document, max_examples=3)
    created = learned["paths"]["/created"]["post"]["responses"]["201"]["content"]
    assert created["application/json"]["x-contract-tools-learned"] == {"cases": 1}
    assert (
        "x-contract-tools-learned"
        not in (
            shared["paths"]["/created"]["post"]["responses"]["201"]["content"]["application/json"]
        )
    )
    plain = shared["paths"]["/plain"]["get"]["responses"]["200"]["content"]["text/plain"]
    assert plain["x-contract-tools-source"] == "learned"


def _shared() -> Any:
    from tests.spec.apps import statuses

    return statuses.create_app()


SHARED = _shared()
