"""Shrinking: from the example exploration found to a minimal request, within its budget."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import strategies as st

from contract_tools._parity.case import Outcome
from contract_tools._parity.compare import STATUS, STATUS_PATH, Difference
from contract_tools._parity.exploration import Choices, drawn_choices, hypothesis_run
from contract_tools._parity.identity import Signature, Signatures
from contract_tools._parity.shrinking import shrink, size
from contract_tools.models import Level, Request, Response
from tests.parity.example_pair import run_example_pair
from tests.parity.test_example_pair import run_parity_cli


def test_shrinking_starts_from_the_found_example_and_reaches_a_minimal_request(
    tmp_path: Path,
) -> None:
    # Negative mode: a negative id (outside the legacy contract: Werkzeug's int is unsigned)
    # with a body the port refuses where Flask never routed (404). The CLI in its own process,
    # as every seeded example-pair test (test_example_pair says why).
    report = run_parity_cli(
        tmp_path,
        *("--max-examples", "25", "--mode", "negative", "--include", "PUT /books/{id}"),
        *("--no-coverage", "--no-stateful", "--fail-on", "warning"),
    )
    # Two drifts: the port refuses a body it cannot parse with 400 and a bad id with 422, where
    # Flask never routed (404). The first shrinks to the smallest refused id and a one-byte body.
    assert sorted(f.details["about"] for f in report.findings) == [
        "status 404 -> 400",
        "status 404 -> 422",
    ]
    [finding] = [f for f in report.findings if f.details["about"] == "status 404 -> 400"]
    request = finding.details["request"]
    assert (request["path"], request["body"]) == ("/books/-1", "\x00")
    assert "outside the baseline's contract" in finding.message  # still the same finding


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


# -- shrink() on its own: a strategy of requests whose query length is the drift ------------

_DRIFT = Difference(STATUS, Level.ERROR, (STATUS_PATH,), "status differs", "status 200 -> 422")
_ANSWER = Response(status=200, headers=(), body=b"")


def _request(n: int) -> Request:
    return Request.build("GET", "/things", query=[("q", "x" * n)], headers=[("Host", "h")])


def _judged(request: Request) -> Outcome:
    """The drift shows for a query value of 3 characters or more."""
    shows = len(dict(request.query)["q"]) >= 3
    return Outcome(_ANSWER, _ANSWER, [_DRIFT] if shows else [])


def _explored(strategy: Any, seed: int) -> tuple[dict[Request, Outcome], dict[Request, Choices]]:
    """What exploration keeps: every drawn request's outcome and its Hypothesis choices."""
    cache: dict[Request, Outcome] = {}
    choices: dict[Request, Choices] = {}

    def body(request: Request) -> None:
        choices.setdefault(request, drawn_choices())
        cache.setdefault(request, _judged(request))

    hypothesis_run(strategy, body, 50, seed, shrink=False)
    return cache, choices


def _signature(request: Request) -> Signature:
    return Signatures().record("GET /things", _DRIFT, request, _judged(request))


def test_a_drawn_example_shrinks_from_its_own_choices_to_the_minimal_request() -> None:
    strategy = st.integers(0, 10_000).map(_request)
    cache, choices = _explored(strategy, seed=7)
    first = next(r for r, outcome in cache.items() if outcome.differences)
    sig = _signature(first)
    sent: list[Request] = []

    def send(request: Request) -> Outcome:
        sent.append(request)
        return _judged(request)

    count = shrink(
        sig, strategy, cache=cache, choices=choices, send=send, max_examples=50, budget=150,
        op_seed=7,
    )  # fmt: skip
    assert sig.request == _request(3)  # the smallest value that still shows the drift
    assert count == len(sent) <= 150


def test_a_boundary_example_is_not_shrunk_but_the_smallest_seen_is_kept() -> None:
    # Exploration saw the drift in a boundary case (no choices) and in two drawn requests; the
    # smallest of them becomes the example, and nothing is drawn or sent.
    boundary, small, big = _request(40), _request(5), _request(900)
    cache = {boundary: _judged(boundary), big: _judged(big), small: _judged(small)}
    sig = _signature(boundary)

    def send(request: Request) -> Outcome:
        raise AssertionError("a boundary example is not shrunk")

    count = shrink(
        sig, st.nothing(), cache=cache, choices={}, send=send,
        max_examples=50, budget=150, op_seed=1,
    )  # fmt: skip
    assert (count, sig.request) == (0, small)


def test_the_shrinker_starts_from_the_given_choices_and_shrinks_them() -> None:
    seen: list[list[int]] = []
    kept: dict[tuple[int, ...], Choices] = {}

    def explore(xs: list[int]) -> None:
        kept.setdefault(tuple(xs), drawn_choices())

    hypothesis_run(st.lists(st.integers()), explore, 50, 1, shrink=False)
    start = max(kept, key=len)
    assert len(start) >= 3

    class Shows(Exception):
        pass

    def condition(xs: list[int]) -> None:
        seen.append(xs)
        if len(xs) >= 3:
            raise Shows

    with pytest.raises(Shows):
        hypothesis_run(st.lists(st.integers()), condition, 50, 1, shrink=True, start=kept[start])
    assert seen[0] == list(start)  # the very example, not a replay of the draws before it
    assert seen[-1] == [0, 0, 0]
