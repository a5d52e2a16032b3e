"""A WSGI app called in process with an environ built here, as a WSGI server would build it."""

from __future__ import annotations

import contextlib
import io
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import unquote_to_bytes

from contract_tools._parity.targets import (
    CLIENT,
    DEFAULT_HOST,
    MAX_BODY_BYTES,
    AppLoader,
    Sender,
    Worker,
    _AppTarget,
    _crash,
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


class WSGITarget(_AppTarget):
    """Calls a WSGI app with an environ built here, as a WSGI server would, and is as strict as
    one about what it sends back (gunicorn answers 500 for a header it cannot send).

    Each call runs on a worker thread bounded by ``timeout``: a handler that never returns is
    an answer ("no answer within 30s"), not a hung run.
    """

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
        self._probe_app: Any = None
        self._worker = Worker(name)
        # Flask reports a handled exception through app.log_exception, on the calling thread.
        self._local = threading.local()

    def open(self) -> None:
        if self._app is None:
            self._app = self._bounded_load()

    def close(self) -> None:
        self._app = None
        self._probe_app = None
        self._worker.stop()

    def _bounded_load(self) -> Any:
        call = self._worker.run(self._load, self.timeout)
        if not call.done.is_set():
            raise AppLoadError(f"{self.name}: building the app did not finish in {self.timeout:g}s")
        if call.error is not None:
            if isinstance(call.error, AppLoadError):
                raise call.error
            raise AppLoadError(
                f"{self.name}: building the app raised {type(call.error).__name__}: {call.error}"
            )
        return call.result

    def _prepare(self, app: Any) -> None:
        config = getattr(app, "config", None)
        if isinstance(config, dict) and hasattr(app, "log_exception"):
            # Flask: let its own 500 handling answer (custom 500 handlers included) as in
            # production, but record the traceback instead of logging it to stderr.
            config["PROPAGATE_EXCEPTIONS"] = False
            local = self._local

            def record(exc_info: Any) -> None:
                local.exc_text = "".join(traceback.format_exception(*exc_info))

            app.log_exception = record

    def send(self, request: Request) -> Response:
        return self._send(request, probe=False)

    def send_probe(self, request: Request) -> Response:
        return self._send(request, probe=True)

    def _send(self, request: Request, probe: bool) -> Response:
        which = self._instance_for(request, probe)
        if which == self._SHARED and self._app is None:
            self.open()
        elif which == self._PROBE and self._probe_app is None:
            self._probe_app = self._bounded_load()

        def app() -> Any:
            if which == self._FRESH:
                return self._load()
            return self._probe_app if which == self._PROBE else self._app

        return self._bounded_call(app, request)

    @contextlib.contextmanager
    def sequence_state(self) -> Iterator[Sender]:
        """One app for a whole sequence: factories build a new one per sequence."""
        if not self.fresh_per_case:
            yield self.send
            return
        app = self._bounded_load()
        yield lambda request: self._bounded_call(lambda: app, request)

    def _bounded_call(self, app: Callable[[], Any], request: Request) -> Response:
        """``app()`` and the call on the worker thread, within the timeout."""
        started = time.perf_counter()

        outcome = self._worker.run(lambda: self._call(app(), request, started), self.timeout)
        if not outcome.done.is_set():
            return no_answer(f"no answer within {self.timeout:g}s", started)
        if outcome.error is not None:
            # Raised while building a fresh app, outside any request: still this side's answer.
            error = outcome.error
            text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
            return Response(500, elapsed=time.perf_counter() - started, crash=text)
        assert outcome.result is not None
        return outcome.result

    def _call(self, app: Any, request: Request, started: float) -> Response:
        self._local.exc_text = None
        captured: dict[str, Any] = {}
        chunks: list[bytes] = []
        size = 0

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Any:
            captured["status"] = int(status.split(" ", 1)[0])
            captured["headers"] = [(str(k), str(v)) for k, v in headers]
            return chunks.append

        try:
            result = app(build_environ(request), start_response)
            try:
                for chunk in result:
                    chunks.append(chunk)
                    size += len(chunk)
                    if size > MAX_BODY_BYTES:
                        break  # an endless stream: what was read is the answer
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()
        except BaseException:  # sys.exit() in a view is the app's answer, not the end of the run
            return _crash(500, started)
        if "status" not in captured:
            return Response(
                500,
                body=b"".join(chunks),
                elapsed=time.perf_counter() - started,
                crash="the app returned without calling start_response",
            )
        reason = unsendable(captured["status"], captured["headers"])
        if reason is not None:
            return refused(reason, started)
        return Response(
            status=captured["status"],
            headers=on_the_wire(captured["headers"]),
            body=served_body(request, b"".join(chunks)),
            elapsed=time.perf_counter() - started,
            crash=self._local.exc_text,
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
