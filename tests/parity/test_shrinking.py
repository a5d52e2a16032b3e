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
        max_examples=25,
        seed=1,
        mode="negative",
        include=("PUT /books/{id}",),
        coverage=False,
        harvest=False,  # the exploration described above is generation's own
    )
    # Two drifts: the port refuses a body it cannot parse with 400 and a bad id with 422, where
    # Flask never routed (404). The first shrinks to the smallest refused id and body.
    assert sorted(f.subject for f in report.findings) == [
        ("status 404 -> 400",),
        ("status 404 -> 422",),
    ]
    [finding] = [f for f in report.findings if f.subject == ("status 404 -> 400",)]
    assert finding.exchange is not None
    request = finding.exchange.request
    assert (request.path, request.body) == ("/books/-1", b"\x00")
    assert "outside the baseline's contract" in finding.message  # still the same finding
    summary = report.meta["summary"]
    # Each drift gets its own shrink budget (150 requests).
    assert 0 < summary["cases"] <= 25 and 0 < summary["shrink_cases"] <= 2 * 150


def test_shrink_budget_bounds_the_requests_sent_while_shrinking() -> None:
    report = run_example_pair(
        max_examples=25,
        seed=1,
        mode="negative",
        include=("PUT /books/{id}",),
        shrink_budget=3,
        coverage=False,
    )
    assert report.meta["summary"]["shrink_cases"] <= 3 * len(report.findings)
    for finding in report.findings:
        assert finding.exchange is not None
        assert finding.exchange.request.path.startswith("/books/")


def test_size_counts_what_a_reader_reads() -> None:
    small = Request.build("GET", "/b/1", headers=[("Host", "h")])
    assert size(small) == len("/b/1") + len("Host") + len("h")
    assert size(Request.build("POST", "/b", query=[("q", "x")], body=b"{}")) == len("/b?q=x") + 2
