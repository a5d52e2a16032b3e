"""Drift identity: one drift per key; an in-contract case outranks an out-of-contract one."""

from __future__ import annotations

from contract_tools._parity.case import Outcome
from contract_tools._parity.compare import BODY, STATUS, STATUS_PATH, Difference
from contract_tools._parity.identity import Signatures, drift_key
from contract_tools.models import DriftKey, Level, Reproduction, Request, Response, ResponsePath


def test_the_key_is_operation_finding_id_and_what_differs() -> None:
    diff = Difference(BODY, Level.ERROR, (ResponsePath.parse("$.b"), ResponsePath.parse("$.a")), "")
    assert drift_key("GET /x", diff) == DriftKey("GET /x", "body-mismatch", ("$.a", "$.b"))


def test_an_in_contract_case_raises_an_out_of_contract_finding_to_error() -> None:
    """Order forced: the warning (outside the legacy contract) is seen first, the error later."""
    book = Signatures()
    outside, inside = Request.build("GET", "/items/-1"), Request.build("GET", "/items/7")
    widened = Outcome(Response(404), Response(200))
    changed = Outcome(Response(200), Response(201))
    warning = Difference(STATUS, Level.WARNING, (STATUS_PATH,), "404 vs 200: a widening")
    error = Difference(STATUS, Level.ERROR, (STATUS_PATH,), "status 200 (baseline) vs 201")
    book.record("GET /items/{id}", warning, outside, widened)
    sig = book.record("GET /items/{id}", error, inside, changed)
    assert (sig.level, sig.message, sig.request, sig.count) == (
        Level.ERROR,
        error.message,
        inside,
        2,
    )
    assert (sig.baseline, sig.candidate) == (changed.baseline, changed.candidate)
    # A later, lower-level case never lowers the finding or replaces its example.
    sig = book.record("GET /items/{id}", warning, outside, widened)
    assert (sig.level, sig.request, sig.count) == (Level.ERROR, inside, 3)
    assert len(book) == 1


def test_findings_drop_paths_learned_as_noise_and_merge_what_becomes_equal() -> None:
    book = Signatures()
    outcome = Outcome(Response(200), Response(200))
    request = Request.build("GET", "/a")
    both = (ResponsePath.parse("$.id"), ResponsePath.parse("$.at"))
    book.record("GET /a", Difference(BODY, Level.ERROR, both, "m1"), request, outcome)
    book.record("GET /a", Difference(BODY, Level.ERROR, both[:1], "m2"), request, outcome)
    book.record("GET /a", Difference(BODY, Level.ERROR, both[1:], "m3"), request, outcome)
    noise = {ResponsePath.parse("$.at")}
    findings = book.findings(
        lambda operation, shape: lambda path: path in noise,
        lambda sig, req: Reproduction(),
        lambda req: req,
    )
    # {$.id, $.at} and {$.id} are one drift once $.at is noise; {$.at} alone is gone.
    assert [(f.subject, f.count) for f in findings] == [(("$.id",), 2)]
