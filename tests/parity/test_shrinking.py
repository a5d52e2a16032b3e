"""Shrinking: from the example exploration found to a minimal request, within its budget."""

from __future__ import annotations

from contract_tools._parity.shrinking import size
from contract_tools.models import Request
from tests.parity.example_pair import run_example_pair


def test_shrinking_starts_from_the_found_example_and_reaches_a_minimal_request() -> None:
    # Negative mode: a negative id (outside the legacy contract: Werkzeug's int is unsigned)
    # with a body the port refuses where Flask never routed (404); shrinking from the first one
    # found gives the smallest refused id and a short body. (Positive draws no longer produce
    # such bodies: the legacy draft declares the body both sides validate.)
    report = run_example_pair(
        max_examples=25, seed=1, mode="negative", include=("PUT /books/{id}",), coverage=False
    )
    [finding] = report.findings
    assert finding.exchange is not None
    request = finding.exchange.request
    assert request.path == "/books/-1"
    assert len(request.body) < 100
    assert "outside the baseline's contract" in finding.message  # still the same finding
    summary = report.meta["summary"]
    assert 0 < summary["cases"] <= 25 and 0 < summary["shrink_cases"] <= 150


def test_shrink_budget_bounds_the_requests_sent_while_shrinking() -> None:
    report = run_example_pair(
        max_examples=25,
        seed=1,
        mode="negative",
        include=("PUT /books/{id}",),
        shrink_budget=3,
        coverage=False,
    )
    [finding] = report.findings
    assert report.meta["summary"]["shrink_cases"] <= 3
    assert finding.exchange is not None
    assert finding.exchange.request.path.startswith("/books/-")  # a smaller one, or the first


def test_size_counts_what_a_reader_reads() -> None:
    small = Request.build("GET", "/b/1", headers=[("Host", "h")])
    assert size(small) == len("/b/1") + len("Host") + len("h")
    assert size(Request.build("POST", "/b", query=[("q", "x")], body=b"{}")) == len("/b?q=x") + 2
