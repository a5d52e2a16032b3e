from __future__ import annotations

from typing import Any

import pytest

from contract_tools.errors import UsageError
from contract_tools.models import Level
from contract_tools.parity.exchange import Request
from contract_tools.parity.runner import Event, ParityOptions, replay, resolve_specs, run_parity
from contract_tools.parity.targets import Target, target_for_app, target_for_factory
from tests.parity.apps import bookshop_fastapi, bookshop_flask, mounted

OPTIONS = ParityOptions(max_examples=25, seed=7)


def _run(
    candidate: Any, options: ParityOptions = OPTIONS, events: list[Event] | None = None
) -> Any:
    baseline = target_for_factory(bookshop_flask.create_app, "flask")
    cand = target_for_factory(candidate, "fastapi")
    specs = resolve_specs(baseline, cand)
    return run_parity(baseline, cand, specs, options, events.append if events is not None else None)


def test_faithful_port_has_no_finding_and_timestamps_are_noise() -> None:
    events: list[Event] = []
    report = _run(bookshop_fastapi.create_app, events=events)
    assert report.findings == ()
    assert report.skipped == ()
    assert report.noise == (
        {"operation": "GET /health", "paths": ["$.checked_at", "$.request_id"]},
        {"operation": "POST /notes", "paths": ["$.created_at", "$.id"]},
    )
    summary = report.meta["summary"]
    assert summary["seed"] == 7 and summary["operations"] == 5 and summary["cases"] > 20
    assert events[0].kind == "start" and events[-1].kind == "done"
    assert {e.operation for e in events if e.kind == "operation"} == {
        "GET /health",
        "GET /books",
        "GET /books/{book_id}",
        "POST /notes",
        "DELETE /books/{book_id}",
    }


def test_each_seeded_drift_is_found_once() -> None:
    report = _run(bookshop_fastapi.create_drifted_app)
    found = {(f.id, f.operation, f.level, tuple(f.details["paths"])) for f in report.findings}
    assert found == {
        ("crash", "GET /health", Level.ERROR, ("status",)),
        ("header-mismatch", "GET /books", Level.WARNING, ("header:x-total-count",)),
        ("body-mismatch", "GET /books/{book_id}", Level.ERROR, ("$.year",)),
        ("status-mismatch", "POST /notes", Level.ERROR, ("status",)),
        ("missing-operation", "DELETE /books/{book_id}", Level.ERROR, ("status",)),
    }
    status = next(f for f in report.findings if f.id == "status-mismatch")
    # Shrunk to the smallest valid note; both answers and reproductions are attached.
    assert status.details["request"]["body"] == '{"text": ""}'
    assert (status.details["baseline"]["status"], status.details["candidate"]["status"]) == (
        201,
        200,
    )
    assert status.details["curl"]["baseline"].startswith("curl --path-as-is -X POST")
    assert "def test_post_notes_status_mismatch():" in status.details["pytest"]
    crash = next(f for f in report.findings if f.id == "crash")
    assert "RuntimeError: health check forgot its database" in crash.details["candidate"]["crash"]


def test_same_seed_same_report() -> None:
    first = _run(bookshop_fastapi.create_drifted_app)
    second = _run(bookshop_fastapi.create_drifted_app)
    assert [f.to_dict() | {"details": None} for f in first.findings] == [
        f.to_dict() | {"details": None} for f in second.findings
    ]


def test_flask_mounted_in_fastapi_matches_itself() -> None:
    report = _run(mounted.create_app)
    assert report.findings == ()


def test_include_exclude_and_user_ignore_paths() -> None:
    options = ParityOptions(
        max_examples=10,
        seed=1,
        include=("GET /books/{id}", "GET /health"),
        exclude=("GET /health",),
        ignore_paths=(("GET /books/{book_id}", "$.year"),),
    )
    report = _run(bookshop_fastapi.create_drifted_app, options)
    assert report.meta["summary"]["operations"] == 1
    assert report.findings == ()


