"""The bundled pair, extracted from the apps themselves: exactly the contract gaps it has."""

from __future__ import annotations

from contract_tools._diff.engine import diff_specs
from contract_tools.spec.sources import load_spec


def test_legacy_draft_against_the_port_gives_exactly_the_known_gaps() -> None:
    base = load_spec("examples.legacy_flask:create_app()")
    revision = load_spec("examples.fastapi_port:create_app()")
    found = sorted((f.operation, f.id, str(f.level), f.message) for f in diff_specs(base, revision))
    assert found == [
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
        # The port redirects like Werkzeug does but does not document it.
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
    ]
