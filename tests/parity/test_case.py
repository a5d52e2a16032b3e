"""One case: both sides asked, differences levelled, noise learned from a second answer."""

from __future__ import annotations

import itertools
from typing import Any

from contract_tools._parity.case import Judge
from contract_tools._parity.generate import merge_operations
from contract_tools._parity.noise import NoiseBook
from contract_tools._parity.normalize import Normalizer
from contract_tools._parity.targets import Target
from contract_tools.models import Level, Request, Response

JSON = (("Content-Type", "application/json"),)


def spec(*paths: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    parameters = [{"name": "id", "in": "path", "required": True, "schema": schema or {}}]
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            p: {
                "get": {
                    "parameters": parameters if "{id}" in p else [],
                    "responses": {"200": {"description": "ok"}},
                }
            }
            for p in paths
        },
    }


class Fixed(Target):
    """Answers every request with the next of ``answers`` (the last one repeats)."""

    def __init__(self, *answers: Response, fresh: bool = False) -> None:
        self.answers = itertools.chain(answers, itertools.repeat(answers[-1]))
        self.fresh_per_case = fresh
        self.sent: list[Request] = []

    def send(self, request: Request) -> Response:
        self.sent.append(request)
        return next(self.answers)


def judge(baseline: Target, candidate: Target, specs: dict[str, Any]) -> Judge:
    return Judge(baseline, candidate, specs, Normalizer.preset(), NoiseBook(), (("X-Key", "k"),))


def test_an_operation_only_the_baseline_has_is_a_missing_operation() -> None:
    specs = {"baseline": spec("/a"), "candidate": spec("/other")}
    op = next(o for o in merge_operations(specs) if o.path == "/a")
    outcome = judge(Fixed(Response(200)), Fixed(Response(404)), specs)(
        op, Request.build("GET", "/a")
    )
    [diff] = outcome.differences
    assert (diff.kind, diff.level, diff.message) == (
        "missing",
        Level.ERROR,
        "only the baseline has GET /a: the candidate answered 404",
    )


def test_a_request_outside_the_legacy_contract_refused_by_it_is_a_warning() -> None:
    specs = {"baseline": spec("/b/{id}", schema={"type": "integer", "minimum": 0})}
    [op] = merge_operations(specs)
    decide = judge(Fixed(Response(404)), Fixed(Response(422)), specs)
    [outside] = decide(op, Request.build("GET", "/b/-1")).differences
    assert outside.level is Level.WARNING
    assert outside.message == (
        "status 404 (baseline) vs 422 (candidate): both refuse a request outside the "
        "baseline's contract, with other statuses"
    )
    [inside] = decide(op, Request.build("GET", "/b/1")).differences
    assert inside.level is Level.ERROR


def test_headers_given_by_the_user_go_to_both_sides() -> None:
    specs = {"baseline": spec("/a")}
    [op] = merge_operations(specs)
    base, cand = Fixed(Response(200)), Fixed(Response(200))
    judge(base, cand, specs)(op, Request.build("GET", "/a"))
    assert base.sent[0].header("x-key") == cand.sent[0].header("x-key") == "k"


def test_what_the_baseline_disagrees_with_itself_on_is_noise_not_drift() -> None:
    specs = {"baseline": spec("/a")}
    [op] = merge_operations(specs)
    base = Fixed(
        Response(200, JSON, b'{"at": 1, "n": 1}'),
        Response(200, JSON, b'{"at": 2, "n": 1}'),
        fresh=True,
    )
    cand = Fixed(Response(200, JSON, b'{"at": 3, "n": 2}'))
    decide = judge(base, cand, specs)
    [diff] = decide(op, Request.build("GET", "/a")).differences
    assert [str(p) for p in diff.paths] == ["$.n"]
    assert decide.noise.to_report() == ({"operation": "GET /a", "shape": "2xx", "paths": ["$.at"]},)


def test_a_crash_of_the_baseline_alone_the_port_refuses_is_info() -> None:
    specs = {"baseline": spec("/a"), "candidate": spec("/a")}
    [op] = merge_operations(specs)
    crashed = Response(500, body=b"boom", crash="Traceback\nKeyError: 'x'\n")
    [diff] = judge(Fixed(crashed), Fixed(Response(422)), specs)(
        op, Request.build("GET", "/a")
    ).differences
    assert (diff.kind, diff.level, diff.about) == ("crash", Level.INFO, "crash on baseline")
    assert diff.message.endswith("the port handles what crashed the legacy app")
    # The opposite (the port crashes) stays an error, and is another drift.
    [other] = judge(Fixed(Response(422)), Fixed(crashed), specs)(
        op, Request.build("GET", "/a")
    ).differences
    assert (other.level, other.about) == (Level.ERROR, "crash on candidate")


def test_a_route_not_ported_that_both_answer_404_is_a_missing_operation() -> None:
    specs = {"baseline": spec("/a/{id}"), "candidate": spec("/other")}
    [op, _] = merge_operations(specs)
    base = Response(404, (("Content-Type", "application/json"),), b'{"error": "not found"}')
    cand = Response(404, (("content-type", "application/json"),), b'{"detail": "Not Found"}')
    [diff] = judge(Fixed(base), Fixed(cand), specs)(op, Request.build("GET", "/a/1")).differences
    assert (diff.kind, diff.about) == ("missing", "missing on candidate")
