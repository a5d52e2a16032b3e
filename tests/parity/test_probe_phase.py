"""The probe phase: the base request, what is the probe's and what the operation's, levels,
and per-path probes sent once per path."""

from __future__ import annotations

import json
from typing import Any

from contract_tools._parity.case import Outcome
from contract_tools._parity.compare import BODY, CRASH, STATUS, STATUS_PATH, Difference
from contract_tools._parity.generate import merge_operations
from contract_tools._parity.probe_phase import (
    PathIndex,
    outside_contract,
    probes_own,
    shown_by_base,
    subject_for,
    value_at,
)
from contract_tools._parity.session import resolve_specs, target_for_factory
from contract_tools.models import Level, Response, ResponsePath
from tests.parity.apps import bookshop_fastapi, bookshop_flask, probes_fastapi, probes_flask
from tests.parity.running import run

STATUS_DIFF = Difference(STATUS, Level.ERROR, (STATUS_PATH,), "status 404 vs 405")


def _operations() -> list[Any]:
    baseline = target_for_factory(probes_flask.create_app, "flask")
    candidate = target_for_factory(probes_fastapi.create_app, "fastapi")
    with baseline, candidate:
        return merge_operations(resolve_specs(baseline, candidate))


def test_the_base_is_a_boundary_case_with_a_body_and_harvested_path_values() -> None:
    operations = _operations()
    index = PathIndex(operations, operations)
    by_key = {op.key: op for op in operations}
    create = subject_for(by_key["POST /items"], index)
    assert create is not None and create.base.body == b'{"name": ""}'
    assert create.body_types == ("application/json",)
    assert create.path_methods == frozenset({"GET", "POST"})
    item = by_key["GET /items/{item_id}"]
    assert subject_for(item, index) is not None
    assert subject_for(item, index).base.path == "/items/0"  # type: ignore[union-attr]
    # With ids harvested, one that exists: the earliest harvested wins a tie.
    assert subject_for(item, index, ["alpha", 1, 0]).base.path == "/items/1"  # type: ignore[union-attr]
    listing = subject_for(by_key["GET /items"], index)
    assert listing is not None and listing.query == (("limit", ("10",)),)
    assert subject_for(by_key["GET /report"], index).headers == ("Accept",)  # type: ignore[union-attr]


def test_a_path_is_probed_by_its_first_selected_operation() -> None:
    operations = _operations()
    by_key = {op.key: op for op in operations}
    index = PathIndex(operations, [by_key["POST /items"], by_key["GET /report"]])
    assert index.owns(by_key["POST /items"]) and not index.owns(by_key["GET /items"])
    assert index.methods(by_key["GET /items/{item_id}"]) == frozenset({"GET"})


def test_what_the_base_request_shows_too_is_not_the_probes() -> None:
    base = Outcome(Response(200), Response(200), [Difference(BODY, Level.ERROR, (P,), "m")])
    same = Outcome(Response(200), Response(200))
    assert shown_by_base(Difference(BODY, Level.ERROR, (P,), "x"), same, base)
    assert not shown_by_base(Difference(BODY, Level.ERROR, (Q,), "x"), same, base)
    other_statuses = Outcome(Response(200), Response(201))
    assert not shown_by_base(Difference(BODY, Level.ERROR, (P,), "x"), other_statuses, base)
    # An echoing app: the probe's difference holds the base's paths and its own.
    wider = Difference(BODY, Level.ERROR, (P, Q), "body differs at $.a, $.b")
    assert probes_own(wider, same, base) == Difference(
        BODY, Level.ERROR, (Q,), "body differs at $.b"
    )


P, Q = ResponsePath.parse("$.a"), ResponsePath.parse("$.b")


def test_refused_by_the_legacy_app_is_a_warning_unless_the_port_crashed() -> None:
    refused = outside_contract(STATUS_DIFF, Outcome(Response(404), Response(405)))
    assert (refused.level, refused.message) == (
        Level.WARNING,
        "status 404 vs 405: both refuse a request outside the baseline's contract",
    )
    widened = outside_contract(STATUS_DIFF, Outcome(Response(404), Response(200)))
    assert widened.message.endswith("(a widening)") and widened.level is Level.WARNING
    accepted = outside_contract(STATUS_DIFF, Outcome(Response(200), Response(405)))
    assert accepted is STATUS_DIFF  # real clients may rely on what the legacy app accepted
    crash = Difference(CRASH, Level.ERROR, (STATUS_PATH,), "only the candidate crashed")
    assert outside_contract(crash, Outcome(Response(404), Response(500))) is crash


def test_per_path_probes_are_filed_once_under_the_method_they_send() -> None:
    report = run(
        target_for_factory(bookshop_flask.create_app, "flask"),
        target_for_factory(bookshop_fastapi.create_app, "fastapi"),
        max_examples=2,
        seed=1,
        probes="options,method-not-allowed",
        include=("GET /books/{id}", "DELETE /books/{id}"),
    )
    assert [(f.operation, f.probe, f.id, f.level) for f in report.findings] == [
        ("OPTIONS /books/{book_id}", "options", "status-mismatch", Level.ERROR),
        ("PATCH /books/{book_id}", "method-not-allowed", "header-mismatch", Level.WARNING),
    ]
    assert report.meta["summary"]["probe_cases"] == 4  # two base requests, one per probe
    assert report.meta["probes"] == ["options", "method-not-allowed"]


def test_an_operation_one_side_lacks_is_not_probed() -> None:
    report = run(
        target_for_factory(bookshop_flask.create_app, "flask"),
        target_for_factory(bookshop_fastapi.create_drifted_app, "fastapi"),
        max_examples=2,
        seed=1,
        probes="all",
        include=("DELETE /books/{id}",),
    )
    assert [(f.id, f.probe) for f in report.findings] == [("missing-operation", None)]
    assert report.meta["summary"]["probe_cases"] == 1


def test_a_path_the_base_shows_with_other_values_is_the_probes() -> None:
    def json_response(document: object) -> Response:
        return Response(200, (("Content-Type", "application/json"),), json.dumps(document).encode())

    json_path = ResponsePath.parse("$.json")
    base = Outcome(
        json_response({"json": None}),
        json_response({"json": ""}),
        [Difference(BODY, Level.ERROR, (json_path,), "body differs at $.json")],
    )
    probe = Outcome(json_response({"json": {"a": 1}}), json_response({"json": '{"a": 1}'}))
    diff = Difference(BODY, Level.ERROR, (json_path,), "body differs at $.json")
    assert probes_own(diff, probe, base) == diff
    assert value_at(probe.candidate, json_path) == '{"a": 1}'
    assert value_at(probe.baseline, ResponsePath.parse("$.json.a")) == 1
