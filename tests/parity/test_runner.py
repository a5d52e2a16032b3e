from __future__ import annotations

from typing import Any

import pytest

from contract_tools._parity.session import target_for_app, target_for_factory
from contract_tools.errors import UsageError
from contract_tools.models import Event, Level, Report
from tests.parity.apps import bookshop_fastapi, bookshop_flask, mounted
from tests.parity.running import run

OPTIONS: dict[str, Any] = {"max_examples": 25, "seed": 7}


def _run(candidate: Any, events: list[Event] | None = None, **settings: Any) -> Report:
    baseline = target_for_factory(bookshop_flask.create_app, "flask")
    cand = target_for_factory(candidate, "fastapi")
    return run(baseline, cand, events=events, **{**OPTIONS, **settings})


def test_faithful_port_has_no_finding_and_timestamps_are_noise() -> None:
    events: list[Event] = []
    report = _run(bookshop_fastapi.create_app, events=events)
    assert report.findings == ()
    assert report.skipped == ()
    # Learned per request shape: generated bodies with other (identifier-like) keys are
    # shapes of their own. A single request sees two fresh ids as noise; the stateful phase
    # pairs each side's id with the other's, so only the timestamp is noise to it.
    assert report.noise[:1] == (
        {"operation": "GET /health", "shape": "2xx", "paths": ["$.checked_at", "$.request_id"]},
    )
    notes = {(e["operation"], tuple(e["paths"])) for e in report.noise[1:]}
    assert notes == {("POST /notes", ("$.created_at", "$.id")), ("POST /notes", ("$.created_at",))}
    assert "body={text} 2xx" in {e.get("shape") for e in report.noise}
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
    found = {(f.id, f.operation, f.level, f.subject) for f in report.findings}
    assert found == {
        ("crash", "GET /health", Level.ERROR, ("crash on candidate",)),
        ("header-mismatch", "GET /books", Level.WARNING, ("header:x-total-count",)),
        ("body-mismatch", "GET /books/{book_id}", Level.ERROR, ("$.year",)),
        ("status-mismatch", "POST /notes", Level.ERROR, ("status 201 -> 200",)),
        ("missing-operation", "DELETE /books/{book_id}", Level.ERROR, ("missing on candidate",)),
    }
    status = next(f for f in report.findings if f.id == "status-mismatch")
    # Shrunk to the smallest valid note; both answers and reproductions are attached.
    assert status.exchange is not None and status.reproduction is not None
    assert status.exchange.request.body == b'{"text": ""}'
    assert (status.exchange.baseline.status, status.exchange.candidate.status) == (201, 200)
    assert dict(status.reproduction.curl)["baseline"].startswith(
        "curl --path-as-is --globoff -X POST"
    )
    assert "def test_post_notes_status_mismatch():" in status.reproduction.pytest
    crash = next(f for f in report.findings if f.id == "crash")
    assert crash.exchange is not None and crash.exchange.candidate.crash is not None
    assert "RuntimeError: health check forgot its database" in crash.exchange.candidate.crash


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
    report = _run(
        bookshop_fastapi.create_drifted_app,
        max_examples=10,
        seed=1,
        include=("GET /books/{id}", "GET /health"),
        exclude=("GET /health",),
        ignore_paths={"GET /books/{book_id}": ("$.year",)},
    )
    assert report.meta["summary"]["operations"] == 1
    assert report.findings == ()


def test_shared_instances_and_shrinking_off() -> None:
    baseline = target_for_app(bookshop_flask.create_app(), "flask")
    candidate = target_for_app(bookshop_fastapi.create_drifted_app(), "fastapi")
    report = run(
        baseline, candidate, max_examples=10, seed=3, shrink=False, include=("GET /books/{id}",)
    )
    assert [(f.id, f.subject) for f in report.findings] == [("body-mismatch", ("$.year",))]


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
    report = run(baseline, candidate, {"baseline": doc, "candidate": doc}, **OPTIONS)
    assert [s["operation"] for s in report.skipped] == ["GET /broken"]
    assert report.skipped[0]["reason"]
    assert report.meta["summary"]["operations"] == 2
    assert report.findings == ()


def test_include_matching_nothing_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match=r"^--include matched no operation$"):
        _run(bookshop_fastapi.create_app, include=("GET /nowhere",))


@pytest.mark.parametrize("n", [1, 2, 3])
def test_shards_partition_the_operations(n: int) -> None:
    seen: list[str] = []
    for k in range(1, n + 1):
        events: list[Event] = []
        _run(bookshop_fastapi.create_app, events, max_examples=2, shard=(k, n), shrink=False)
        seen.extend(e.operation for e in events if e.kind == "operation")
    # Every operation exactly once across the N shards.
    assert sorted(seen) == [
        "DELETE /books/{book_id}",
        "GET /books",
        "GET /books/{book_id}",
        "GET /health",
        "POST /notes",
    ]
