"""Where requests go: a WSGI app, an ASGI app or a live server, all behind ``send(request)``.

No test clients: they add headers, read ``//x`` as a host and (for ASGI) skip the lifespan. Every
target gets the one request the generator built and answers with one ``Response``; an exception
inside the app is an answer (a crash), never an error of the runner.
"""

from __future__ import annotations

import asyncio
import io
import socket
import time
import traceback
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from contract_tools.apps import AppKind, AppRef, app_kind
from contract_tools.errors import AppLoadError, UsageError
from contract_tools.parity.exchange import Request, Response, encode_header_value

# The address every in-process request claims to come from and go to, the same for both sides.
CLIENT = ("127.0.0.1", 50000)
DEFAULT_HOST = "localhost"
DEFAULT_TIMEOUT = 30.0
# Methods that must not change state (RFC 9110): a factory target may answer them from one
# pristine instance that never saw anything else, instead of building an app per request.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

AppLoader = Callable[[], Any]


class Target:
    """One side of a parity run.

    ``fresh_per_case`` (factory) targets build a new app for every state-changing request, sent
    or probed; safe requests share one pristine instance that only ever saw safe requests, and
    safe probes a second one (see ``_AppTarget``).
    """

    name: str = "target"
    fresh_per_case: bool = False
    # A live server or a shared instance must not receive a state-changing request twice.
    base_url: str = "http://localhost"

    def open(self) -> None:
        """Acquire resources (event loop, lifespan, connection pool)."""

    def close(self) -> None:
        """Release what ``open`` acquired; safe to call twice."""

    def send(self, request: Request) -> Response:
        raise NotImplementedError

    def send_probe(self, request: Request) -> Response:
        """Send again for noise probing: a factory target answers from a brand-new app."""
        return self.send(request)

    def app_for_spec(self) -> Any | None:
        """An app instance to read a spec from, or None for a live server."""
        return None

    def __enter__(self) -> Target:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _crash(
    status: int, started: float, headers: Iterable[tuple[str, str]] = (), body: bytes = b""
) -> Response:
    return Response(
        status=status,
        headers=tuple(headers),
        body=body,
        elapsed=time.perf_counter() - started,
        crash=traceback.format_exc(),
    )


class _AppTarget(Target):
    def __init__(self, name: str, loader: AppLoader, *, fresh_per_case: bool) -> None:
        self.name = name
        self._loader = loader
        self.fresh_per_case = fresh_per_case
        self._app: Any = None

    # Which instance answers (factory targets only; a shared-instance target has one):
    # - FRESH: a state-changing request, sent or probed: built for it, then dropped.
    # - PROBE: a safe probe: a second pristine instance, built on first use and kept. It only
    #   ever sees safe requests, like the shared one, so it is as pristine as a new app would
    #   be, and it is another instance, so per-instance values (ids, start times) still show
    #   up as noise. Building an app per probe cost a Flask app about 16 ms (Werkzeug compiles
    #   every rule) for each disagreeing GET, in exploration and again while shrinking.
    # - SHARED: a safe request: the pristine instance opened with the target.
    _FRESH, _PROBE, _SHARED = "fresh", "probe", "shared"

    def _instance_for(self, request: Request, probe: bool) -> str:
        if not self.fresh_per_case:
            return self._SHARED
        if request.method.upper() not in SAFE_METHODS:
            return self._FRESH
        return self._PROBE if probe else self._SHARED

    def _needs_new_app(self, request: Request, probe: bool) -> bool:
        """Factories: a new app for every state-changing request (sent or probed)."""
        return self._instance_for(request, probe) == self._FRESH

    def _load(self) -> Any:
        app = self._loader()
        self._prepare(app)
        return app

    def _prepare(self, app: Any) -> None:
        """Hook to adjust a freshly loaded app (e.g. stop Flask from propagating exceptions)."""

    def app_for_spec(self) -> Any:
        return self._app if self._app is not None else self._load()


class WSGITarget(_AppTarget):
    """Calls a WSGI app with an environ built here, as a WSGI server would."""

    def __init__(self, name: str, loader: AppLoader, *, fresh_per_case: bool = False) -> None:
        super().__init__(name, loader, fresh_per_case=fresh_per_case)
        self._exc_text: str | None = None
        self._probe_app: Any = None

    def open(self) -> None:
        if self._app is None:
            self._app = self._load()

    def close(self) -> None:
        self._app = None
        self._probe_app = None

    def _prepare(self, app: Any) -> None:
        config = getattr(app, "config", None)
        if isinstance(config, dict) and hasattr(app, "log_exception"):
            # Flask: let its own 500 handling answer (custom 500 handlers included) as in
            # production, but record the traceback instead of logging it to stderr.
            config["PROPAGATE_EXCEPTIONS"] = False

            def record(exc_info: Any) -> None:
                self._exc_text = "".join(traceback.format_exception(*exc_info))

            app.log_exception = record

    def send(self, request: Request) -> Response:
        return self._send(request, probe=False)

    def send_probe(self, request: Request) -> Response:
        return self._send(request, probe=True)

    def _send(self, request: Request, probe: bool) -> Response:
        which = self._instance_for(request, probe)
        if which == self._FRESH:
            app = self._load()
        elif which == self._PROBE:
            if self._probe_app is None:
                self._probe_app = self._load()
            app = self._probe_app
        else:
            if self._app is None:
                self.open()
            app = self._app
        self._exc_text = None
        started = time.perf_counter()
        captured: dict[str, Any] = {}
        chunks: list[bytes] = []

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Any:
            captured["status"] = int(status.split(" ", 1)[0])
            captured["headers"] = [(str(k), str(v)) for k, v in headers]
            return chunks.append

        try:
            result = app(build_environ(request), start_response)
            try:
                chunks.extend(result)
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()
        except Exception:
            return _crash(500, started)
        if "status" not in captured:
            return Response(
                500,
                body=b"".join(chunks),
                elapsed=time.perf_counter() - started,
                crash="the app returned without calling start_response",
            )
        return Response(
            status=captured["status"],
            headers=tuple(captured["headers"]),
            body=b"".join(chunks),
            elapsed=time.perf_counter() - started,
            crash=self._exc_text,
        )


