"""The bundled pair, extracted from the apps themselves: exactly the contract gaps it has."""

from __future__ import annotations

from contract_tools._diff.engine import diff_specs
from contract_tools.spec.sources import load_spec

LEGACY = "examples.legacy_flask:create_app()"
PORT = "examples.fastapi_port:create_app()"
REPLACED = "invalid input answered by FastAPI's automatic 422 instead of 400"


def test_legacy_draft_against_the_port_gives_exactly_the_known_gaps() -> None:
    found = sorted(
        (f.operation, f.id, str(f.level), f.message)
        for f in diff_specs(load_spec(LEGACY), load_spec(PORT))
    )
    # The deliberate drifts the declared contracts show (examples/README.md): 1, 2, 4 and 5.
    drifts = [
        (
            "DELETE /books/{book_id}",
            "operation-removed",
            "error",
            "DELETE /books/{book_id} was removed",
        ),
        (
            "GET /books/",
            "request-parameter-default-changed",
            "warning",
            "query parameter 'limit': default 10 -> 20",
        ),
        (
            "POST /books/",
            "response-success-status-removed",
            "error",
            "response status 201 was removed",
        ),
        ("POST /authors/", "response-validation-status-replaced", "warning", REPLACED),
    ]
    # Statuses the legacy code answers with that the port answers too but does not declare:
    # its redirects, its JSON 404/409s, and, on the books router, the legacy 400 that its
    # LegacyErrorRoute keeps while the port's document shows FastAPI's 422 instead.
    undeclared = [
        (
            "GET /books/page/{page}",
            "response-status-removed",
            "warning",
            "response status 308 was removed",
        ),
        (
            "GET /catalogue",
            "response-header-removed",
            "warning",
            "response 308 header 'Location' was removed",
        ),
        *[
            (
                operation,
                "response-status-removed",
                "warning",
                f"response status {status} was removed",
            )
            for operation, statuses in {
                "GET /authors/{author_id}": ["404"],
                "GET /books/isbn/{isbn}": ["404"],
                "GET /books/{book_id}": ["404"],
                "GET /books/{book_id}/attachments/{name}": ["404"],
                "GET /orders/{order_id}": ["404"],
                "GET /shops/{shop_id}/": ["404"],
                "GET /shops/{shop_id}/inventory": ["404"],
                "POST /books/": ["404", "409"],
                "POST /books/{book_id}/stock/{delta}": ["404", "409"],
                "PUT /books/{book_id}": ["404", "409"],
            }.items()
            for status in statuses
        ],
        *[
            (operation, "response-validation-status-replaced", "warning", REPLACED)
            for operation in (
                "POST /books/",
                "POST /books/{book_id}/stock/{delta}",
                "PUT /books/{book_id}",
            )
        ],
    ]
    assert found == sorted(drifts + undeclared)


def test_request_bodies_read_from_the_legacy_views_match_the_ports_models() -> None:
    """The drafted bodies are compared now, and agree with the port's pydantic models."""
    findings = diff_specs(load_spec(LEGACY), load_spec(PORT))
    assert [f for f in findings if f.id.startswith("request-body")] == []


def test_learned_responses_show_the_body_drifts_as_observations() -> None:
    from contract_tools._parity.learn import learn_responses

    learned = learn_responses(LEGACY, load_spec(LEGACY), max_examples=10, seed=1)
    declared = {
        (f.operation, f.id, f.message) for f in diff_specs(load_spec(LEGACY), load_spec(PORT))
    }
    extra = sorted(
        (f.operation, f.id, str(f.level), f.message)
        for f in diff_specs(learned, load_spec(PORT))
        if (f.operation, f.id, f.message) not in declared
    )
    assert extra == [
        # 3: author -> author_name
        (
            "GET /books/{book_id}",
            "response-body-property-added",
            "info",
            "response 200 (application/json) at $.author_name: new property "
            "(base observed in 7 cases, not declared)",
        ),
        (
            "GET /books/{book_id}",
            "response-body-property-removed",
            "error",
            "response 200 (application/json) at $.author: required property removed "
            "(base observed in 7 cases, not declared)",
        ),
        # 6: the Decimal total, a string in Flask's JSON
        (
            "GET /orders/{order_id}",
            "response-body-type-changed",
            "error",
            "response 200 (application/json) at $.total: type string -> number "
            "(base observed in 3 cases, not declared)",
        ),
    ]
