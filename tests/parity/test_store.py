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
    store.save("GET /books/{id}", "positive", REQUEST)
    store.save("GET /books/{id}", "positive", binary)
    assert sorted(store.requests("GET /books/{id}", "positive"), key=repr) == sorted(
        [REQUEST, binary], key=repr
    )
    # A positive run never replays what a negative run stored.
    assert store.requests("GET /books/{id}", "negative") == []
    assert store.requests("POST /other", "positive") == []
    store.forget("GET /books/{id}", "positive", REQUEST)
    assert store.requests("GET /books/{id}", "positive") == [binary]


def test_unreadable_values_are_dropped(tmp_path: Path) -> None:
    store = DriftStore.at(str(tmp_path / "db"))
    store.database.save(b"contract-tools:drift:positive:GET /a", b"not json")
    assert store.requests("GET /a", "positive") == []
    assert list(store.database.fetch(b"contract-tools:drift:positive:GET /a")) == []


def test_a_location_that_cannot_be_a_store_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(UsageError) as info:
        DriftStore.at(str(tmp_path / "file"))
    assert str(info.value) == f"--database {tmp_path / 'file'}: not a directory"
    with pytest.raises(UsageError, match="cannot create it"):
        DriftStore.at(str(tmp_path / "file" / "below"))


def test_redis_without_the_package_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="Redis needs the 'redis' package"):
        DriftStore.at("redis://127.0.0.1:1/0")


def _run(candidate: object, database: Path | None, seed: int, examples: int) -> object:
    baseline = target_for_factory(bookshop_flask.create_app, "flask")
    cand = target_for_factory(candidate, "fastapi")  # type: ignore[arg-type]
    return run(
        baseline,
        cand,
        max_examples=examples,
        seed=seed,
        database=str(database) if database else None,
    )


def test_stored_drifts_are_reported_apart_and_forgotten_once_fixed(tmp_path: Path) -> None:
    database = tmp_path / "drifts"
    first = _run(bookshop_fastapi.create_drifted_app, database, seed=7, examples=25)
    found = {(f.operation, f.id) for f in first.findings}  # type: ignore[attr-defined]
    store = DriftStore.at(str(database))
    stored = {
        op for op, _ in found if store.requests(op, "positive") + store.requests(op, "negative")
    }
    assert stored == {op for op, _ in found}
    # Another seed, one example per operation: the seeded findings are what that seed finds,
    # the same as without a store; what only the store shows is listed apart.
    without = _run(bookshop_fastapi.create_drifted_app, None, seed=99, examples=1)
    again = _run(bookshop_fastapi.create_drifted_app, database, seed=99, examples=1)
    assert [f.key for f in again.findings] == [  # type: ignore[attr-defined]
        f.key
        for f in without.findings  # type: ignore[attr-defined]
    ]
    earlier = {(f["operation"], f["id"]) for f in again.meta["seen_before"]}  # type: ignore[attr-defined]
    assert earlier | {(f.operation, f.id) for f in again.findings} >= found  # type: ignore[attr-defined]
    # The faithful port: every stored request now agrees, so the store empties itself.
    fixed = _run(bookshop_fastapi.create_app, database, seed=99, examples=1)
    assert fixed.findings == () and fixed.meta["seen_before"] == []  # type: ignore[attr-defined]
    assert all(store.requests(op, m) == [] for op in stored for m in ("positive", "negative"))


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
