"""window: several cases in flight to live servers, judged in the order they were drawn."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from contract_tools._parity.case import Judge, Outcome
from contract_tools._parity.generate import MergedOperation
from contract_tools._parity.noise import NoiseBook
from contract_tools._parity.normalize import Normalizer
from contract_tools._parity.targets import Target
from contract_tools._parity.window import Window, overlappable, window_for
from contract_tools.errors import AppLoadError
from contract_tools.models import Request, Response
from tests.parity.items import GET_ITEM, found, live_run, serving

GET = MergedOperation("GET /items/{id}", "GET", "/items/{id}")
POST = MergedOperation("POST /items", "POST", "/items")


class _Live(Target):
    """A live server stand-in: ``hold(path)`` runs before it answers with the path as body."""

    waits_on_network = True

    def __init__(self, url: str, hold: Callable[[str], None] = lambda path: None) -> None:
        self.base_url = url
        self.hold = hold
        self.arrived: list[str] = []
        self._lock = threading.Lock()
        self.in_flight = 0
        self.most_in_flight = 0

    def send(self, request: Request) -> Response:
        with self._lock:
            self.arrived.append(request.path)
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            self.hold(request.path)
            return Response(200, (("Content-Type", "text/plain"),), request.path.encode())
        finally:
            with self._lock:
                self.in_flight -= 1


def _judge(baseline: Target, candidate: Target) -> Judge:
    return Judge(baseline, candidate, {}, Normalizer.preset(), NoiseBook())


def _get(i: int) -> Request:
    return Request.build("GET", f"/items/{i}", headers=[("Host", "localhost")])


def _window(judge: Judge, size: int) -> tuple[Window, list[tuple[str, bytes]]]:
    done: list[tuple[str, bytes]] = []

    def judged(request: Request, outcome: Outcome) -> None:
        done.append((request.path, outcome.baseline.body))

    return Window(judge, GET, size, judged), done


def test_several_cases_are_in_flight_at_once() -> None:
    # Three requests meet at a barrier: it only opens if all three are in flight together.
    barrier = threading.Barrier(3, timeout=10)
    baseline = _Live("http://a", lambda path: barrier.wait() and None)
    window, done = _window(_judge(baseline, _Live("http://b")), size=3)
    for i in range(3):
        window.submit(_get(i))
    window.drain()
    window.close()
    assert done == [(f"/items/{i}", f"/items/{i}".encode()) for i in range(3)]
    assert baseline.most_in_flight == 3


def test_answers_are_judged_in_the_order_the_requests_were_drawn() -> None:
    # The first answer is held until the last request arrived: answered last, judged first.
    last_arrived = threading.Event()

    def hold(path: str) -> None:
        if path == "/items/2":
            last_arrived.set()
        if path == "/items/0":
            assert last_arrived.wait(timeout=10)

    window, done = _window(_judge(_Live("http://a", hold), _Live("http://b")), size=3)
    for i in range(3):
        window.submit(_get(i))
    window.drain()
    window.close()
    assert [path for path, _ in done] == ["/items/0", "/items/1", "/items/2"]


def test_never_more_than_the_window_in_flight_and_every_case_judged_once() -> None:
    baseline, candidate = _Live("http://a"), _Live("http://b")
    window, done = _window(_judge(baseline, candidate), size=3)
    for i in range(40):
        window.submit(_get(i))
    window.drain()
    window.close()
    assert [path for path, _ in done] == [f"/items/{i}" for i in range(40)]
    assert baseline.most_in_flight <= 3 and candidate.most_in_flight <= 3
    assert sorted(baseline.arrived) == sorted(candidate.arrived) == sorted(p for p, _ in done)


def test_a_lost_server_fails_in_the_callers_thread() -> None:
    class Gone(_Live):
        def send(self, request: Request) -> Response:
            raise AppLoadError(f"{self.base_url}: lost the connection")

    window, done = _window(_judge(_Live("http://a"), Gone("http://b")), size=2)
    window.submit(_get(0))
    with pytest.raises(AppLoadError, match=r"^http://b: lost the connection$"):
        window.drain()
    window.close()
    assert done == []


def test_only_safe_requests_to_two_live_servers_overlap() -> None:
    live = _judge(_Live("http://a"), _Live("http://b"))
    assert overlappable(live, GET, 4)
    assert not overlappable(live, POST, 4)  # a write waits for every earlier answer
    assert not overlappable(live, GET, 1)
    in_process = _judge(Target(), Target())
    assert not overlappable(in_process, GET, 4)  # nothing to wait on: the GIL decides
    one_server = _judge(_Live("http://a"), _Live("http://a/"))
    assert not overlappable(one_server, GET, 4)
    assert window_for(live, POST, 4) is None
    assert window_for(live, GET, 4) is not None


# -- a whole run against two live servers ----------------------------------------------------


def test_a_live_run_finds_the_same_drifts_from_the_same_cases_with_cases_in_flight() -> None:
    with serving(wait=0) as (legacy, port):
        one = live_run(legacy, port, GET_ITEM, concurrency=1)
    assert (legacy.most, port.most) == (1, 1)  # one at a time means one at a time
    with serving(wait=0.5) as (legacy, port):
        four = live_run(legacy, port, GET_ITEM, concurrency=4)
    assert 2 <= legacy.most <= 4 and 2 <= port.most <= 4  # several in flight, never over 4
    assert [(f.key.id, f.subject) for f in one.findings] == [
        ("status-mismatch", ("status 200 -> 404",))
    ]
    assert found(four) == found(one)
    for key in ("cases", "shrink_cases", "findings"):
        assert four.meta["summary"][key] == one.meta["summary"][key]
    assert one.meta["summary"]["cases"] == 14
