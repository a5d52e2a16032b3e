from __future__ import annotations

import itertools

from contract_tools._parity.noise import NoiseBook, can_probe, probe, request_shape
from contract_tools._parity.normalize import Normalizer
from contract_tools._parity.targets import Target
from contract_tools.models import Request, Response, ResponsePath

P = ResponsePath.parse


class _Counter(Target):
    """Answers with a growing counter: every second answer differs at $.n."""

    def __init__(self, fresh: bool) -> None:
        self.fresh_per_case = fresh
        self.sent: list[Request] = []
        self._n = itertools.count()

    def send(self, request: Request) -> Response:
        self.sent.append(request)
        body = f'{{"n": {next(self._n)}, "fixed": 1}}'.encode()
        return Response(200, (("Content-Type", "application/json"),), body)


def test_shared_instance_repeats_only_safe_methods() -> None:
    shared = _Counter(fresh=False)
    post = Request.build("POST", "/x")
    get = Request.build("GET", "/x")
    assert not can_probe(shared, post)
    assert probe(shared, post, shared.send(post), Normalizer()) is None
    assert len(shared.sent) == 1  # the POST was never repeated
    assert probe(shared, get, shared.send(get), Normalizer()) == {P("$.n")}


def test_factory_targets_repeat_anything() -> None:
    fresh = _Counter(fresh=True)
    post = Request.build("POST", "/x")
    assert probe(fresh, post, fresh.send(post), Normalizer()) == {P("$.n")}


def test_noise_book_learns_per_operation_and_applies_user_patterns() -> None:
    book = NoiseBook([("GET /books/{book_id}", "$.updated_at"), ("*", "trace_id")])
    book.learn("GET /books/{id}", {P("$.n")})
    ignored = book.filter("GET /books/{id}")
    assert [ignored(P(p)) for p in ("$.n", "$.updated_at", "$.trace_id", "$.title")] == [
        True,
        True,
        True,
        False,
    ]
    assert not book.filter("GET /other")(P("$.n"))
    assert book.to_report() == ({"operation": "GET /books/{id}", "paths": ["$.n"]},)


def test_filter_sees_newly_learned_noise() -> None:
    book = NoiseBook()
    assert not book.filter("GET /a")(P("$.x"))
    book.learn("GET /a", [P("$.x")])
    assert book.filter("GET /a")(P("$.x.y"))


def test_noise_is_learned_per_request_shape() -> None:
    book = NoiseBook()
    expand = request_shape(Request.build("GET", "/items", query=[("expand", "1")]), Response(200))
    plain = request_shape(Request.build("GET", "/items"), Response(200))
    assert (expand, plain) == ("query=expand 2xx", "2xx")
    book.learn("GET /items", [P("$.debug")], expand)
    # Noisy for ?expand=1 only: still compared for a plain GET /items.
    assert book.filter("GET /items", expand)(P("$.debug"))
    assert not book.filter("GET /items", plain)(P("$.debug"))


def test_a_shape_holds_body_keys_not_values_and_ignores_generated_junk_keys() -> None:
    body = b'{"title": "x", "year": 1, "\\u00e9\\u0001": 2}'
    request = Request.build("POST", "/books", body=body)
    assert request_shape(request, Response(201)) == "body={title,year} 2xx"
    assert request_shape(Request.build("POST", "/b", body=b"\xff"), Response(400)) == (
        "body=bytes 4xx"
    )
