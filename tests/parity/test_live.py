"""Live targets: the Flask bookshop under gunicorn, its port under uvicorn, on ephemeral ports."""

from __future__ import annotations

import os
import socket
import socketserver
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from contract_tools._parity.live import URLTarget
from contract_tools._parity.session import spec_of, target_for_app
from contract_tools.errors import AppLoadError
from contract_tools.models import Request
from tests.parity.apps import bookshop_flask
from tests.parity.running import run
from tests.raw_server import raw_server, read_head

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(args: list[str], port: int) -> Iterator[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    err = proc.stderr.read().decode() if proc.stderr else ""
                    pytest.fail(f"server did not start: {err[-500:]}")
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


@pytest.fixture(scope="module")
def gunicorn_url() -> Iterator[str]:
    port = _free_port()
    yield from _serve(
        [
            str(BIN / "gunicorn"),
            "-w",
            "1",
            "-b",
            f"127.0.0.1:{port}",
            "tests.parity.apps.bookshop_flask:create_app()",
        ],
        port,
    )


@pytest.fixture(scope="module")
def uvicorn_url() -> Iterator[str]:
    port = _free_port()
    yield from _serve(
        [
            str(BIN / "uvicorn"),
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "tests.parity.apps.bookshop_fastapi:create_app",
        ],
        port,
    )


def test_url_target_sends_exactly_the_request(gunicorn_url: str) -> None:
    with URLTarget(gunicorn_url) as target:
        response = target.send(Request.build("GET", "//books/1", headers=[("Host", "localhost")]))
        missing = target.send(Request.build("GET", "/nope", headers=[("Host", "localhost")]))
    # Werkzeug treats the leading '//' as a path, so the book is there.
    assert response.status == 200
    assert response.json() == (True, {"id": 1, "title": "Dune", "year": 1965})
    assert {k.lower() for k, _ in response.headers} >= {"server", "date", "content-type"}
    assert missing.status == 404


def test_a_closed_port_is_a_target_that_did_not_load() -> None:
    """Review found every case reported as a crash, for minutes; now one line, exit 3."""
    port = _free_port()
    with pytest.raises(AppLoadError, match=rf"^http://127.0.0.1:{port}: cannot connect \("):
        URLTarget(f"http://127.0.0.1:{port}", timeout=2).open()


def test_cli_on_a_closed_port_exits_3_with_one_line(tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from contract_tools.cli.main import app

    spec = tmp_path / "spec.json"
    spec.write_text(
        json.dumps(
            {
                "openapi": "3.1.0",
                "info": {"title": "t", "version": "1"},
                "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}},
            }
        )
    )
    port = _free_port()
    result = CliRunner().invoke(
        app,
        ["parity", *[f"http://127.0.0.1:{port}"] * 2, "--no-database", "--spec", str(spec)],
    )
    assert result.exit_code == 3
    assert result.stderr == f"error: http://127.0.0.1:{port}: cannot connect (Connection refused)\n"


def test_live_flask_vs_live_fastapi_port(gunicorn_url: str, uvicorn_url: str) -> None:
    specs = {
        "baseline": spec_of(target_for_app(bookshop_flask.create_app())),
        "candidate": spec_of(URLTarget(uvicorn_url)),
    }
    assert specs["candidate"] is not None  # uvicorn serves /openapi.json
    report = run(
        URLTarget(gunicorn_url),
        URLTarget(uvicorn_url),
        specs,
        max_examples=15,
        seed=5,
        # A shared live server: POST answers cannot be probed, so say what is noise.
        ignore_paths={"POST /notes": ("$.id", "$.created_at")},
        exclude=("DELETE .*",),  # state-changing on a shared server: kept out of this check
    )
    assert report.findings == ()
    assert report.meta["summary"]["operations"] == 4
    assert report.noise == (
        {"operation": "GET /health", "shape": "2xx", "paths": ["$.checked_at", "$.request_id"]},
    )


def test_the_live_target_sends_and_reads_raw_whatever_the_server_does() -> None:
    from tests.parity.faults import fault_server

    with fault_server() as url, URLTarget(url, timeout=2) as target:
        redirect = target.send(Request.build("GET", "/redirect-cookie"))
        trickle = target.send(Request.build("GET", "/trickle"))
        hang = target.send(Request.build("GET", "/hang"))
        drop = target.send(Request.build("GET", "/drop"))
        fine = target.send(Request.build("GET", "/"))
    # Not followed, no cookie jar: the 302 as it came, its header bytes kept.
    assert (redirect.status, redirect.header("set-cookie")) == (302, "a=Ä\x80")
    assert (trickle.status, trickle.no_answer) == (
        0,
        "the answer did not complete within 2s",
    )
    assert hang.status == 0 and hang.no_answer is not None
    assert hang.no_answer.startswith("ReadTimeout")
    assert drop.status == 0 and drop.no_answer is not None
    assert drop.no_answer.startswith("RemoteProtocolError")
    assert (fine.status, fine.body) == (200, b"ok")


class _ClosesKeptConnections(socketserver.BaseRequestHandler):
    """Answers the first request of a connection and keeps it open (no Connection: close), then
    reads the next request on it and closes without a word: a server's idle keep-alive timeout
    firing just as the client reuses the connection, every time."""

    connections: ClassVar[int] = 0
    requests: ClassVar[list[str]] = []

    def handle(self) -> None:
        type(self).connections += 1
        for answered in (True, False):
            data = read_head(self.request)
            if data is None:
                return
            type(self).requests.append(data.split(b"\r\n", 1)[0].decode())
            if answered:
                self.request.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")


def test_a_kept_connection_closed_under_a_request_is_no_false_no_answer() -> None:
    handler = _ClosesKeptConnections
    handler.connections, handler.requests = 0, []
    with raw_server(handler) as url, URLTarget(url, timeout=5) as target:
        gets = [target.send(Request.build("GET", f"/g{i}")) for i in range(4)]
        posts = [target.send(Request.build("POST", f"/p{i}", body=b"{}")) for i in range(2)]
    assert [(r.status, r.body, r.no_answer) for r in gets + posts] == [(200, b"ok", None)] * 6
    # g1 and g3 were written to a kept connection, lost, and sent again on a new one (g0 and g2
    # opened the kept ones); a POST is never sent twice: each has a connection of its own.
    assert handler.requests == [
        "GET /g0 HTTP/1.1",
        "GET /g1 HTTP/1.1",
        "GET /g1 HTTP/1.1",
        "GET /g2 HTTP/1.1",
        "GET /g3 HTTP/1.1",
        "GET /g3 HTTP/1.1",
        "POST /p0 HTTP/1.1",
        "POST /p1 HTTP/1.1",
    ]
    assert handler.connections == 7  # and the reachability check when the target opened
