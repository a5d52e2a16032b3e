"""Shrinking: from the example exploration found to a minimal request, within its budget."""

from __future__ import annotations

from contract_tools._parity.shrinking import size
from contract_tools.models import Request
from tests.parity.example_pair import run_example_pair


def test_shrinking_starts_from_the_found_example_and_reaches_a_minimal_request() -> None:
    # The exploration's first PUT drift was /books/-236475343115012873848243382910976 with a
    # 431-byte body of random keys; shrinking from it gives the smallest refused id and body.
    report = run_example_pair(
        max_examples=25,
        seed=1,
        mode="positive",
        include=("PUT /books/{id}",),
        coverage=False,
        harvest=False,  # the exploration described above is generation's own
    )
    [finding] = report.findings
    assert finding.exchange is not None
    request = finding.exchange.request
    assert request.path == "/books/-1"
    assert len(request.body) < 100
    assert "outside the baseline's contract" in finding.message  # still the same finding
    summary = report.meta["summary"]
    assert summary["cases"] == 25 and 0 < summary["shrink_cases"] <= 150


def test_shrink_budget_bounds_the_requests_sent_while_shrinking() -> None:
    report = run_example_pair(
        max_examples=25, seed=1, mode="positive", include=("PUT /books/{id}",), shrink_budget=3
    )
    [finding] = report.findings
    assert report.meta["summary"]["shrink_cases"] <= 3
    assert finding.exchange is not None
    assert finding.exchange.request.path.startswith("/books/-")  # a smaller one, or the first


def test_size_counts_what_a_reader_reads() -> None:
    small = Request.build("GET", "/b/1", headers=[("Host", "h")])
    assert size(small) == len("/b/1") + len("Host") + len("h")
    assert size(Request.build("POST", "/b", query=[("q", "x")], body=b"{}")) == len("/b?q=x") + 2
