"""Values from responses: what joins the pool, in which order, and the search drift that only
harvested values find (a port whose title search became case-sensitive)."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from contract_tools._parity.harvest import (
    INTEGER_MUTATIONS,
    STRING_MUTATIONS,
    Snapshot,
    ValuePool,
    Values,
    example_values,
    harvested,
    leaves,
    text_shape,
)
from contract_tools._parity.session import target_for_factory
from contract_tools.models import Level, Report, Response
from tests.parity.apps import tasks_fastapi, tasks_flask
from tests.parity.running import run


def answer(document: object) -> Response:
    return Response(200, (("Content-Type", "application/json"),), json.dumps(document).encode())


def script(*choices: int) -> Callable[[int], int]:
    """A ``choose`` that answers the given choices in order (each within its bound)."""
    answers = iter(choices)

    def choose(n: int) -> int:
        value = next(answers)
        assert 0 <= value < n
        return value

    return choose


def test_leaves_are_scalars_in_document_order_without_bools_or_nulls() -> None:
    document = {"a": [1, "x", {"b": True, "c": None, "d": 2.5}], "e": "", "f": "y"}
    assert leaves(document) == [1, "x", 2.5, "y"]
    assert leaves(list(range(10)), limit=3) == [0, 1, 2]


def test_a_value_joins_once_both_sides_have_answered_it() -> None:
    pool = ValuePool()
    pool.take(answer({"id": 7, "title": "Dune"}), answer({"id": 7, "name": "Dune", "x": "b"}))
    assert pool.values() == (7, "Dune")
    # A value only one side shows (a generated id, a drift) stays out until the other shows it.
    pool.take(answer({"request_id": "a1", "other": "b"}), answer({"request_id": "z9"}))
    assert pool.values() == (7, "Dune", "b")
    pool.take(answer([7, "Dune"]), answer([7]))
    assert pool.values() == (7, "Dune", "b")


def test_times_of_day_control_characters_and_non_json_stay_out() -> None:
    pool = ValuePool()
    stamp = "2026-01-02T10:11:12Z"
    pool.take(answer([stamp, "a\nb", 1.0, 1]), answer([stamp, "a\nb", 1.0, 1]))
    assert pool.values() == (1.0, 1)  # 1 and 1.0 are different values in a request
    text = Response(200, (("Content-Type", "text/plain"),), b"plain")
    pool.take(text, text)
    assert pool.values() == (1.0, 1)


def test_spec_examples_join_at_once_property_names_are_not_keywords() -> None:
    document = {
        "paths": {
            "/b/{id}": {
                "get": {
                    "parameters": [{"name": "id", "in": "path", "example": 12}],
                    "responses": {
                        "200": {
                            "content": {
                                "application/json": {
                                    "examples": {"one": {"value": {"title": "Emma"}}},
                                    "schema": {
                                        "properties": {"example": {"type": "string"}},
                                        "examples": [{"year": 1815}],
                                    },
                                }
                            }
                        }
                    },
                }
            }
        }
    }
    assert example_values(document) == [12, "Emma", 1815]
    pool = ValuePool()
    pool.add_examples(document)
    assert pool.values() == (12, "Emma", 1815)


def test_the_pool_is_bounded() -> None:
    pool = ValuePool(limit=2)
    pool.take(answer([1, 2, 3]), answer([1, 2, 3]))
    assert pool.values() == (1, 2)


def test_a_snapshot_freezes_at_its_first_read() -> None:
    pool = ValuePool()
    pool.add("a")
    snapshot = Snapshot(pool)
    assert snapshot.values() == Values(("a",))
    pool.add("b")
    assert snapshot.values() == Values(("a",))  # the shrinker replays the same draws
    assert Snapshot(pool).values() == Values(("a", "b"))


def test_harvested_values_keep_the_slot_kind_and_mutate() -> None:
    values = Values.of(("Renew passport", 4, 2.5))
    assert values == Values(("Renew passport",), (4,), (4.0, 2.5))
    upper = STRING_MUTATIONS.index(str.upper)
    assert harvested("x", values, script(0, upper)) == "RENEW PASSPORT"
    assert harvested("x", values, script(0, 6)) == "passport"  # the middle word
    assert harvested(3, values, script(0, 1)) == 5  # a neighbour
    assert harvested(True, values, script()) is None
    assert harvested(3, Values(("a",)), script()) is None
    assert len(INTEGER_MUTATIONS) == 4


@pytest.mark.parametrize(
    ("text", "shape"), [("12", 12), ("-3", -3), ("1.5", 1.5), ("abc", "abc"), ("1e5", "1e5")]
)
def test_text_shapes(text: str, shape: object) -> None:
    assert text_shape(text) == shape


def _search(seed: int) -> Report:
    return run(
        target_for_factory(tasks_flask.create_app, "flask"),
        target_for_factory(tasks_fastapi.create_app, "fastapi"),
        seed=seed,
        include=("GET /tasks",),
    )


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_a_case_sensitive_search_is_found_with_the_default_budget(seed: int) -> None:
    """Random strings of three or more letters never match a stored title in another case;
    titles harvested from the listing, upper- or lower-cased, do."""
    report = _search(seed)
    assert report.meta["max_examples"] == 100 and report.meta["mode"] == "all"
    assert [(f.id, f.operation, f.level, f.subject) for f in report.findings] == [
        ("body-mismatch", "GET /tasks", Level.ERROR, ("$.count", "$.items[*]"))
    ]
    [finding] = report.findings
    assert finding.exchange is not None
    q = dict(finding.exchange.request.query)["q"]
    titles = [str(task["title"]) for task in tasks_flask.SEED_TASKS]
    assert any(q.lower() in title.lower() and q not in title for title in titles)


def test_a_seed_repeats_a_run_with_harvested_values() -> None:
    first, second = _search(1), _search(1)
    assert [f.to_dict() for f in first.findings] == [f.to_dict() for f in second.findings]
    assert first.meta["summary"]["cases"] == second.meta["summary"]["cases"]
