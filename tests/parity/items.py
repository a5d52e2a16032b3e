"""A small items service as two live servers on 127.0.0.1, for tests of live runs (window,
workers): the legacy one and a port with two drifts, every request logged.

- ``GET /items/{id}``: the item; the port answers a negative id with 404 (the legacy app 200).
- ``GET /count``: how many items were created so far (state a write changes).
- ``POST /items``: creates one; the legacy app answers 201, the port 200.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from contract_tools._parity.live import URLTarget
from contract_tools.models import Report
from tests.parity.running import run

_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
GET_ITEM: dict[str, Any] = {
    "/items/{id}": {"get": {"parameters": [_ID], "responses": {"200": {"description": "an item"}}}}
}
STATEFUL: dict[str, Any] = {
    **GET_ITEM,
    "/count": {"get": {"responses": {"200": {"description": "items created so far"}}}},
    "/items": {"post": {"responses": {"201": {"description": "created"}}}},
}


def spec(paths: dict[str, Any]) -> dict[str, Any]:
    return {"openapi": "3.1.0", "info": {"title": "items", "version": "1"}, "paths": paths}


class ItemsServer:
    """One side. ``most`` is the most requests it answered at once; with ``wait``, a request
    waits (at most ``wait`` seconds) for a second one to arrive, so overlap shows whenever the
    client allows it."""

    def __init__(self, port: bool, wait: float = 0) -> None:
        self.log: list[str] = []
        self.created = 0
        self.most = 0
        self._now = 0
        self._arrivals = threading.Condition()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, status: int, document: object) -> None:
                body = json.dumps(document).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                outer.log.append(f"GET {self.path}")
                with outer._arrivals:
                    outer._now += 1
                    outer.most = max(outer.most, outer._now)
                    outer._arrivals.notify_all()
                    outer._arrivals.wait_for(lambda: outer._now >= 2, timeout=wait)
                try:
                    if self.path == "/count":
                        self._answer(200, {"count": outer.created})
                        return
                    item = self.path.rsplit("/", 1)[-1]
                    self._answer(404 if port and item.startswith("-") else 200, {"id": item})
                finally:
                    with outer._arrivals:
                        outer._now -= 1

            def do_POST(self) -> None:
                outer.log.append(f"POST {self.path}")
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                outer.created += 1
                self._answer(200 if port else 201, {"created": True})

            def log_message(self, *args: object) -> None:
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()


@contextmanager
def serving(wait: float = 0) -> Iterator[tuple[ItemsServer, ItemsServer]]:
    """The legacy server and the port, stopped after."""
    pair = ItemsServer(port=False, wait=wait), ItemsServer(port=True, wait=wait)
    try:
        yield pair
    finally:
        for server in pair:
            server.http.shutdown()
            server.http.server_close()


def live_run(
    legacy: ItemsServer, port: ItemsServer, paths: dict[str, Any], **settings: Any
) -> Report:
    """A parity run of the two servers: positive mode, 20 examples, seed 3, no sequences."""
    document = spec(paths)
    return run(
        URLTarget(legacy.url),
        URLTarget(port.url),
        {"baseline": document, "candidate": document},
        max_examples=20,
        seed=3,
        mode="positive",
        stateful=False,
        **settings,
    )


def found(report: Report) -> list[tuple[object, ...]]:
    """What a finding says, without what differs between two runs' servers (Date, ports)."""
    return [
        (f.key, f.level, f.count, f.exchange.request if f.exchange else None)
        for f in report.findings
    ]