def test_shared_instances_and_shrinking_off() -> None:
    baseline = target_for_app(bookshop_flask.create_app(), "flask")
    candidate = target_for_app(bookshop_fastapi.create_drifted_app(), "fastapi")
    specs = resolve_specs(baseline, candidate)
    options = ParityOptions(max_examples=10, seed=3, shrink=False, include=("GET /books/{id}",))
    report = run_parity(baseline, candidate, specs, options)
    assert [(f.id, f.details["paths"]) for f in report.findings] == [("body-mismatch", ["$.year"])]


def test_ungeneratable_operation_is_skipped_and_the_run_goes_on() -> None:
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/broken": {
                "get": {
                    "parameters": [{"$ref": "#/components/parameters/nope"}],
                    "responses": {"200": {"description": "ok"}},
                }
            },
            "/health": {"get": {"responses": {"200": {"description": "ok"}}}},
        },
    }
    baseline = target_for_factory(bookshop_flask.create_app)
    candidate = target_for_factory(bookshop_fastapi.create_app)
    report = run_parity(baseline, candidate, {"baseline": doc, "candidate": doc}, OPTIONS)
    assert [s["operation"] for s in report.skipped] == ["GET /broken"]
    assert report.skipped[0]["reason"]
    assert report.meta["summary"]["operations"] == 2
    assert report.findings == ()


def test_bad_options_are_usage_errors() -> None:
    target: Target = target_for_app(bookshop_flask.create_app())
    with pytest.raises(UsageError):
        run_parity(target, target, {"baseline": None}, ParityOptions(mode="odd"))
    with pytest.raises(UsageError):
        run_parity(target, target, {"baseline": None}, ParityOptions(max_examples=0))


def test_replay_reproduces_a_drift() -> None:
    request = Request.build("GET", "/books/1", headers=[("Host", "localhost")])
    base = "tests.parity.apps.bookshop_flask:create_app()"
    assert replay(base, base, request) == []
    [diff] = replay(base, "tests.parity.apps.bookshop_fastapi:create_drifted_app()", request)
    assert diff.paths == ("$.year",)


@pytest.mark.parametrize("n", [1, 2, 3])
def test_shards_partition_the_operations(n: int) -> None:
    seen: list[str] = []
    for k in range(1, n + 1):
        events: list[Event] = []
        _run(
            bookshop_fastapi.create_app,
            ParityOptions(max_examples=2, seed=7, shard=(k, n), shrink=False),
            events,
        )
        seen.extend(e.operation for e in events if e.kind == "operation")
    # Every operation exactly once across the N shards.
    assert sorted(seen) == [
        "DELETE /books/{book_id}",
        "GET /books",
        "GET /books/{book_id}",
        "GET /health",
        "POST /notes",
    ]


@pytest.mark.parametrize("shard", [(0, 2), (3, 2), (1, 0)])
def test_bad_shard_is_a_usage_error(shard: tuple[int, int]) -> None:
    with pytest.raises(UsageError, match="--shard must be K/N"):
        _run(bookshop_fastapi.create_app, ParityOptions(max_examples=1, shard=shard))


def _example_pair_run(options: ParityOptions) -> Any:
    baseline = target_for_factory(_example_flask, "examples.legacy_flask:create_app()")
    candidate = target_for_factory(_example_fastapi, "examples.fastapi_port:create_app()")
    return run_parity(baseline, candidate, resolve_specs(baseline, candidate), options)


def _example_flask() -> Any:
    from examples.legacy_flask import create_app

    return create_app()


def _example_fastapi() -> Any:
    from examples.fastapi_port import create_app

    return create_app()


def test_shrinking_starts_from_the_found_example_and_reaches_a_minimal_request() -> None:
    # Negative mode: a negative id (outside the legacy contract: Werkzeug's int is unsigned)
    # with a body the port refuses (400) where Flask never routed (404); shrinking from the
    # first one found gives the smallest refused id and a short body. (Positive draws no longer
    # produce such bodies: the legacy draft declares the body both sides validate.)
    options = ParityOptions(
        max_examples=25, seed=1, mode="negative", include=("PUT /books/{id}",), coverage=False
    )
    report = _example_pair_run(options)
    [finding] = report.findings
    request = finding.details["request"]
    assert request["path"] == "/books/-1"
    assert len(request["body"]) < 100
    assert "outside the baseline's contract" in finding.message  # still the same finding
    summary = report.meta["summary"]
    assert 0 < summary["cases"] <= 25 and 0 < summary["shrink_cases"] <= options.shrink_budget


