"""The bundled example pair (examples/README.md): the deliberate drifts, with a fixed seed."""

from __future__ import annotations

from contract_tools.parity.runner import ParityOptions, resolve_specs, run_parity
from contract_tools.parity.targets import make_target

DRIFT_OPERATIONS = (
    "GET /books/",
    "POST /books/",
    "GET /books/{book_id}",
    "DELETE /books/{book_id}",
    "POST /authors/",
    "GET /orders/{order_id}",
)


def test_positive_mode_finds_the_deliberate_drifts() -> None:
    baseline = make_target("examples.legacy_flask:create_app()")
    candidate = make_target("examples.fastapi_port:create_app()")
    options = ParityOptions(max_examples=25, seed=1, mode="positive", include=DRIFT_OPERATIONS)
    report = run_parity(baseline, candidate, resolve_specs(baseline, candidate), options)
    found = {(f.id, f.operation, tuple(f.details["paths"])) for f in report.findings}
    assert found == {
        # 1: default limit 10 -> 20 (two path sets: with and without more than 10 items shown)
        ("body-mismatch", "GET /books/", ("$.items[*]", "$.limit")),
        ("body-mismatch", "GET /books/", ("$.limit",)),
        # 2: 201 -> 200 on create
        ("status-mismatch", "POST /books/", ("status",)),
        # 3: author -> author_name
        ("body-mismatch", "GET /books/{book_id}", ("$.author", "$.author_name")),
        # 4: DELETE not ported
        ("missing-operation", "DELETE /books/{book_id}", ("status",)),
        # 5: FastAPI's own 422 for an invalid author body
        ("status-mismatch", "POST /authors/", ("status",)),
        # 6 (Decimal total of an order) needs an existing order id, which random UUIDs miss.
    }
    assert report.noise == ({"operation": "POST /books/", "paths": ["$.created_at"]},)
    assert report.skipped == ()
