"""sequences: plans drawn from links, played on one side with that side's own ids."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contract_tools._parity.generate import merge_operations
from contract_tools._parity.links import Link, infer_links, parameters
from contract_tools._parity.sequences import Plan, Planner, Step, fill, play, size
from contract_tools._parity.session import resolve_specs, target_for_app, target_for_factory
from contract_tools.models import Request, Response
from tests.parity.apps import notes_fastapi, notes_flask

HOST = (("Host", "localhost"),)


@pytest.fixture(scope="module")
def planner() -> Planner:
    base = target_for_factory(notes_flask.create_app)
    cand = target_for_factory(notes_fastapi.create_app)
    specs = resolve_specs(base, cand)
    ops = merge_operations(specs)
    return Planner(ops, infer_links(ops, specs))


def test_fill_sets_one_parameter_of_a_rendered_path() -> None:
    assert fill("/notes/abc/archive", "/notes/{note_id}/archive", "note_id", "x y/z") == (
        "/notes/x%20y%2Fz/archive"
    )
    assert fill("/a/1/b/2", "/a/{x}/b/{y}", "y", 7) == "/a/1/b/7"
    assert fill("/elsewhere", "/a/{x}", "x", 1) is None
    assert fill("/a/1", "/a/{x}", "nope", 1) is None


def _link(source: str, target: str, template: str) -> Link:
    return Link(source, target, template, parameters(template)[0], ("body:/id",))


def _answer(status: int, body: Any) -> Response:
    return Response(status, (("Content-Type", "application/json"),), json.dumps(body).encode())


def test_each_side_fills_links_from_its_own_latest_answer() -> None:
    create = Step("POST /n", Request.build("POST", "/n", headers=HOST))
    read = Step(
        "GET /n/{id}",
        Request.build("GET", "/n/drawn", headers=HOST),
        (_link("POST /n", "GET /n/{id}", "/n/{id}"),),
    )
    plan: Plan = (create, create, read)
    made = iter(["first", "second"])

    def send(request: Request) -> Response:
        if request.method == "POST":
            return _answer(201, {"id": next(made)})
        return _answer(200, {"path": request.path})

    played = play(plan, send)
    assert [r.path for r in played.requests] == ["/n", "/n", "/n/second"]
    (binding,) = played.bindings[2]
    assert (binding.parameter, binding.step, binding.extractor, binding.value) == (
        "id",
        2,
        "body:/id",
        "second",
    )
    # Nothing made an id (an error answer): the drawn value stays, as a single request's would.
    failed = play(plan, lambda request: _answer(400, {"id": "no"}))
    assert failed.requests[2].path == "/n/drawn" and failed.bindings[2] == ()


def test_plans_start_by_creating_and_every_later_step_is_fed(planner: Planner) -> None:
    assert planner.first_steps == ["POST /notes"]
    assert planner.eligible([]) == ["GET /notes", "POST /notes"]
    assert len(planner.eligible(["POST /notes"])) == 6
    strategy = planner.strategy(5)
    assert strategy is not None

    @settings(max_examples=30, deadline=None, database=None)
    @given(strategy)
    def check(plan: Plan) -> None:
        assert 1 <= len(plan) <= 5
        assert plan[0].operation == "POST /notes"
        for index, step in enumerate(plan):
            earlier = {s.operation for s in plan[:index]}
            for name in parameters(planner.ops[step.operation].path):
                assert any(link.parameter == name and link.source in earlier for link in step.links)

    check()


def test_skeletons_are_every_create_change_read_order(planner: Planner) -> None:
    orders = [[s.operation for s in plan] for plan in planner.skeletons(100)]
    assert orders == [
        ["POST /notes", "DELETE /notes/{note_id}"],
        ["POST /notes", "GET /notes/{note_id}"],
        ["POST /notes", "PATCH /notes/{note_id}"],
        ["POST /notes", "POST /notes/{note_id}/archive"],
        ["POST /notes", "DELETE /notes/{note_id}", "GET /notes"],
        ["POST /notes", "DELETE /notes/{note_id}", "GET /notes/{note_id}"],
        ["POST /notes", "PATCH /notes/{note_id}", "GET /notes"],
        ["POST /notes", "PATCH /notes/{note_id}", "GET /notes/{note_id}"],
        ["POST /notes", "POST /notes/{note_id}/archive", "GET /notes"],
        ["POST /notes", "POST /notes/{note_id}/archive", "GET /notes/{note_id}"],
    ]
    assert len(planner.skeletons(3)) == 3
    assert [[s.operation for s in p] for p in planner.reads()] == [["GET /notes"]]


def test_size_counts_steps_before_bytes() -> None:
    short = (Step("A", Request.build("POST", "/" + "x" * 50)),)
    long = (Step("A", Request.build("GET", "/")), Step("A", Request.build("GET", "/")))
    assert size(short) < size(long)


def _create(target: Any) -> tuple[int, int]:
    with target.sequence_state() as send:
        made = send(
            Request.build(
                "POST",
                "/notes",
                headers=(*HOST, ("Content-Type", "application/json"), ("Content-Length", "14")),
                body=b'{"title": "t"}',
            )
        )
        listed = send(Request.build("GET", "/notes", headers=HOST))
    return made.status, len(json.loads(listed.body))


@pytest.mark.parametrize("factory", [notes_flask.create_app, notes_fastapi.create_app])
def test_a_factory_gives_each_sequence_one_fresh_app(factory: Any) -> None:
    with target_for_factory(factory) as target:
        # Within a sequence the steps share the app; the next sequence starts empty.
        assert _create(target) == (201, 1)
        assert _create(target) == (201, 1)


@pytest.mark.parametrize("factory", [notes_flask.create_app, notes_fastapi.create_app])
def test_a_shared_instance_keeps_its_one_state(factory: Any) -> None:
    with target_for_app(factory()) as target:
        assert not target.fresh_per_case
        assert _create(target) == (201, 1)
        assert _create(target) == (201, 2)


@given(st.lists(st.sampled_from(["a", "b"]), max_size=3))
def test_a_plan_of_no_links_is_played_as_written(paths: list[str]) -> None:
    plan = tuple(Step("GET /x", Request.build("GET", f"/{p}")) for p in paths)
    played = play(plan, lambda request: _answer(200, {"path": request.path}))
    assert [r.path for r in played.requests] == [f"/{p}" for p in paths]
