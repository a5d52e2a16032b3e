"""The drift store: found drifts are kept, replayed first next run, and forgotten when fixed."""

from __future__ import annotations

from pathlib import Path

import pytest

from contract_tools._parity.session import target_for_factory
from contract_tools._parity.store import DriftStore
from contract_tools.errors import UsageError
from contract_tools.models import Request
from tests.parity.apps import bookshop_fastapi, bookshop_flask
from tests.parity.running import run

REQUEST = Request.build("GET", "/books/1", query=[("q", "a b")], headers=[("Host", "localhost")])


def test_store_round_trip_and_forget(tmp_path: Path) -> None:
    store = DriftStore.at(str(tmp_path / "db"))
    binary = Request.build("POST", "/x", body=b"\xff\x00")
    store.save("GET /books/{id}", REQUEST)
    store.save("GET /books/{id}", binary)
    assert sorted(store.requests("GET /books/{id}"), key=repr) == sorted(
        [REQUEST, binary], key=repr
    )
    assert store.requests("POST /other") == []
    store.forget("GET /books/{id}", REQUEST)
    assert store.requests("GET /books/{id}") == [binary]


def test_unreadable_values_are_dropped(tmp_path: Path) -> None:
    store = DriftStore.at(str(tmp_path / "db"))
    store.database.save(b"contract-tools:drift:GET /a", b"not json")
    assert store.requests("GET /a") == []
    assert list(store.database.fetch(b"contract-tools:drift:GET /a")) == []


def test_redis_without_the_package_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="Redis needs the 'redis' package"):
        DriftStore.at("redis://127.0.0.1:1/0")


def _run(candidate: object, database: Path, seed: int, examples: int) -> object:
    baseline = target_for_factory(bookshop_flask.create_app, "flask")
    cand = target_for_factory(candidate, "fastapi")  # type: ignore[arg-type]
    return run(baseline, cand, max_examples=examples, seed=seed, database=str(database))


def test_a_drift_found_once_is_replayed_first_then_forgotten_once_fixed(tmp_path: Path) -> None:
    database = tmp_path / "drifts"
    first = _run(bookshop_fastapi.create_drifted_app, database, seed=7, examples=25)
    found = {(f.operation, f.id) for f in first.findings}  # type: ignore[attr-defined]
    store = DriftStore.at(str(database))
    stored = {op for op, _ in found if store.requests(op)}
    assert stored == {op for op, _ in found}
    # One example per operation and another seed: only the stored requests can show the drifts.
    again = _run(bookshop_fastapi.create_drifted_app, database, seed=99, examples=1)
    assert {(f.operation, f.id) for f in again.findings} >= found  # type: ignore[attr-defined]
    # The faithful port: every stored request now agrees, so the store empties itself.
    fixed = _run(bookshop_fastapi.create_app, database, seed=99, examples=1)
    assert fixed.findings == ()  # type: ignore[attr-defined]
    assert all(store.requests(op) == [] for op in stored)


def test_request_dict_round_trip_is_exact() -> None:
    long_body = ("x" * 5000).encode()
    for request in (
        REQUEST,
        Request.build("POST", "//a/../b", body=b"\xff"),
        Request.build("PUT", "/p", body=long_body),
    ):
        assert Request.from_dict(request.to_dict()) == request
    with pytest.raises(ValueError, match="not a recorded request"):
        Request.from_dict({"path": "/x"})
