"""An ASGI app called directly, in an event loop of its own thread; the target runs its
lifespan.

The loop runs in a daemon thread, and the caller waits for each call with a deadline. An app
that awaits forever is cut by ``asyncio.wait_for`` inside the loop; one that blocks the loop
itself (``time.sleep`` in an ``async def``) is noticed from outside, the loop is left behind
and a new one started, so ``--timeout`` bounds every call. AnyIO's worker threads (FastAPI's
sync endpoints) inherit the daemon flag from the loop thread, so a hung one never keeps the
process alive.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import threading
import time
import traceback
from collections.abc import Coroutine, Iterator
from typing import Any, TypeVar
from urllib.parse import unquote

from contract_tools._parity.targets import (
    CLIENT,
    DEFAULT_HOST,
    MAX_BODY_BYTES,
    AppLoader,
    Sender,
    _AppTarget,
    encode_header_value,
    no_answer,
    on_the_wire,
    refused,
    served_body,
    unsendable,
)
from contract_tools.errors import AppLoadError
from contract_tools.models import Request, Response
from contract_tools.settings import DEFAULT_TIMEOUT

T = TypeVar("T")
# How long a loop that missed a deadline gets to show it still runs before it is left behind.
_GRACE = 1.0


class LoopBlocked(Exception):
    """The app blocked its event loop past the deadline: the loop was left behind."""


class _Loop:
    """An event loop running forever in a daemon thread; coroutines are submitted to it."""

    def __init__(self, name: str) -> None:
        self.loop = asyncio.new_event_loop()
        # What an app leaves behind in its loop (a task never awaited, a lifespan of a loop left
        # blocked) is asyncio's log noise on stderr, not the user's business: the engine never
        # prints. Outcomes reach the report through the answers.
        self.loop.set_exception_handler(lambda loop, context: None)
        self.thread = threading.Thread(
            target=self._serve, name=f"contract-tools {name} loop", daemon=True
        )
        self.thread.start()

    def _serve(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def run(self, coro: Coroutine[Any, Any, T], timeout: float) -> T:
        future = asyncio.run_coroutine_threadsafe(coro, self.loop)
        try:
            return future.result(timeout + _GRACE)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise LoopBlocked(f"the app blocked its event loop for over {timeout:g}s") from None

    def close(self, timeout: float) -> None:
        """Cancel what is left (lifespans that never end), stop the loop, close it: no
        'Task was destroyed but it is pending' on the way out."""

        async def cancel_the_rest() -> None:
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            if tasks:
                await asyncio.wait(tasks, timeout=timeout)
            await self.loop.shutdown_asyncgens()

        try:
            self.run(cancel_the_rest(), timeout)
        except (LoopBlocked, RuntimeError):
            return  # a blocked loop is left to its daemon thread
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout)
        if not self.thread.is_alive():
            self.loop.close()


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
        self._loop: _Loop | None = None
        self._lifespan: _Lifespan | None = None
        self._probe: tuple[Any, _Lifespan] | None = None  # the safe-probe instance, if built
        # Why closing did not go cleanly (a lifespan shutdown that failed): said, never raised,
        # so that a finished run's findings are still written.
        self.close_problems: list[str] = []

    def _run(self, coro: Coroutine[Any, Any, T]) -> T:
        if self._loop is None:
            self._loop = _Loop(self.name)
        return self._loop.run(coro, self.timeout)

    def open(self) -> None:
        if self._app is None:
            try:
                self._app = self._load()
                self._lifespan = self._start(self._app)
            except LoopBlocked as exc:
                self._loop = None
                raise AppLoadError(f"{self.name}: the lifespan startup hung: {exc}") from None

    def _start(self, app: Any) -> _Lifespan:
        async def go() -> _Lifespan:
            lifespan = _Lifespan(app, self.timeout)
            await lifespan.startup()
            return lifespan

        return self._run(go())

    def _stop(self, lifespan: _Lifespan) -> None:
        try:
            self._run(lifespan.shutdown())
        except (AppLoadError, LoopBlocked, asyncio.TimeoutError) as exc:
            self.close_problems.append(f"{self.name}: {exc}")

    def close(self) -> None:
        if self._probe is not None:
            self._stop(self._probe[1])
            self._probe = None
        if self._lifespan is not None:
            self._stop(self._lifespan)
            self._lifespan = None
        if self._loop is not None:
            self._loop.close(self.timeout)
            self._loop = None
        self._app = None

    def send(self, request: Request) -> Response:
        return self._send(request, probe=False)

    def send_probe(self, request: Request) -> Response:
        return self._send(request, probe=True)

    def _send(self, request: Request, probe: bool) -> Response:
        started = time.perf_counter()
        try:
            return self._answer(request, probe)
        except LoopBlocked as exc:
            # The loop is stuck with this app in it: leave both behind. A factory target builds
            # the next app anyway; a shared instance starts again from a fresh one.
            self._loop = None
            self._app = self._lifespan = self._probe = None
            return no_answer(str(exc), started)

    def _answer(self, request: Request, probe: bool) -> Response:
        if self._app is None:
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
            self._stop(lifespan)

    @contextlib.contextmanager
    def sequence_state(self) -> Iterator[Sender]:
        """One app (and lifespan) for a whole sequence: factories build a new one per sequence."""
        if not self.fresh_per_case:
            yield self.send
            return
        if self._app is None:
            self.open()
        app = self._load()
        lifespan = self._start(app)
        blocked = False

        def send(request: Request) -> Response:
            nonlocal blocked
            started = time.perf_counter()
            if blocked:
                return no_answer("the app blocked its event loop earlier in this sequence", started)
            try:
                return self._run(self._call(app, lifespan.state, request))
            except LoopBlocked as exc:
                blocked = True
                self._loop = None
                self._app = self._lifespan = self._probe = None
                return no_answer(str(exc), started)

        try:
            yield send
        finally:
            if not blocked:
                self._stop(lifespan)

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
        size = [0]

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
                size[0] += len(chunks[-1])
                if not message.get("more_body", False) or size[0] > MAX_BODY_BYTES:
                    done.set()
                    if size[0] > MAX_BODY_BYTES:
                        raise _Enough  # an endless stream: what was read is the answer

        async def guarded() -> None:
            # In a task, SystemExit and KeyboardInterrupt escape the event loop itself (asyncio
            # re-raises them from run_forever), which would end the loop's thread: an
            # endpoint's sys.exit() must stay that endpoint's crash.
            try:
                await app(scope, receive, send)
            except (SystemExit, KeyboardInterrupt) as exc:
                raise _Exited(f"{type(exc).__name__}: {exc}") from exc

        crash: str | None = None
        try:
            await asyncio.wait_for(guarded(), self.timeout)
        except _Enough:
            pass
        except asyncio.TimeoutError:
            return no_answer(f"no complete answer within {self.timeout:g}s", started)
        except asyncio.CancelledError:
            raise
        except BaseException:  # sys.exit() in an endpoint is the app's answer, not our exit
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
        reason = unsendable(captured["status"], captured["headers"])
        if reason is not None:
            return refused(reason, started)
        return Response(
            status=captured["status"],
            headers=on_the_wire(captured["headers"]),
            body=served_body(request, b"".join(chunks)),
            elapsed=time.perf_counter() - started,
            crash=crash,
        )


class _Exited(Exception):
    """An endpoint called sys.exit() (or raised KeyboardInterrupt): its crash."""


class _Enough(Exception):
    """Raised into an app that streams past MAX_BODY_BYTES: stop reading."""