def build_environ(request: Request) -> dict[str, Any]:
    """A PEP 3333 environ for ``request``, as a WSGI server would build it."""
    host = request.header("host") or DEFAULT_HOST
    server_name, _, port = host.partition(":")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": request.method,
        "SCRIPT_NAME": "",
        # WSGI strings are bytes decoded as latin-1 (PEP 3333), after percent-decoding.
        "PATH_INFO": unquote_to_bytes(request.path).decode("latin-1"),
        "QUERY_STRING": request.query_string,
        "RAW_URI": request.target,
        "REQUEST_URI": request.target,
        "SERVER_NAME": server_name,
        "SERVER_PORT": port or "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": CLIENT[0],
        "REMOTE_PORT": str(CLIENT[1]),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(request.body),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    for name, value in request.headers:
        text = encode_header_value(value).decode("latin-1")
        key = name.upper().replace("-", "_")
        if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            environ[key] = text
            continue
        key = "HTTP_" + key
        # Repeated headers are joined with a comma, as WSGI servers do.
        environ[key] = f"{environ[key]},{text}" if key in environ else text
    return environ


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


class URLTarget(Target):
    """A live server, reached with httpx sending exactly the built request and nothing more."""

    def __init__(self, base_url: str, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise UsageError(f"{base_url!r} is not an http(s) URL")
        self.name = base_url
        self.base_url = base_url.rstrip("/")
        self._prefix = parts.path.rstrip("/")
        self.timeout = timeout
        self._client: Any = None

    def open(self) -> None:
        if self._client is None:
            import httpx

            self._reachable()
            self._client = httpx.Client(
                timeout=self.timeout, follow_redirects=False, trust_env=False
            )

    def _reachable(self) -> None:
        """A server that is not there is a target that did not load (exit 3), not a crash of
        every case: check once, before the first request."""
        parts = urlsplit(self.base_url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            with socket.create_connection((parts.hostname or "", port), timeout=self.timeout):
                pass
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise AppLoadError(f"{self.base_url}: cannot connect ({reason})") from None

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def send(self, request: Request) -> Response:
        import httpx

        if self._client is None:
            self.open()
        started = time.perf_counter()
        # raw_path keeps '//' and '..' exactly; httpx.Request adds only Host and, for
        # POST/PUT/PATCH, Content-Length, both of which the generator already sets.
        url = httpx.URL(self.base_url).copy_with(
            raw_path=(self._prefix + request.target).encode("utf-8")
        )
        headers = [
            (name.encode("latin-1", "replace"), encode_header_value(v))
            for name, v in request.headers
        ]
        req = httpx.Request(request.method, url, headers=headers, content=request.body or None)
        try:
            resp = self._client.send(req, stream=True)
            try:
                # iter_raw: no decompression, exactly as the in-process targets see bodies.
                body = b"".join(resp.iter_raw())
            finally:
                resp.close()
        except httpx.ConnectError as exc:
            # The server went away during the run: nothing after this can be compared.
            raise AppLoadError(f"{self.base_url}: lost the connection ({exc})") from None
        except httpx.HTTPError:
            # A timeout or a dropped answer is what this server did with this request.
            return _crash(0, started)
        return Response(
            status=resp.status_code,
            headers=tuple((k.decode("latin-1"), v.decode("latin-1")) for k, v in resp.headers.raw),
            body=body,
            elapsed=time.perf_counter() - started,
        )


def target_for_app(
    app: Any, name: str | None = None, *, timeout: float = DEFAULT_TIMEOUT
) -> Target:
    """A shared-instance target for an app object."""
    return _target(lambda: app, app_kind(app), name or type(app).__name__, False, timeout)


def target_for_factory(
    factory: AppLoader, name: str | None = None, *, timeout: float = DEFAULT_TIMEOUT
) -> Target:
    """A fresh-app-per-case target; the factory is called once here to learn the app's kind."""
    kind = app_kind(factory())
    return _target(
        factory, kind, name or str(getattr(factory, "__name__", "factory")), True, timeout
    )


def make_target(
    text: str, *, app_dir: str | None = None, timeout: float = DEFAULT_TIMEOUT
) -> Target:
    """``http://host:port``, ``module:attr`` or ``module:factory()`` -> a target."""
    if text.startswith(("http://", "https://")):
        return URLTarget(text, timeout=timeout)
    ref = AppRef.parse(text, app_dir)
    if ref.factory:
        return _target(ref.load, app_kind(ref.load()), text, True, timeout)
    app = ref.load()
    return _target(lambda: app, app_kind(app), text, False, timeout)


def _target(loader: AppLoader, kind: AppKind, name: str, fresh: bool, timeout: float) -> Target:
    if kind in (AppKind.FLASK, AppKind.WSGI):
        return WSGITarget(name, loader, fresh_per_case=fresh)
    return ASGITarget(name, loader, fresh_per_case=fresh, timeout=timeout)


__all__ = [
    "ASGITarget",
    "Target",
    "URLTarget",
    "WSGITarget",
    "build_environ",
    "make_target",
    "target_for_app",
    "target_for_factory",
]
