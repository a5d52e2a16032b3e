"""overlap: two live servers get one request side by side; anything else one after the other."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from contract_tools._parity.live import URLTarget
from contract_tools._parity.overlap import overlaps, send_both
from contract_tools._parity.session import target_for_factory
from contract_tools._parity.targets import Target
from contract_tools.errors import AppLoadError
from contract_tools.models import Request, Response
from tests.parity.apps import bookshop_fastapi, bookshop_flask


class _Rendezvous:
    """The baseline server answers 'together' only if the candidate's request reached its own
    server while the baseline's was still being answered (a bounded wait, never a timing)."""

    def __init__(self) -> None:
        self.candidate_arrived = threading.Event()
        self.bodies: list[bytes] = []


def _server(rendezvous: _Rendezvous, side: str) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            rendezvous.bodies.append(body)
            if side == "candidate":
                rendezvous.candidate_arrived.set()
                answer = b"candidate"
            else:
                together = rendezvous.candidate_arrived.wait(timeout=5)
                answer = b"together" if together else b"alone"
            self.send_response(200)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def live_pair() -> Iterator[tuple[URLTarget, URLTarget, _Rendezvous]]:
    rendezvous = _Rendezvous()
    servers = [_server(rendezvous, side) for side in ("baseline", "candidate")]
    targets = [URLTarget(f"http://127.0.0.1:{s.server_address[1]}", timeout=10) for s in servers]
    for target in targets:
        target.open()
    yield targets[0], targets[1], rendezvous
    for target in targets:
        target.close()
    for server in servers:
        server.shutdown()
        server.server_close()


REQUEST = Request.build("POST", "/things", headers=[("Host", "localhost")], body=b'{"a": 1}')


def test_two_live_servers_answer_side_by_side_and_receive_the_same_bytes(
    live_pair: tuple[URLTarget, URLTarget, _Rendezvous],
) -> None:
    baseline, candidate, rendezvous = live_pair
    base, cand = send_both(baseline, candidate, REQUEST)
    assert (base.status, base.body, cand.status, cand.body) == (200, b"together", 200, b"candidate")
    assert rendezvous.bodies == [b'{"a": 1}', b'{"a": 1}']


def test_what_does_not_wait_on_a_socket_is_sent_one_after_the_other() -> None:
    flask = target_for_factory(bookshop_flask.create_app, "flask")
    port = target_for_factory(bookshop_fastapi.create_app, "fastapi")
    assert not overlaps(flask, port)
    same = URLTarget("http://127.0.0.1:9/"), URLTarget("http://127.0.0.1:9")
    assert not overlaps(*same)  # one server: two requests at once would race on its state
    assert overlaps(URLTarget("http://127.0.0.1:9"), URLTarget("http://127.0.0.1:10"))


class _Gone(Target):
    waits_on_network = True

    def __init__(self, url: str) -> None:
        self.base_url = url

    def send(self, request: Request) -> Response:
        raise AppLoadError(f"{self.base_url}: lost the connection")


class _Fine(_Gone):
    def send(self, request: Request) -> Response:
        return Response(200)


def test_a_candidate_that_fails_fails_in_the_callers_thread() -> None:
    with pytest.raises(AppLoadError, match=r"^http://b: lost the connection$"):
        send_both(_Fine("http://a"), _Gone("http://b"), REQUEST)