def test_shrink_budget_bounds_the_requests_sent_while_shrinking() -> None:
    options = ParityOptions(
        max_examples=25,
        seed=1,
        mode="negative",
        include=("PUT /books/{id}",),
        shrink_budget=3,
        coverage=False,
    )
    report = _example_pair_run(options)
    [finding] = report.findings
    assert report.meta["summary"]["shrink_cases"] <= 3
    assert finding.details["request"]["path"].startswith("/books/-")  # a smaller one, or the first


def test_an_in_contract_case_raises_an_out_of_contract_finding_to_error() -> None:
    """Order forced: the warning (outside the legacy contract) is seen first, the error later."""
    from contract_tools.parity.compare import STATUS, Difference
    from contract_tools.parity.exchange import Response
    from contract_tools.parity.generate import Operation
    from contract_tools.parity.runner import _Outcome, _Run

    baseline = target_for_factory(bookshop_flask.create_app, "flask")
    candidate = target_for_factory(bookshop_fastapi.create_app, "fastapi")
    run = _Run(baseline, candidate, {}, ParityOptions(), None)
    op = Operation("GET /items/{id}", "GET", "/items/{id}")
    outside, inside = Request.build("GET", "/items/-1"), Request.build("GET", "/items/7")
    widened = _Outcome(Response(404), Response(200))
    changed = _Outcome(Response(200), Response(201))
    warning = Difference(STATUS, Level.WARNING, ("status",), "404 vs 200: a widening")
    error = Difference(STATUS, Level.ERROR, ("status",), "status 200 (baseline) vs 201 (candidate)")
    run._record(op, warning, outside, widened)
    sig = run._record(op, error, inside, changed)
    assert (sig.level, sig.message, sig.request, sig.count) == (
        Level.ERROR,
        error.message,
        inside,
        2,
    )
    assert (sig.baseline, sig.candidate) == (changed.baseline, changed.candidate)
    # A later, lower-level case never lowers the finding or replaces its example.
    sig = run._record(op, warning, outside, widened)
    assert (sig.level, sig.request, sig.count) == (Level.ERROR, inside, 3)


def test_the_pytest_snippet_fails_while_the_drift_exists_and_passes_once_fixed() -> None:
    """POST /books/ answers carry a fresh created_at: the snippet must ignore it as the run did."""
    baseline = target_for_factory(
        lambda: __import__("examples.legacy_flask", fromlist=["create_app"]).create_app(),
        "examples.legacy_flask:create_app()",
    )
    candidate = target_for_factory(
        lambda: __import__("examples.fastapi_port", fromlist=["create_app"]).create_app(),
        "examples.fastapi_port:create_app()",
    )
    # 100: a valid book needs an existing author_id, which seed 1 first draws within 100.
    options = ParityOptions(max_examples=100, seed=1, mode="positive", include=("POST /books/",))
    report = run_parity(baseline, candidate, resolve_specs(baseline, candidate), options)
    (finding,) = [f for f in report.findings if f.id == "status-mismatch"]
    snippet = finding.details["pytest"]
    assert "ignore=['$.created_at']" in snippet
    namespace: dict[str, Any] = {}
    exec(compile(snippet, "<snippet>", "exec"), namespace)
    test = next(v for k, v in namespace.items() if k.startswith("test_"))
    with pytest.raises(AssertionError):
        test()  # 201 vs 200 still there
    fixed = snippet.replace(
        "'examples.fastapi_port:create_app()'", "'examples.legacy_flask:create_app()'"
    )
    exec(compile(fixed, "<fixed>", "exec"), namespace)
    test = next(v for k, v in namespace.items() if k.startswith("test_"))
    test()  # the port "fixed": only created_at differs, which the run learned is noise
