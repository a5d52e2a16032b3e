"""One side of a parity run: a ``Target`` answers ``send(request)`` with one ``Response``.

No test clients: they add headers, read ``//x`` as a host and (for ASGI) skip the lifespan. Every
target gets the one request the generator built and answers with one ``Response``; an exception
inside the app is an answer (a crash), never an error of the runner. The kinds live beside this
module: ``wsgi.py``, ``asgi.py`` (in-process apps) and ``live.py`` (a server at a URL).
"""

from __future__ import annotations

import contextlib
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from contract_tools.models import Request, Response

# The address every in-process request claims to come from and go to, the same for both sides.
CLIENT = ("127.0.0.1", 50000)
DEFAULT_HOST = "localhost"
DEFAULT_TIMEOUT = 30.0
# Methods that must not change state (RFC 9110): a factory target may answer them from one
# pristine instance that never saw anything else, instead of building an app per request.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

AppLoader = Callable[[], Any]
Sender = Callable[[Request], Response]


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


def encode_header_value(value: str) -> bytes:
    """Latin-1 is what servers decode header bytes as; wider text goes as UTF-8 bytes."""
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:
        return value.encode("utf-8")
