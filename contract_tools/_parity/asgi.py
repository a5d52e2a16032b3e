"""An ASGI app called directly in one persistent event loop; the target runs its lifespan."""

from __future__ import annotations

import asyncio
import contextlib
import time
import traceback
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

from contract_tools._parity.targets import (
    CLIENT,
    DEFAULT_HOST,
    AppLoader,
    Sender,
    _AppTarget,
    encode_header_value,
)
from contract_tools.errors import AppLoadError
from contract_tools.models import Request, Response
from contract_tools.settings import DEFAULT_TIMEOUT


class _Lifespan:
    """Runs an ASGI app's lifespan protocol inside the target's event loop."""

    def __init__(self, app: Any, timeout: float) -> None:
        self.app = app
        self.timeout = timeout
        self.state: dict[str, Any] = {}
        self._to_app: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._from_app: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self.supported = True

    async def _main(self) -> None:
        scope = {
            "type": "lifespan",
            "asgi": {"version": "3.0", "spec_version": "2.0"},
            "state": self.state,
        }
        try:
            await self.app(scope, self._to_app.get, self._from_app.put)
        except Exception as exc:  # an app without lifespan support raises here
            await self._from_app.put({"type": "_raised", "error": exc})
        else:
            await self._from_app.put({"type": "_returned"})

    async def _expect(self, event: str) -> None:
        await self._to_app.put({"type": f"lifespan.{event}"})
        message = await asyncio.wait_for(self._from_app.get(), self.timeout)
        kind = message["type"]
        if kind == f"lifespan.{event}.complete":
            return
        if kind == f"lifespan.{event}.failed":
            # Starlette puts the whole traceback in the message; its last line names the error.
            lines = [line for line in str(message.get("message", "")).splitlines() if line.strip()]
            reason = lines[-1].strip() if lines else "no reason given"
            raise AppLoadError(f"ASGI lifespan {event} failed: {reason}")
        # The app returned or raised without answering: it does not speak lifespan (allowed).
        self.supported = False

    async def startup(self) -> None:
        self._task = asyncio.ensure_future(self._main())
        await self._expect("startup")

    async def shutdown(self) -> None:
        if self.supported and self._task is not None and not self._task.done():
            await self._expect("shutdown")
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, self.timeout)
            except (asyncio.TimeoutError, asyncio.CancelledError):
                self._task.cancel()


class ASGITarget(_AppTarget):
    """Calls an ASGI app directly in one persistent event loop; the target runs the lifespan."""

    def __init__(
        self,
        name: str,
        loader: AppLoader,
        *,
        fresh_per_case: bool = False,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        super().__init__(name, loader, fresh_per_case=fresh_per_case)
        self.timeout = timeout
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lifespan: _Lifespan | None = None
        self._probe: tuple[Any, _Lifespan] | None = None  # the safe-probe instance, if built

    def _run(self, coro: Any) -> Any:
        assert self._loop is not None
        return self._loop.run_until_complete(coro)

    def open(self) -> None:
        if self._loop is None:
            self._loop = asyncio.new_event_loop()
        if self._app is None:
            self._app = self._load()
            self._lifespan = self._start(self._app)

    def _start(self, app: Any) -> _Lifespan:
        async def go() -> _Lifespan:
            lifespan = _Lifespan(app, self.timeout)
            await lifespan.startup()
            return lifespan

        result: _Lifespan = self._run(go())
        return result

    def close(self) -> None:
        if self._loop is None:
            return
        try:
            if self._probe is not None:
                self._run(self._probe[1].shutdown())
                self._probe = None
            if self._lifespan is not None:
                self._run(self._lifespan.shutdown())
                self._lifespan = None
            self._loop.run_until_complete(self._loop.shutdown_asyncgens())
        finally:
            self._loop.close()
            self._loop = None
            self._app = None

    def send(self, request: Request) -> Response:
        return self._send(request, probe=False)

    def send_probe(self, request: Request) -> Response:
        return self._send(request, probe=True)

    def _send(self, request: Request, probe: bool) -> Response:
        if self._loop is None or self._app is None:
            self.open()
        which = self._instance_for(request, probe)
        if which == self._SHARED:
            assert self._lifespan is not None
            return self._run(self._call(self._app, self._lifespan.state, request))
        if which == self._PROBE:
            if self._probe is None:
                probe_app = self._load()
                self._probe = (probe_app, self._start(probe_app))
            return self._run(self._call(self._probe[0], self._probe[1].state, request))
        app = self._load()
        lifespan = self._start(app)
        try:
            return self._run(self._call(app, lifespan.state, request))
        finally:
            self._run(lifespan.shutdown())

    @contextlib.contextmanager
    def sequence_state(self) -> Iterator[Sender]:
        if not self.fresh_per_case:
            yield self.send
            return
        if self._loop is None:
            self.open()
        app = self._load()
        lifespan = self._start(app)
        try:
            yield lambda request: self._run(self._call(app, lifespan.state, request))
        finally:
            self._run(lifespan.shutdown())

    async def _call(self, app: Any, state: dict[str, Any], request: Request) -> Response:
        started = time.perf_counter()
        host = request.header("host") or DEFAULT_HOST
        server_name, _, port = host.partition(":")
        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "method": request.method,
            "scheme": "http",
            # As uvicorn does: percent-decoded UTF-8 in "path", the wire bytes in "raw_path".
            "path": unquote(request.path),
            "raw_path": request.path.encode("utf-8"),
            "query_string": request.query_string.encode("ascii"),
            "root_path": "",
            "headers": [
                (name.lower().encode("latin-1", "replace"), encode_header_value(value))
                for name, value in request.headers
            ],
            "client": CLIENT,
            "server": (server_name, int(port) if port.isdigit() else 80),
            # Starlette copies lifespan state into each request, shallowly, like uvicorn.
            "state": dict(state),
        }
        done = asyncio.Event()
        body_sent = False
        captured: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def receive() -> dict[str, Any]:
            nonlocal body_sent
            if not body_sent:
                body_sent = True
                return {"type": "http.request", "body": request.body, "more_body": False}
            # A client that stays connected until the answer is complete, then leaves.
            await done.wait()
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                captured["status"] = int(message["status"])
                captured["headers"] = [
                    (bytes(k).decode("latin-1"), bytes(v).decode("latin-1"))
                    for k, v in message.get("headers", [])
                ]
            elif message["type"] == "http.response.body":
                chunks.append(bytes(message.get("body", b"")))
                if not message.get("more_body", False):
                    done.set()

        crash: str | None = None
        try:
            await asyncio.wait_for(app(scope, receive, send), self.timeout)
        except asyncio.TimeoutError:
            crash = f"no complete answer within {self.timeout:g}s"
        except Exception:
            crash = traceback.format_exc()
        finally:
            done.set()
        if "status" not in captured:
            return Response(
                500,
                body=b"".join(chunks),
                elapsed=time.perf_counter() - started,
                crash=crash or "the app returned without starting a response",
            )
        return Response(
            status=captured["status"],
            headers=tuple(captured["headers"]),
            body=b"".join(chunks),
            elapsed=time.perf_counter() - started,
            crash=crash,
        )
