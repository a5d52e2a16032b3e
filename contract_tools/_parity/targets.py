"""One side of a parity run: a ``Target`` answers ``send(request)`` with one ``Response``.

No test clients: they add headers, read ``//x`` as a host and (for ASGI) skip the lifespan. Every
target gets the one request the generator built and answers with one ``Response``; an exception
inside the app is an answer (a crash), never an error of the runner. The kinds live beside this
module: ``wsgi.py``, ``asgi.py`` (in-process apps) and ``live.py`` (a server at a URL).
"""

from __future__ import annotations

import contextlib
import queue
import re
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Generic, TypeVar

from contract_tools.models import Request, Response

# The address every in-process request claims to come from and go to, the same for both sides.
CLIENT = ("127.0.0.1", 50000)
DEFAULT_HOST = "localhost"
DEFAULT_TIMEOUT = 30.0
# Methods that must not change state (RFC 9110): a factory target may answer them from one
# pristine instance that never saw anything else, instead of building an app per request.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

AppLoader = Callable[[], Any]
T = TypeVar("T")

# What an HTTP/1.1 server puts on the wire, and refuses to: gunicorn answers 500 when an app
# sets a header value outside SP / HTAB / VCHAR / obs-text (RFC 9110 field-value: so any other
# control character, and anything beyond latin-1); uvicorn drops the connection for a status
# outside 100-599.
_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
_FIELD_VALUE = re.compile(r"[ \t\x21-\x7e\x80-\xff]*")
# An endless body (a stream that never ends) must not exhaust memory before the timeout.
MAX_BODY_BYTES = 64 * 1024 * 1024
Sender = Callable[[Request], Response]


class Target:
    """One side of a parity run.

    ``fresh_per_case`` (factory) targets build a new app for every state-changing request, sent
    or probed; safe requests share one pristine instance that only ever saw safe requests, and
    safe probes a second one (see ``_AppTarget``).
    """

    name: str = "target"
    fresh_per_case: bool = False
    # The text the target was made from ("module:factory()", a URL); None for an object
    # handed in. Worker processes make their own targets from it (``workers.py``).
    reference: str | None = None
    # A live server or a shared instance must not receive a state-changing request twice.
    base_url: str = "http://localhost"
    # A live server: its time goes to waiting on a socket, so both sides can wait at once.
    waits_on_network: bool = False

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

    @contextlib.contextmanager
    def sequence_state(self) -> Iterator[Sender]:
        """A sender for one whole sequence of requests. Factory targets give every sequence
        one brand-new app (its requests share it, nothing else does); a shared instance or a
        live server has one state for everything, which ``fresh_per_case`` False says."""
        yield self.send

    def __enter__(self) -> Target:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def unsendable(status: int, headers: Iterable[tuple[str, str]]) -> str | None:
    """Why a real server would not send this answer as the app gave it (None: it would)."""
    if not 100 <= status <= 599:
        return f"status {status} is outside 100-599: a server answers 500"
    for name, value in headers:
        if not _TOKEN.match(name):
            return f"header name {name!r} is not an HTTP token: a server answers 500"
        if not _FIELD_VALUE.fullmatch(value):
            try:
                value.encode("latin-1")
            except UnicodeEncodeError:
                return f"header {name} value {value!r} is not latin-1: a server answers 500"
            return f"header {name} value {value!r} holds a control character: a server answers 500"
    return None


def on_the_wire(headers: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """Header values as a client reads them: HTTP parsers strip optional whitespace around a
    value, so ``Set-Cookie:  =0`` arrives as ``=0`` (RFC 9110 5.5)."""
    return tuple((name, value.strip(" \t")) for name, value in headers)


def refused(reason: str, started: float) -> Response:
    """The answer a real server gives when the app's answer cannot be sent: a bare 500."""
    return Response(
        500,
        (("Content-Type", "text/plain"),),
        b"Internal Server Error",
        elapsed=time.perf_counter() - started,
        crash=f"the app's answer cannot be sent: {reason}",
    )


def no_answer(reason: str, started: float) -> Response:
    """No HTTP answer at all: never equal to anything, not even another no-answer."""
    return Response(0, elapsed=time.perf_counter() - started, no_answer=reason)


class _Call(Generic[T]):
    """One call handed to a worker thread: its function, and what came of it."""

    def __init__(self, function: Callable[[], T]) -> None:
        self.function = function
        self.done = threading.Event()
        self.result: T | None = None
        self.error: BaseException | None = None


class Worker:
    """A daemon thread that runs calls one at a time, so that a call can be abandoned.

    A WSGI handler that never returns (or ``time.sleep``s in an ASGI loop) cannot be
    interrupted from Python; it can only be left behind. The thread is a daemon, so a call left
    running never keeps the process alive, and the next call gets a new thread. Exceptions
    of every kind, ``SystemExit`` from ``sys.exit()`` in a view included, are the call's
    outcome, never the runner's.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._queue: queue.SimpleQueue[_Call[Any] | None] | None = None

    def run(self, function: Callable[[], T], timeout: float) -> _Call[T]:
        """Run ``function`` on the worker; ``call.done`` is unset when it overran ``timeout``."""
        if self._queue is None:
            self._queue = queue.SimpleQueue()
            thread = threading.Thread(
                target=_serve, args=(self._queue,), name=f"contract-tools {self.name}", daemon=True
            )
            thread.start()
        call: _Call[T] = _Call(function)
        self._queue.put(call)
        if not call.done.wait(timeout):
            # Abandoned: the thread finishes (or not) on its own; the next call gets a new one.
            self._queue.put(None)
            self._queue = None
        return call

    def stop(self) -> None:
        if self._queue is not None:
            self._queue.put(None)
            self._queue = None


def _serve(calls: queue.SimpleQueue[_Call[Any] | None]) -> None:
    while True:
        call = calls.get()
        if call is None:
            return
        try:
            call.result = call.function()
        except BaseException as exc:  # an app's SystemExit or KeyboardInterrupt is its outcome
            call.error = exc
        call.done.set()


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


def served_body(request: Request, body: bytes) -> bytes:
    """The body a server puts on the wire: none for HEAD (gunicorn and uvicorn drop what the app
    wrote; Starlette's Response writes the GET's body for HEAD, Werkzeug's does not)."""
    return b"" if request.method.upper() == "HEAD" else body


def encode_header_value(value: str) -> bytes:
    """Latin-1 is what servers decode header bytes as; wider text goes as UTF-8 bytes."""
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:
        return value.encode("utf-8")
